/**
 * Paging through OmniQ: one query (a `filterBy`) page by page with the next page already on its way, and
 * the createdAt windows a query is cut into when it matches more records than OmniQ can page through.
 */
import { splitRange, type DateRange } from '../../../shared/dates.ts';
import { ExportError } from '../../jobs/errors.ts';
import { fetchPage, RESULT_WINDOW, VENDOR, type Caller, type Page } from './fetch.ts';

/**
 * Requests in flight at once, the page being used included. OmniQ documents no rate or concurrency limit;
 * two keep the vendor busy while a page is written, without piling requests on it.
 */
export const DEPTH = 2;

export interface Query {
  caller: Caller;
  index: string;
  pageSize: number;
  /** Called for every page fetched, probes and pages thrown away included (the job's page counter). */
  onFetch: () => void;
}

/** A query's page at `from`; cancelled when the query is cancelled or when `abort` is called. */
interface Pending {
  page: Promise<Page>;
  abort: () => void;
}

function request(q: Query, filterBy: Record<string, unknown>, from: number, size: number): Pending {
  const own = new AbortController();
  const caller = { ...q.caller, signal: AbortSignal.any([q.caller.signal, own.signal]) };
  const step = `fetching ${q.index} records ${from + 1}–${from + size}`;
  const page = fetchPage(caller, { index: q.index, filterBy, from, size }, step).then((p) => {
    q.onFetch();
    return p;
  });
  // A page asked for ahead and then not needed must not surface as an unhandled rejection.
  page.catch(() => undefined);
  return { page, abort: () => own.abort() };
}

export interface Window {
  filterBy: Record<string, unknown>;
  /** Records the window holds, when OmniQ said exactly: pages ahead are asked for only within it. */
  count?: number;
  /** Its first page, when already asked for (the previous window starts it as it ends). */
  first?: Pending;
}

/** The first page of `w`, asked for now unless it already was. */
export function startWindow(q: Query, w: Window): Pending {
  w.first ??= request(q, w.filterBy, 0, Math.min(q.pageSize, RESULT_WINDOW));
  return w.first;
}

/**
 * Every page of `w`, in order, to `onPage`. While one page is handled the next is already being fetched:
 * up to DEPTH requests run, at offsets the window is known to hold (or, with no count, after a full page
 * that says more follow). When the window's last page is on its way, `next` (if any) is started.
 */
export async function pageWindow(
  q: Query,
  w: Window,
  onPage: (page: Page) => Promise<void>,
  next?: Window,
): Promise<void> {
  const pending = new Map<number, Pending>([[0, startWindow(q, w)]]);
  const ask = (from: number): void => {
    if (!pending.has(from)) {
      pending.set(from, request(q, w.filterBy, from, Math.min(q.pageSize, RESULT_WINDOW - from)));
    }
  };
  const limit = Math.min(w.count ?? 0, RESULT_WINDOW);
  let from = 0;
  try {
    for (;;) {
      for (let at = from + q.pageSize; pending.size < DEPTH; at += q.pageSize) {
        if (at < limit) ask(at);
        else {
          if (next && w.count !== undefined) startWindow(q, next);
          break;
        }
      }
      const current = pending.get(from);
      if (!current) throw new Error(`no request for records from ${from}`);
      const page = await current.page;
      pending.delete(from);
      // The window is paged once: it must not keep its first page (a thousand records) for the rest of
      // the export, or memory would grow with every window.
      if (current === w.first) delete w.first;
      const after = from + page.rows.count;
      const more = page.hasMore && page.rows.count > 0 && after < RESULT_WINDOW;
      if (more) ask(after);
      await onPage(page);
      if (!page.hasMore) return;
      const step = `fetching ${q.index} records ${from + 1}–${from + q.pageSize}`;
      if (page.rows.count === 0) {
        throw new ExportError({
          vendor: VENDOR,
          step,
          message: 'OmniQ said more records follow but sent an empty page.',
          hint: 'Retry the export; if it happens again, report it to OmniQ with the time of the export.',
        });
      }
      if (after >= RESULT_WINDOW) {
        // Only the bare-array answer has no total to warn us before the limit: say so plainly.
        throw new ExportError({
          vendor: VENDOR,
          step,
          message: page.total
            ? `OmniQ reported an exact total but kept paging past ${RESULT_WINDOW.toLocaleString('en-US')} records.`
            : `OmniQ sent no total, and more than ${RESULT_WINDOW.toLocaleString('en-US')} records match: it cannot page further.`,
          hint: 'Narrow the createdAt range to fewer records and run the export again.',
        });
      }
      // A page shorter than asked (records removed meanwhile) leaves guesses at stale offsets: drop them.
      for (const [at, p] of pending) {
        if (at < after || (at - after) % q.pageSize !== 0) {
          p.abort();
          pending.delete(at);
        }
      }
      from = after;
    }
  } finally {
    for (const p of pending.values()) p.abort();
  }
}

/**
 * Cuts `range` into createdAt windows of at most RESULT_WINDOW records each, oldest first, asking OmniQ
 * only for each half's total (a one-record page) until it is exact. Empty windows are left out.
 */
export async function planWindows(
  q: Query,
  filters: Record<string, unknown>,
  range: DateRange,
  step: string,
): Promise<Window[]> {
  const windows: Window[] = [];
  const visit = async (r: DateRange): Promise<void> => {
    const halves = splitRange(r);
    if (!halves) {
      throw new ExportError({
        vendor: VENDOR,
        step,
        message: `More than ${RESULT_WINDOW.toLocaleString('en-US')} records match a single createdAt instant; OmniQ cannot page past that many.`,
        hint: 'Add a filter (filterBy) that narrows the records.',
      });
    }
    const probes = halves.map((h) => request(q, { ...filters, createdAt: h }, 0, 1));
    try {
      const totals = await Promise.all(probes.map((p) => p.page));
      for (const [i, half] of halves.entries()) {
        const total = totals[i]?.total;
        if (total?.relation === 'gte') await visit(half);
        else if (total === undefined || total.value > 0) {
          const filterBy = { ...filters, createdAt: half };
          windows.push(total ? { filterBy, count: total.value } : { filterBy });
        }
      }
    } finally {
      for (const p of probes) p.abort();
    }
  };
  await visit(range);
  return windows;
}
