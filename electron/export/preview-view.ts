/**
 * A view of a spool for the preview: the rows matching a quick filter, in the order of one column. It
 * covers every row of the spool (as the reader opened it), not the rows the window has loaded, and holds
 * only what paging needs: the row numbers in view order, and while it is built the sort keys (sort-keys.ts),
 * all in typed arrays within one memory budget.
 */
import type { PreviewView } from '../../shared/api.ts';
import { rowCells } from '../../shared/records.ts';
import { Growing, KeysTooLargeError, MemoryBudget, SortKeys } from './sort-keys.ts';
import type { SpoolReader } from './spool-reader.ts';

export interface BuiltView {
  /** The spool's row numbers (0-based) of the view's rows, in the view's order. */
  readonly rows: Uint32Array;
  /** Rows of the spool the view was built over. */
  readonly spoolRows: number;
}

/** The view's keys or row numbers would need more memory than its budget. */
export class ViewTooLargeError extends Error {
  constructor(readonly neededBytes: number) {
    super(`This view needs more than ${neededBytes} bytes of memory.`);
    this.name = 'ViewTooLargeError';
  }
}

/** Whether a view asks for anything (an empty one is the spool as it is). */
export function isViewActive(view: PreviewView | undefined): view is PreviewView {
  return !!view && (!!view.filter?.text || !!view.sort);
}

/** Separates a row's cells in the text the filter searches, so no match spans two cells. */
const CELL_GAP = '\u0000';

/**
 * Streams rows [0, spoolRows) of the spool once and keeps the numbers of those the filter matches, in
 * the sort's order. `budgetBytes` bounds the typed arrays it holds; beyond it, ViewTooLargeError.
 * `signal` stops it (the user typed on): it then rejects with the signal's reason.
 */
export async function buildView(
  reader: SpoolReader,
  view: PreviewView,
  options: { spoolRows?: number; budgetBytes: number; signal?: AbortSignal },
): Promise<BuiltView> {
  const spoolRows = Math.min(options.spoolRows ?? reader.rowCount, reader.rowCount);
  const budget = new MemoryBudget(options.budgetBytes);
  try {
    const needle = view.filter?.text.toLowerCase() ?? '';
    const searched = needle ? (view.filter?.columns ?? reader.columns) : [];
    const sortColumn = view.sort?.column;
    // One pass of rowCells over the columns searched, and the sort column after them.
    const names = sortColumn === undefined ? [...searched] : [...searched, sortColumn];
    const cellsOf = rowCells(names, reader.listColumns);
    const matched = new Growing(Uint32Array, budget, Math.min(Math.max(spoolRows, 1), 64 * 1024));
    const keys = sortColumn === undefined ? undefined : new SortKeys(budget);
    let rowNumber = 0;
    for await (const row of reader.rowsBetween(0, spoolRows, options.signal)) {
      const cells = cellsOf(row);
      if (!needle || matches(cells, searched.length, needle)) {
        matched.push(rowNumber);
        keys?.add(cells[searched.length] ?? '');
      }
      rowNumber += 1;
    }
    options.signal?.throwIfAborted();
    const rows = matched.trimmed();
    if (!keys || !view.sort) return { rows, spoolRows };
    const order = keys.order(view.sort.direction === 'desc', budget);
    // `order` holds positions among the matched rows; their row numbers replace them in place.
    for (let i = 0; i < order.length; i++) order[i] = rows[order[i] as number] as number;
    return { rows: order, spoolRows };
  } catch (e) {
    if (e instanceof KeysTooLargeError) throw new ViewTooLargeError(e.neededBytes);
    throw e;
  }
}

function matches(cells: readonly string[], count: number, needle: string): boolean {
  if (count === 1) return (cells[0] ?? '').toLowerCase().includes(needle);
  return cells.slice(0, count).join(CELL_GAP).toLowerCase().includes(needle);
}
