import type { PreviewPage } from '../../shared/api.ts';
import { flattenRow } from '../../shared/records.ts';
import type { Row } from '../../shared/records.ts';
import type { BuiltView } from './preview-view.ts';
import { wholeCount } from './spool-reader.ts';
import type { SpoolReader } from './spool-reader.ts';

type PreviewCell = PreviewPage['rows'][number][number];

/** A page is for a screen; this bounds what one request can make the main process read and send. */
export const MAX_PREVIEW_ROWS = 5000;

/**
 * One page of the spool for the table in the window: rows as arrays in column order, so the payload is
 * small and structured-clone safe (bigints become their exact decimal text, missing cells null).
 */
export async function previewPage(reader: SpoolReader, offset: number, limit: number): Promise<PreviewPage> {
  const first = wholeCount(offset);
  const rows = await reader.readPage(first, Math.min(limit, MAX_PREVIEW_ROWS));
  const columns = [...reader.columns];
  return { offset: first, total: reader.rowCount, columns, rows: rows.map(cellsOf(reader, columns)) };
}

/**
 * One page of a view (preview-view.ts): its rows [offset, offset + limit) in the view's order, each with
 * its row number in the spool; `total` is the rows in the view, `exportRows` those in the spool.
 */
export async function previewViewPage(
  reader: SpoolReader,
  view: BuiltView,
  offset: number,
  limit: number,
): Promise<PreviewPage> {
  const first = Math.min(wholeCount(offset), view.rows.length);
  const rowNumbers = [...view.rows.subarray(first, first + Math.min(wholeCount(limit), MAX_PREVIEW_ROWS))];
  const byNumber = await reader.readRowsAt(rowNumbers);
  const columns = [...reader.columns];
  const cells = cellsOf(reader, columns);
  return {
    offset: first,
    total: view.rows.length,
    columns,
    rows: rowNumbers.map((n) => {
      const row = byNumber.get(n);
      if (!row) throw new Error(`Row ${n + 1} of the export could not be read again.`);
      return cells(row);
    }),
    rowNumbers,
    exportRows: view.spoolRows,
  };
}

function cellsOf(reader: SpoolReader, columns: readonly string[]): (row: Row) => PreviewCell[] {
  return (row) => {
    const flat = flattenRow(row, reader.listColumns);
    return columns.map((name): PreviewCell => {
      const cell = flat[name];
      if (cell === undefined) return null;
      return typeof cell === 'bigint' ? cell.toString() : cell;
    });
  };
}
