/**
 * Offset paging of a service that may page no further than `limit` records into one query (Elasticsearch's
 * `max_result_window`, OmniQ's 10,000). When a query holds more, one one-record page far past any window
 * tells whether the service has one: if it answers, the query is paged straight through; if it refuses,
 * the query is cut into date windows of at most `limit` records each, found by asking only each half's
 * count (a one-record page), and the windows are paged in turn, oldest first. While one page is used the next is already on its way (up to DEPTH requests, only
 * at offsets the window is known to hold or after a full page that says more follow), and the next
 * window's first page is started as a window's last one is.
 */
import { splitRange, type DateRange } from '../../shared/dates.ts';

export interface WindowStep<P> {
  page: P;
  /** Records on the page. */
  count: number;
  /** Whether the service says more follow. */
  more: boolean;
  /** How many records the query holds: exactly, or at least (a count the service caps at its limit). */
  total?: { value: number; relation: 'eq' | 'gte' };
}

export interface DateWindows<P> {
  /** Records `from`…`from + size` of the query, within `range` (undefined: the query as given). */
  fetch(range: DateRange | undefined, from: number, size: number, stop: AbortSignal): Promise<WindowStep<P>>;
  /** Records the service pages through in one query at most: `from + size` never passes it. */
  limit: number;
  /** Records a page. */
  size: number;
  /** The dates to cut the query into when it holds more than `limit`; undefined when it cannot be cut. */
  range: DateRange | undefined;
  /** The query holds more than `limit` (at least `total`) and is about to be cut into windows. */
  onSplit?(total: number): void;
  /** How many records the export will have, as soon as it is known or changes. */
  onExpected?(rows: number, exact: boolean): void;
  /** A page fetched but not used (asked for ahead at an offset that went stale, a count probe): free it. */
  drop?(page: P): void;
  /** What to throw when more than `limit` records lie in a range that cannot be cut (a single instant). */
  indivisible(): unknown;
  /** What to throw when the service said more follow but sent an empty page. */
  empty(from: number): unknown;
  /** What to throw when the service said more follow at `limit`, past which it cannot page. */
  pastLimit(from: number, counted: boolean): unknown;
}

/** Requests in flight at once, the page being used included. */
const DEPTH = 2;

/**
 * The offset of the one-record page that tells whether the service has a result window at all: the
 * largest `from + size` Elasticsearch takes (a Java int), so a service with any window refuses it, and one
 * without answers with an empty page.
 */
export const WINDOW_PROBE_FROM = 2 ** 31 - 2;

interface Pending<P> {
  step: Promise<WindowStep<P>>;
  abort(): void;
}

interface Window<P> {
  range: DateRange | undefined;
  /** Records the window holds, when the service said exactly: pages ahead are asked for only within it. */
  count?: number;
  /** Records the window holds at least (a capped total), when it is paged past the limit. */
  atLeast?: number;
  /** Its first page, once asked for (the window before starts it as it ends). */
  first?: Pending<P>;
}

function request<P>(d: DateWindows<P>, range: DateRange | undefined, from: number, size: number): Pending<P> {
  const own = new AbortController();
  const step = d.fetch(range, from, size, own.signal);
  // A page asked for ahead and then not needed must not surface as an unhandled rejection.
  step.catch(() => undefined);
  return { step, abort: () => own.abort() };
}

/** Cancels a request no longer needed, and frees its page should it have arrived already. */
function drop<P>(d: DateWindows<P>, p: Pending<P>): void {
  p.abort();
  p.step.then((s) => d.drop?.(s.page)).catch(() => undefined);
}

