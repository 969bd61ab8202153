import { CloseButton, NativeSelect, Text, TextInput } from '@mantine/core';
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
 * The quick filter on the grid's toolbar: a text, and every column shown or one column to find it in.
 * Sorting is on the columns' titles. Both cover every row of the export, not only the rows loaded.
 */
export function ViewControls({ enabled }: Props) {
  const stores = useStores();
  const { jobId, filterText, filterColumn, order, hidden } = usePreview(
    useShallow((s) => ({
      jobId: s.jobId,
      filterText: s.filterText,
      filterColumn: s.filterColumn,
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

  return (
    <>
      <TextInput
        size="xs"
        aria-label="Filter rows"
        placeholder={enabled ? 'Filter rows' : 'Filter once finished'}
        title={
          enabled
            ? 'Shows only the rows holding this text, from the whole export. Saving writes all rows in their original order.'
            : 'Sort and filter the rows once the export has finished.'
        }
        value={text}
        disabled={!enabled}
        onChange={(e) => onChange(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        w={150}
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
        data={[{ value: ALL_COLUMNS, label: 'All columns' }, ...columns.map((c) => ({ value: c, label: c }))]}
        w={110}
      />
    </>
  );
}

/**
 * The rows the grid holds: the export's count, or while a view is on show how many of them match, that
 * the view is being built, or why it cannot be.
 */
export function RowCount() {
  const { filterText, sort, building, viewError, total, exportTotal } = usePreview(
    useShallow((s) => ({
      filterText: s.filterText,
      sort: s.sort,
      building: s.building,
      viewError: s.viewError,
      total: s.total,
      exportTotal: s.exportTotal,
    })),
  );
  const viewing = filterText !== '' || !!sort;
  const all = `${exportTotal.toLocaleString()} ${exportTotal === 1 ? 'row' : 'rows'}`;
  const text = viewError
    ? viewError
    : building
      ? `Building the view of ${all}…`
      : filterText
        ? `${total.toLocaleString()} of ${all} ${total === 1 ? 'matches' : 'match'}`
        : sort
          ? `${all}, sorted by ${sort.column}`
          : all;
  return (
    <Text
      size="sm"
      // Said aloud as a view changes; not as rows of a running export arrive.
      role={viewing || viewError ? 'status' : undefined}
      c={viewError ? 'red' : undefined}
      aria-busy={building || undefined}
      data-testid="preview-row-count"
    >
      {text}
    </Text>
  );
}
