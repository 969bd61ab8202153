import { isRelativeDate, resolveRelativeDate, type DateRange } from '../../shared/dates.ts';
import { omniqProvider, type OmniqConnection, type OmniqQuery } from '../../shared/providers/omniq.ts';
import { dateWindowPages, WINDOW_PROBE_FROM } from '../http/date-windows.ts';
import { ExportError } from '../jobs/errors.ts';
import { omniqFetch, RESULT_WINDOW, VENDOR, type FetchPage } from './omniq/fetch.ts';
import type { PageRows } from './omniq/page-rows.ts';
import type { Row } from '../../shared/records.ts';
import type { ProviderRuntime, RunContext } from '../jobs/provider.ts';

/** The query's createdAt: a range, an instant, or none (relative dates are resolved before a run). */
function createdAtOf(query: OmniqQuery): DateRange | string | undefined {
  const c = query.filterBy?.createdAt;
  return typeof c === 'string' && isRelativeDate(c) ? undefined : c;
}

/** Used when a query without a createdAt range has to be split: everything up to the start of the export. */
const EPOCH = '1970-01-01T00:00:00.000Z';
/** Records stamped by a server whose clock runs ahead of ours still fall inside the added range. */
const CLOCK_SKEW_MS = 86_400_000;
const COUNT = RESULT_WINDOW.toLocaleString('en-US');

type Run = RunContext<OmniqConnection, OmniqQuery>;

/**
 * Every page of the query, in order, cut into createdAt windows when it matches too many records. Every
 * page fetched counts in the job's pages, count probes and pages thrown away included.
 */
export async function* omniqQueryPages(
  fetch: FetchPage,
  ctx: Pick<Run, 'query' | 'connection' | 'clock' | 'warn' | 'progress'>,
): AsyncGenerator<PageRows> {
  const { query, connection } = ctx;
  const size = connection.pageSize;
  let pages = 0;
  const { createdAt: _createdAt, ...filters } = query.filterBy ?? {};
  const initial = createdAtOf(query);
  const whole = initial === undefined ? filters : { ...filters, createdAt: initial };
  const added = { from: EPOCH, to: new Date(ctx.clock.now() + CLOCK_SKEW_MS).toISOString() };
  const records = (
    from: number,
    n = from < RESULT_WINDOW ? Math.min(size, RESULT_WINDOW - from) : size,
  ): string => `fetching ${query.index} records ${from + 1}–${from + n}`;
  const fail = (from: number, message: string, hint: string): ExportError =>
    new ExportError({ vendor: VENDOR, step: records(from), message, hint });
  const all = dateWindowPages<PageRows>({
    limit: RESULT_WINDOW,
    size,
    // A single instant cannot be cut.
    range: typeof initial === 'string' ? undefined : (initial ?? added),
    fetch: async (range, from, n, signal) => {
      const filterBy = range ? { ...filters, createdAt: range } : whole;
      // The window probe is not tried again: a refusal in any form means a window (see date-windows.ts).
      const probe = from === WINDOW_PROBE_FROM;
      const step = probe ? `checking whether OmniQ pages past ${COUNT} records` : records(from, n);
      const page = await fetch({ index: query.index, filterBy, from, size: n }, step, signal, probe);
      pages++;
      return page;
    },
    drop: (rows) => void rows.discard(),
    onSplit: () => {
      if (initial === undefined)
        ctx.warn(
          'The query has no createdAt range, so one was added to split it: records without a createdAt are not included.',
        );
      ctx.warn(`More than ${COUNT} records match: the export is fetched in createdAt windows.`);
    },
    onExpected: (rows, exact) =>
      ctx.progress({ pages, expectedRows: rows, expectedRelation: exact ? 'eq' : 'gte' }),
    indivisible: () =>
      fail(
        0,
        `More than ${COUNT} records match a single createdAt instant; OmniQ cannot page past that many.`,
        'Add a filter (filterBy) that narrows the records.',
      ),
    empty: (from) =>
      fail(
        from,
        'OmniQ said more records follow but sent an empty page.',
        'Retry the export; if it happens again, report it to OmniQ with the time of the export.',
      ),
    // Only the bare-array answer has no total to warn before the limit: say so plainly.
    pastLimit: (from, counted) =>
      fail(
        from,
        counted
          ? `OmniQ reported an exact total but kept paging past ${COUNT} records.`
          : `OmniQ sent no total, and more than ${COUNT} records match: it cannot page further.`,
        'Narrow the createdAt range to fewer records and run the export again.',
      ),
  });
  for await (const rows of all) {
    yield rows;
    ctx.progress({ pages });
  }
}

export const omniqRuntime: ProviderRuntime<OmniqConnection, OmniqQuery> = {
  definition: omniqProvider,

  resolveQuery(query, ctx) {
    const c = query.filterBy?.createdAt;
    if (!isRelativeDate(c)) return query;
    const createdAt = resolveRelativeDate(c, ctx.nowMs, ctx.lastRunUntil);
    // The catch-all filter type cannot express that createdAt alone may be a range.
    return { ...query, filterBy: { ...query.filterBy, createdAt } } as OmniqQuery;
  },

  rangeEnd(query) {
    const c = createdAtOf(query);
    return typeof c === 'object' ? c.to : undefined;
  },

  async testConnection(ctx) {
    const page = await omniqFetch({ ...ctx, policy: { maxAttempts: 2, budgetMs: 15_000 } })(
      { index: 'agents', from: 0, size: 1 },
      'testing the connection',
    );
    const count = page.total
      ? `${page.total.relation === 'gte' ? 'at least ' : ''}${page.total.value}`
      : 'some';
    return `Connected to OmniQ as tenant ${ctx.connection.tenantId}: ${count} agents visible.`;
  },

  run: runOmniq,
};

async function runOmniq(ctx: Run): Promise<void> {
  const fetch = omniqFetch({ ...ctx, onRetry: (m) => ctx.logger.warn(m), spillDir: ctx.workDir });
  ctx.setState('downloading', `Fetching ${ctx.query.index}`);
  // One append is written while the next rows are parsed: the disk's wait overlaps the work.
  let writing: Promise<void> | undefined;
  const append = async (rows: Row[], texts: (string | undefined)[]): Promise<void> => {
    await writing;
    writing = ctx.append(rows, texts);
    // Met by the next append or the last await below; until then it must not count as unhandled.
    writing.catch(() => undefined);
  };
  try {
    for await (const page of omniqQueryPages(fetch, ctx)) {
      try {
        // The parser's batches are small; the spool takes them a thousand rows at a time (fewer writes).
        let rows: Row[] = [];
        let texts: (string | undefined)[] = [];
        for await (const batch of page.batches(ctx.signal)) {
          for (const [i, row] of batch.rows.entries()) {
            rows.push(row);
            texts.push(batch.texts?.[i]);
          }
          if (rows.length < APPEND_ROWS) continue;
          await append(rows, texts);
          rows = [];
          texts = [];
        }
        if (rows.length > 0) await append(rows, texts);
      } finally {
        await page.discard();
      }
    }
  } catch (e) {
    // The rows still being written go with the run; the failure that stopped it is the one to report.
    await writing?.catch(() => undefined);
    throw e;
  }
  await writing;
}

/** Rows handed to the spool at once (one batch of the page more at most). */
const APPEND_ROWS = 1000;