/** Every page of the query, in order; see the module comment. */
export async function* dateWindowPages<P>(d: DateWindows<P>): AsyncGenerator<P> {
  const start = (w: Window<P>): Pending<P> => (w.first ??= request(d, w.range, 0, Math.min(d.size, d.limit)));

  /** `limit`: how far into the window the service pages (Infinity when it has no result window). */
  async function* windowPages(w: Window<P>, limit: number, next?: Window<P>): AsyncGenerator<WindowStep<P>> {
    const pending = new Map<number, Pending<P>>([[0, start(w)]]);
    const ask = (from: number): void => {
      if (!pending.has(from)) pending.set(from, request(d, w.range, from, Math.min(d.size, limit - from)));
    };
    let known = Math.min(w.count ?? w.atLeast ?? 0, limit);
    try {
      for (let from = 0; ;) {
        for (let at = from + d.size; pending.size < DEPTH && at < known; at += d.size) ask(at);
        // Nothing more of this window to ask for ahead: the next window's first page, then.
        if (pending.size < DEPTH && next && w.count !== undefined) start(next);
        const current = pending.get(from) as Pending<P>;
        const step = await current.step;
        pending.delete(from);
        // A window is paged once: it must not keep its first page for the rest of the export.
        if (current === w.first) delete w.first;
        const after = from + step.count;
        if (step.more && step.count > 0 && after < limit) ask(after);
        // Paged straight through, the total is only a floor: a full page that says more follow is taken
        // to mean one more full page after the next, asked for while this one is used (should the guess be
        // wrong, at the very end, it costs one empty page).
        if (limit === Infinity && step.more && step.count === d.size)
          known = Math.max(known, after + 2 * d.size);
        yield step;
        if (!step.more) return;
        if (step.count === 0) throw d.empty(from);
        if (after >= limit) throw d.pastLimit(from, step.total !== undefined);
        // A page shorter than asked (records removed meanwhile) leaves guesses at stale offsets: drop them.
        for (const [at, p] of pending) {
          if (at < after || (at - after) % d.size !== 0) {
            drop(d, p);
            pending.delete(at);
          }
        }
        from = after;
      }
    } finally {
      for (const p of pending.values()) drop(d, p);
    }
  }

  const whole: Window<P> = { range: undefined };
  const total = (await start(whole).step).total;
  let windows = [whole];
  let limit = d.limit;
  if (total?.relation === 'gte' && (await pagesPastAnyWindow(d))) {
    // No result window: the whole query, straight through, its first page kept.
    limit = Infinity;
    whole.atLeast = total.value;
    d.onExpected?.(total.value, false);
  } else if (total?.relation === 'gte') {
    drop(d, start(whole));
    if (!d.range) throw d.indivisible();
    d.onSplit?.(total.value);
    d.onExpected?.(total.value, false);
    windows = await plan(d, d.range);
  } else if (total) whole.count = total.value;
  const expected = windows.reduce((sum, w) => sum + (w.count ?? 0), 0);
  if (total && limit !== Infinity)
    d.onExpected?.(
      expected,
      windows.every((w) => w.count !== undefined),
    );
  let fetched = 0;
  try {
    for (const [i, w] of windows.entries()) {
      for await (const step of windowPages(w, limit, windows[i + 1])) {
        fetched += step.count;
        yield step.page;
      }
    }
  } finally {
    for (const w of windows) if (w.first) drop(d, w.first);
  }
  if (total) d.onExpected?.(fetched, true);
}

/**
 * Whether the service pages past any result window: it answers the one-record page at WINDOW_PROBE_FROM
 * (with no records). A service with a window refuses it, as OmniQ's Elasticsearch does past 10,000;
 * whatever goes wrong with the probe counts as a refusal, and the query is cut into windows as before.
 */
async function pagesPastAnyWindow<P>(d: DateWindows<P>): Promise<boolean> {
  const probe = request(d, undefined, WINDOW_PROBE_FROM, 1);
  try {
    const step = await probe.step;
    return step.count === 0 && !step.more;
  } catch {
    return false;
  } finally {
    drop(d, probe);
  }
}

/**
 * Cuts `range` into windows of at most `limit` records each, oldest first, asking only for each half's
 * total until it is exact. Empty windows are left out.
 */
async function plan<P>(d: DateWindows<P>, range: DateRange): Promise<Window<P>[]> {
  const windows: Window<P>[] = [];
  const visit = async (r: DateRange): Promise<void> => {
    const halves = splitRange(r);
    if (!halves) throw d.indivisible();
    const probes = halves.map((h) => request(d, h, 0, 1));
    try {
      const totals = (await Promise.all(probes.map((p) => p.step))).map((s) => s.total);
      for (const [i, half] of halves.entries()) {
        const total = totals[i];
        if (total?.relation === 'gte') await visit(half);
        else if (!total || total.value > 0)
          windows.push(total ? { range: half, count: total.value } : { range: half });
      }
    } finally {
      for (const p of probes) drop(d, p);
    }
  };
  await visit(range);
  return windows;
}
