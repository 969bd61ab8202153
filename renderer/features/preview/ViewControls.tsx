import { CloseButton, Group, NativeSelect, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePreview, useStores } from '../../stores/context.tsx';

/** How long the filter box rests before its text is applied: typing on does not start a pass per key. */
export const FILTER_DELAY_MS = 250;

const ALL_COLUMNS = '';

interface Props {
  /** The export has finished: its rows can be sorted and filtered. */
  enabled: boolean;
}

/**
 * The quick filter above the grid, and what the view shows: how many rows match, that a view is being
 * built, or why it cannot be. Sorting is on the columns' headers. Both cover every row of the export.
 */
export function ViewControls({ enabled }: Props) {
  const stores = useStores();
  const { jobId, filterText, filterColumn, sort, building, viewError, total, exportTotal, order, hidden } =
    usePreview(
      useShallow((s) => ({
        jobId: s.jobId,
        filterText: s.filterText,
        filterColumn: s.filterColumn,
        sort: s.sort,
        building: s.building,
        viewError: s.viewError,
        total: s.total,
        exportTotal: s.exportTotal,
        order: s.columnOrder,
        hidden: s.hidden,
      })),
    );
  const columns = order.filter((c) => !hidden[c]);
  const [text, setText] = useState(filterText);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // Another export opened (or the filter cleared elsewhere): the box shows what is applied.
  useEffect(() => setText(filterText), [filterText, jobId]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const apply = (next: string) => {
    clearTimeout(timer.current);
    stores.preview.getState().setView({ filterText: next });
  };
  const onChange = (next: string) => {
    setText(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => apply(next), FILTER_DELAY_MS);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && text) {
      e.preventDefault();
      e.stopPropagation();
      setText('');
      apply('');
    } else if (e.key === 'Enter') {
      apply(text);
    }
  };

  const filtering = filterText !== '';
  const status = !enabled
    ? 'Sort and filter once the export has finished.'
    : viewError
      ? viewError
      : building
        ? `Building the view of ${exportTotal.toLocaleString()} rows…`
        : filtering
          ? `${total.toLocaleString()} of ${exportTotal.toLocaleString()} ${exportTotal === 1 ? 'row matches' : 'rows match'}`
          : sort
            ? `All ${exportTotal.toLocaleString()} rows, sorted by ${sort.column} (${sort.direction === 'asc' ? 'ascending' : 'descending'})`
            : 'Click a column’s title to sort by it.';
  return (
    <Group gap="xs" wrap="wrap" align="center">
      <TextInput
        size="xs"
        aria-label="Filter rows"
        placeholder="Filter rows"
        value={text}
        disabled={!enabled}
        onChange={(e) => onChange(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        w={220}
        rightSection={
          text ? (
            <CloseButton size="xs" aria-label="Clear the filter" onClick={() => (setText(''), apply(''))} />
          ) : null
        }
        data-testid="preview-filter"
      />
      <NativeSelect
        size="xs"
        aria-label="Columns to filter"
        disabled={!enabled}
        value={filterColumn ?? ALL_COLUMNS}
        onChange={(e) =>
          stores.preview.getState().setView({
            filterColumn: e.currentTarget.value === ALL_COLUMNS ? undefined : e.currentTarget.value,
          })
        }
        data={[
          { value: ALL_COLUMNS, label: 'In every column shown' },
          ...columns.map((c) => ({ value: c, label: `In ${c}` })),
        ]}
        w={200}
      />
      <Text
        size="sm"
        role="status"
        c={viewError ? 'red' : undefined}
        aria-busy={building || undefined}
        data-testid="preview-view-status"
      >
        {status}
      </Text>
      {(filtering || sort) && enabled && (
        <Text size="xs" c="dimmed">
          Saving writes all rows in their original order.
        </Text>
      )}
    </Group>
  );
}
