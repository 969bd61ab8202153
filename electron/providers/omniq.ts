import { isRelativeDate, resolveRelativeDate, type DateRange } from '../../shared/dates.ts';
import { omniqProvider, type OmniqConnection, type OmniqQuery } from '../../shared/providers/omniq.ts';
import { ExportError } from '../jobs/errors.ts';
import { fetchPage, RESULT_WINDOW, VENDOR, type Page } from './omniq/fetch.ts';
import { pageWindow, planWindows, startWindow, type Query, type Window } from './omniq/paging.ts';
import type { ProviderRuntime, RunContext } from '../jobs/provider.ts';

/** Used when a query without a createdAt range has to be split: everything up to the start of the export. */
const EPOCH = '1970-01-01T00:00:00.000Z';
/** Records stamped by a server whose clock runs ahead of ours still fall inside the added range. */
const CLOCK_SKEW_MS = 86_400_000;

function createdAtOf(query: OmniqQuery): DateRange | string | undefined {
  const c = query.filterBy?.createdAt;
  return typeof c === 'string' && isRelativeDate(c) ? undefined : c;
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
    const page = await fetchPage(
      { ...ctx, apiKey: ctx.secrets.apiKey, policy: { maxAttempts: 2, budgetMs: 15_000 } },
      { index: 'agents', from: 0, size: 1 },
      'testing the connection',
    );
    const count = page.total
      ? `${page.total.relation === 'gte' ? 'at least ' : ''}${page.total.value}`
      : 'some';
    return `Connected to OmniQ as tenant ${ctx.connection.tenantId}: ${count} agents visible.`;
  },

  async run(ctx) {
    await runOmniq(ctx);
  },
};

async function runOmniq(ctx: RunContext<OmniqConnection, OmniqQuery>): Promise<void> {
  const { query, connection } = ctx;
  let pages = 0;
  const q: Query = {
    caller: {
      http: ctx.http,
      clock: ctx.clock,
      signal: ctx.signal,
      connection,
      apiKey: ctx.secrets.apiKey,
      onRetry: (m) => ctx.logger.warn(m),
      spillDir: ctx.workDir,
    },
    index: query.index,
    pageSize: connection.pageSize,
    onFetch: () => void pages++,
  };
  const filters: Record<string, unknown> = { ...query.filterBy };
  delete filters.createdAt;
  const initial = createdAtOf(query);
  ctx.setState('downloading', `Fetching ${query.index}`);

  let fetched = 0;
  const onPage = async (page: Page): Promise<void> => {
    try {
      for await (const rows of page.rows.batches(ctx.signal)) await ctx.append(rows);
    } finally {
      await page.rows.discard();
    }
    fetched += page.rows.count;
    ctx.progress({ pages });
  };
  const whole: Window = { filterBy: initial === undefined ? filters : { ...filters, createdAt: initial } };
  const first = await startWindow(q, whole).page;
  if (first.total?.relation !== 'gte') {
    if (first.total)
      ctx.progress({ expectedRows: first.total.value, expectedRelation: first.total.relation });
    if (first.total?.relation === 'eq') whole.count = first.total.value;
    await pageWindow(q, whole, onPage);
    return;
  }

  // More than OmniQ can page through in one query: cut the createdAt range into windows that fit.
  const step = `fetching ${query.index} records 1–${Math.min(q.pageSize, RESULT_WINDOW)}`;
  const range =
    typeof initial === 'object'
      ? initial
      : initial === undefined
        ? { from: EPOCH, to: new Date(ctx.clock.now() + CLOCK_SKEW_MS).toISOString() }
        : undefined;
  if (!range) {
    throw new ExportError({
      vendor: VENDOR,
      step,
      message: `More than ${RESULT_WINDOW.toLocaleString('en-US')} records match a single createdAt instant; OmniQ cannot page past that many.`,
      hint: 'Add a filter (filterBy) that narrows the records.',
    });
  }
  if (initial === undefined) {
    ctx.warn(
      'The query has no createdAt range, so one was added to split it: records without a createdAt are not included.',
    );
  }
  ctx.warn(
    `More than ${RESULT_WINDOW.toLocaleString('en-US')} records match: the export is fetched in createdAt windows.`,
  );
  ctx.progress({ pages, expectedRows: first.total.value, expectedRelation: 'gte' });
  const windows = await planWindows(q, filters, range, step);
  const counted = windows.every((w) => w.count !== undefined);
  const expected = windows.reduce((sum, w) => sum + (w.count ?? 0), 0);
  ctx.progress({ pages, expectedRows: expected, expectedRelation: counted ? 'eq' : 'gte' });
  try {
    for (const [i, w] of windows.entries()) await pageWindow(q, w, onPage, windows[i + 1]);
  } finally {
    for (const w of windows) w.first?.abort();
  }
  ctx.progress({ expectedRows: fetched, expectedRelation: 'eq' });
}
