import {
  columnOrderingFeature,
  columnResizingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  tableFeatures,
  useTable,
  type ColumnSizingState,
  type Updater,
} from '@tanstack/react-table';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePreview, useStores } from '../../stores/context.tsx';

const features = tableFeatures({
  columnOrderingFeature,
  columnVisibilityFeature,
  columnSizingFeature,
  columnResizingFeature,
});

/** The grid owns row data itself (blocks fetched on demand); the table models the columns. */
type GridRow = Record<string, never>;
const NO_ROWS: GridRow[] = [];

export const DEFAULT_COLUMN_WIDTH = 160;

function apply<T>(updater: Updater<T>, prev: T): T {
  return typeof updater === 'function' ? (updater as (p: T) => T)(prev) : updater;
}

/** Column order, visibility and widths as a TanStack table, kept in the preview store (Save reads them). */
export function usePreviewTable() {
  const stores = useStores();
  const { columns, columnOrder, hidden, sizes } = usePreview(
    useShallow((s) => ({ columns: s.columns, columnOrder: s.columnOrder, hidden: s.hidden, sizes: s.sizes })),
  );
  const defs = useMemo(
    () => columns.map((id) => ({ id, header: id, size: DEFAULT_COLUMN_WIDTH, minSize: 60, maxSize: 1200 })),
    [columns],
  );
  const columnVisibility = useMemo(
    () => Object.fromEntries(Object.entries(hidden).map(([k, v]) => [k, !v])),
    [hidden],
  );
  const table = useTable({
    features,
    columns: defs,
    data: NO_ROWS,
    columnResizeMode: 'onChange',
    state: { columnOrder, columnVisibility, columnSizing: sizes },
    // Order and visibility change through the store (the header's and the Columns menu's buttons).
    onColumnSizingChange: (u: Updater<ColumnSizingState>) =>
      stores.preview.setState({ sizes: apply(u, stores.preview.getState().sizes) }),
  });
  /** Where each column's value sits in a row array (rows come in first-seen column order). */
  const indexOf = useMemo(() => new Map(columns.map((c, i) => [c, i])), [columns]);
  return { table, indexOf };
}
export type PreviewTable = ReturnType<typeof usePreviewTable>['table'];
