import type { PreviewPage } from '../../shared/api.ts';
import { flattenRow } from '../../shared/records.ts';
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
  return {
    offset: first,
    total: reader.rowCount,
    columns,
    rows: rows.map((row) => {
      const flat = flattenRow(row, reader.listColumns);
      return columns.map((name): PreviewCell => {
        const cell = flat[name];
        if (cell === undefined) return null;
        return typeof cell === 'bigint' ? cell.toString() : cell;
      });
    }),
  };
}
