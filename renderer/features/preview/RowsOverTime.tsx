import { Group, NativeSelect, Text } from '@mantine/core';
import type { Timeline } from '../../../shared/profile.ts';
import { bucketText, gapsText, timelineSpan } from '../../../shared/profile.ts';
import { useProfile, useStores } from '../../stores/context.tsx';

const CHART_HEIGHT = 32;
/** Height of the mark under a bucket without rows, so a gap shows however tall the other bars are. */
const GAP_MARK = 5;

const count = (n: number) => n.toLocaleString('en-US');

/** The chart in words: its span, the rows per bucket, and the gaps. */
function describe(timeline: Timeline, span: [string, number][], partial: number | undefined): string {
  const per = timeline.unit === 'day' ? 'day' : 'hour';
  const first = span[0];
  const last = span.at(-1);
  if (!first || !last) return `No dated rows in ${timeline.column}.`;
  const counts = span.map(([, n]) => n).filter((n) => n > 0);
  const range = `${bucketText(first[0], timeline.unit)} to ${bucketText(last[0], timeline.unit)}`;
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  const each = low === high ? `${count(low)} a ${per}` : `between ${count(low)} and ${count(high)} a ${per}`;
  if (partial !== undefined)
    return `Rows per ${per} of ${timeline.column} in the first ${count(partial)} rows, ${range}: ${each}.`;
  const gaps = gapsText(timeline) ?? `Every ${per} has rows.`;
  return `Rows per ${per} of ${timeline.column}, ${range}: ${each}. ${gaps}`;
}

/**
 * Rows per day (or hour) of the export's date column, beside the preview: a day the vendor sent nothing
 * for shows as a gap, and is named in words, before the file is saved.
 */
export function RowsOverTime() {
  const stores = useStores();
  const timelines = useProfile((s) => s.profile?.timelines);
  const picked = useProfile((s) => s.dateColumn);
  const partial = useProfile((s) => (s.profile?.partial ? s.profile.rowCount : undefined));
  const profiling = useProfile((s) => s.profile?.profiling?.rows);
  if (!timelines || timelines.length === 0) return null;
  const timeline = timelines.find((t) => t.column === picked) ?? (timelines[0] as Timeline);
  const span = timelineSpan(timeline);
  // All rows in one day (or hour): nothing to chart, and no gap.
  if (span.length < 2) return null;
  const high = Math.max(...span.map(([, n]) => n));
  const width = span.length;
  // A partial profile's later rows may fill what looks like a gap: none is named.
  const gaps = partial === undefined ? gapsText(timeline) : undefined;
  const per = timeline.unit === 'day' ? 'day' : 'hour';
  return (
    <section className="ed-timeline" aria-label="Rows over time">
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
            Rows per {per}
          </Text>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {bucketText(span[0]?.[0] ?? '', timeline.unit)} –{' '}
            {bucketText(span.at(-1)?.[0] ?? '', timeline.unit)}
          </Text>
          {partial !== undefined && (
            <Text
              size="xs"
              c="dimmed"
              style={{ whiteSpace: 'nowrap' }}
              title={
                profiling === undefined
                  ? 'Profiling stopped before the last rows.'
                  : 'A vendor’s CSV is profiled beside the download; a large file’s last rows take a little longer.'
              }
              data-testid="rows-over-time-partial"
            >
              {profiling === undefined
                ? `(first ${count(partial)} rows only)`
                : `(first ${count(partial)} of ${profiling.toLocaleString('en-US')} rows so far: profiling the rest)`}
            </Text>
          )}
          {gaps && (
            <Text size="sm" fw={600} truncate title={gaps} data-testid="rows-over-time-gaps">
              {gaps}
            </Text>
          )}
          {timeline.beyond > 0 && (
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              ({count(timeline.beyond)} rows on later days not shown)
            </Text>
          )}
        </Group>
        {timelines.length > 1 ? (
          <NativeSelect
            size="xs"
            aria-label="Date column"
            value={timeline.column}
            data={timelines.map((t) => t.column)}
            onChange={(e) => stores.profile.getState().pickDateColumn(e.currentTarget.value)}
          />
        ) : (
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            by {timeline.column}
          </Text>
        )}
      </Group>
      <svg
        role="img"
        aria-label={describe(timeline, span, partial)}
        data-testid="rows-over-time"
        className="ed-timeline-chart"
        viewBox={`0 0 ${width} ${CHART_HEIGHT}`}
        preserveAspectRatio="none"
        height={CHART_HEIGHT}
      >
        {span.map(([key, n], i) =>
          n > 0 ? (
            <rect
              key={key}
              x={i + 0.1}
              width={0.8}
              y={CHART_HEIGHT - Math.max(1, (n / high) * CHART_HEIGHT)}
              height={Math.max(1, (n / high) * CHART_HEIGHT)}
              className="ed-timeline-bar"
            />
          ) : (
            <rect
              key={key}
              x={i + 0.1}
              width={0.8}
              y={CHART_HEIGHT - GAP_MARK}
              height={GAP_MARK}
              className="ed-timeline-gap"
              data-gap={key}
            />
          ),
        )}
      </svg>
    </section>
  );
}
