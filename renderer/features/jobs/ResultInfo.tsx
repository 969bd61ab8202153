import { Alert, Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useId, useState } from 'react';
import type { JobRecord } from '../../../shared/jobs.ts';
import { useStores } from '../../stores/context.tsx';
import { useAction } from '../../ui/use-action.ts';

/** The vendor's note on times without an offset: they are in the report's time zone, written as sent. */
export function TimeZoneNote({ job }: { job: JobRecord }) {
  const tz = job.resultInfo?.timeZoneId;
  if (!tz) return null;
  const abbreviation = job.resultInfo?.facts?.timeZoneAbbreviation;
  return (
    <Text size="sm" data-testid="job-time-zone">
      Times without an offset are in <strong>{tz}</strong>
      {typeof abbreviation === 'string' ? ` (${abbreviation})` : ''}, the report’s time zone; they are
      exported as the vendor sent them.
    </Text>
  );
}

/** Opens and closes what a one-line summary stands for; `what` names it for assistive technology. */
function DetailsToggle({ open, what, controls, onToggle }: DetailsToggleProps) {
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      style={{ flex: 'none' }}
      aria-expanded={open}
      aria-controls={controls}
      aria-label={`${open ? 'Hide details' : 'Details'} of the ${what}`}
      onClick={onToggle}
    >
      {open ? 'Hide details' : 'Details'}
    </Button>
  );
}

interface DetailsToggleProps {
  open: boolean;
  what: string;
  controls: string;
  onToggle(): void;
}

/**
 * The export's warnings on one line (the first of them, cut off at the line's end), so the preview keeps
 * the window's height; Details shows each of them whole.
 */
export function WarningsLine({ warnings }: { warnings: readonly string[] }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!warnings.length) return null;
  const label = warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`;
  return (
    <Alert color="yellow" py={6} px="sm" component="section" role="region" aria-label="Warnings">
      <Group gap="xs" wrap="nowrap" align={open ? 'start' : 'center'}>
        <Text size="sm" fw={600} style={{ flex: 'none' }}>
          {label}
        </Text>
        {/* Polite: a warning that arrives while the export runs is read out once, without interrupting. */}
        <div id={id} style={{ flex: 1, minWidth: 0 }} aria-live="polite">
          {open ? (
            warnings.map((w) => (
              <Text key={w} size="sm" className="ed-break" data-testid="job-warning">
                {w}
              </Text>
            ))
          ) : (
            <Text size="sm" truncate="end" title={warnings.join('\n')}>
              {warnings.map((w, i) => (
                <span key={w} data-testid="job-warning">
                  {i > 0 ? ' · ' : ''}
                  {w}
                </span>
              ))}
            </Text>
          )}
        </div>
        <DetailsToggle open={open} what="warnings" controls={id} onToggle={() => setOpen((o) => !o)} />
      </Group>
    </Alert>
  );
}

const cellText = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/**
 * The vendor's totals for the whole report, above the preview, and saved as a file of their own. They
 * take one line (the first row's figures) until Details shows the table.
 */
export function SummaryPanel({ job }: { job: JobRecord }) {
  const stores = useStores();
  const { error, run } = useAction();
  const [saved, setSaved] = useState<string>();
  const [open, setOpen] = useState(false);
  const id = useId();
  const summary = job.resultInfo?.summary;
  if (!summary?.length) return null;
  const columns = [...new Set(summary.flatMap((r) => Object.keys(r)))];
  const save = (format: 'csv' | 'json') =>
    run(format, async () => {
      const r = await stores.client.saveSummary(job.id, format);
      setSaved(r.saved ? (r.path ?? r.fileName ?? '') : undefined);
    });
  return (
    <Paper
      withBorder
      px="sm"
      py={6}
      component="section"
      aria-label="Report totals"
      data-testid="summary-panel"
    >
      <Group gap="xs" wrap="nowrap">
        <Title order={3} size="h5" style={{ flex: 'none' }}>
          Report totals
        </Title>
        <Text size="sm" truncate="end" style={{ flex: 1, minWidth: 0 }} data-testid="summary-line">
          {open
            ? ''
            : columns.map((c) => `${c} ${cellText(summary[0]?.[c])}`).join(' · ') +
              (summary.length > 1 ? ` (and ${summary.length - 1} more rows)` : '')}
        </Text>
        <Group gap={4} wrap="nowrap" style={{ flex: 'none' }}>
          {(['csv', 'json'] as const).map((f) => (
            <Button key={f} size="compact-xs" variant="default" onClick={() => void save(f)}>
              {`Save totals (${f.toUpperCase()})`}
            </Button>
          ))}
          <DetailsToggle open={open} what="report totals" controls={id} onToggle={() => setOpen((o) => !o)} />
        </Group>
      </Group>
      {/* Kept in the page while folded away (hidden), so it opens at once. */}
      <Table.ScrollContainer minWidth={200} id={id} hidden={!open} mt={4}>
        <Table withTableBorder striped fz="xs" data-testid="summary-table">
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c}>{c}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {summary.map((row, i) => (
              <Table.Tr key={i}>
                {columns.map((c) => (
                  <Table.Td key={c}>{cellText(row[c])}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {saved !== undefined && (
        <Text size="xs" role="status" mt={4}>
          {saved ? `Totals saved: ${saved}` : 'Totals saved.'}
        </Text>
      )}
      {error && (
        <Alert color="red" p="xs" mt={4} role="alert">
          {error}
        </Alert>
      )}
    </Paper>
  );
}
