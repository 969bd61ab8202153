import { isRelativeDate, resolveRelativeDate } from '../../shared/dates.ts';
import { omniqProvider, type OmniqConnection, type OmniqQuery } from '../../shared/providers/omniq.ts';
import { omniqFetch, type FetchPage } from './omniq/fetch.ts';
import { createdAtOf, omniqQueryPages } from './omniq/paging.ts';
import type { ProviderRuntime, RunContext } from '../jobs/provider.ts';

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
    const fetch = omniqFetch({
      ...ctx,
      apiKey: ctx.secrets.apiKey,
      policy: { maxAttempts: 2, budgetMs: 15_000 },
    });
    const page = await fetch({ index: 'agents', from: 0, size: 1 }, 'testing the connection');
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
  const fetch = omniqFetch({
    ...ctx,
    apiKey: ctx.secrets.apiKey,
    onRetry: (m) => ctx.logger.warn(m),
    spillDir: ctx.workDir,
  });
  // Every page fetched counts, count probes and pages thrown away included.
  const counted: FetchPage = (...args) => fetch(...args).then((p) => (pages++, p));
  ctx.setState('downloading', `Fetching ${query.index}`);
  const all = omniqQueryPages(counted, query, {
    pageSize: connection.pageSize,
    nowMs: ctx.clock.now(),
    warn: (m) => ctx.warn(m),
    onExpected: (rows, exact) =>
      ctx.progress({ pages, expectedRows: rows, expectedRelation: exact ? 'eq' : 'gte' }),
  });
  for await (const page of all) {
    try {
      for await (const rows of page.rows.batches(ctx.signal)) await ctx.append(rows);
    } finally {
      await page.rows.discard();
    }
    ctx.progress({ pages });
  }
}
