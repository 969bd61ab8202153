import { isRelativeDate, resolveRelativeDate, splitRange, type DateRange } from '../../shared/dates.ts';
import { omniqProvider, type OmniqConnection, type OmniqQuery } from '../../shared/providers/omniq.ts';
import type { Row } from '../../shared/records.ts';
import { parseJson } from '../export/json-lossless.ts';
import { expectOk, type HttpClient } from '../http/client.ts';
import type { Clock } from '../http/clock.ts';
import { HttpError } from '../http/errors.ts';
import { withRetry, type RetryPolicy } from '../http/retry.ts';
import { ExportError } from '../jobs/errors.ts';
import { vendorError } from './vendor-errors.ts';
import type { ProviderRuntime, RunContext } from './types.ts';

const VENDOR = 'OmniQ';
/** Elasticsearch's default `index.max_result_window`, which OmniQ's `total` is capped at. */
const RESULT_WINDOW = 10_000;
/** Used when a query without a createdAt range has to be split: everything up to the start of the export. */
const EPOCH = '1970-01-01T00:00:00.000Z';
/** Records stamped by a server whose clock runs ahead of ours still fall inside the added range. */
const CLOCK_SKEW_MS = 86_400_000;

interface Page {
  rows: Row[];
  hasMore: boolean;
  total?: { value: number; relation: 'eq' | 'gte' };
}

interface Caller {
  http: HttpClient;
  /** A connection test gives up sooner than an export. */
  policy?: Partial<RetryPolicy>;
  clock: Clock;
  signal: AbortSignal;
  connection: OmniqConnection;
  apiKey: string | undefined;
  onRetry?: (message: string) => void;
}

function endpoint(baseUrl: string): string {
  return new URL('getmydata', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

/** Accepts both forms the vendor documents: `{results, pagination, total}` and a bare array of items. */
export function normalizePage(body: unknown, requested: number): Page {
  const unwrap = (item: unknown): Row => {
    const obj = (item ?? {}) as Record<string, unknown>;
    const doc = obj.document;
    return (doc && typeof doc === 'object' && !Array.isArray(doc) ? doc : obj) as Row;
  };
  if (Array.isArray(body)) {
    // No pagination info in this form: a short page is the last one.
    return { rows: body.map(unwrap), hasMore: body.length >= requested && body.length > 0 };
  }
  if (!body || typeof body !== 'object' || !Array.isArray((body as { results?: unknown }).results)) {
    throw new HttpError({
      kind: 'network',
      message: 'OmniQ answered with JSON that has neither "results" nor an array of records',
      url: '',
      method: 'GET',
    });
  }
  const obj = body as {
    results: unknown[];
    pagination?: { hasMore?: unknown };
    total?: { value?: unknown; relation?: unknown };
  };
  const rows = obj.results.map(unwrap);
  const hasMore =
    typeof obj.pagination?.hasMore === 'boolean' ? obj.pagination.hasMore : rows.length >= requested;
  const value = Number(obj.total?.value);
  const total = Number.isFinite(value)
    ? { value, relation: obj.total?.relation === 'gte' ? ('gte' as const) : ('eq' as const) }
    : undefined;
  return { rows, hasMore, ...(total ? { total } : {}) };
}

async function fetchPage(c: Caller, body: Record<string, unknown>, step: string): Promise<Page> {
  const secrets = c.apiKey ? [c.apiKey] : [];
  try {
    return await withRetry(
      async () => {
        const res = await c.http.request({
          method: 'GET',
          url: endpoint(c.connection.baseUrl),
          headers: {
            accept: 'application/json',
            'x-tenant-id': c.connection.tenantId,
            ...(c.apiKey ? { authorization: `Bearer ${c.apiKey}` } : {}),
          },
          json: body,
          signal: c.signal,
          secrets,
        });
        await expectOk(res, 'OmniQ getmydata');
        const text = await res.text();
        let parsed: unknown;
        try {
          parsed = parseJson(text);
        } catch (e) {
          throw new HttpError({
            kind: 'network',
            message: `OmniQ sent malformed JSON (${(e as Error).message})`,
            url: res.url,
            method: 'GET',
          });
        }
        return normalizePage(parsed, Number(body.size));
      },
      {
        clock: c.clock,
        signal: c.signal,
        ...(c.policy ? { policy: c.policy } : {}),
        onRetry: ({ attempt, delayMs, error }) =>
          c.onRetry?.(
            `${step}: ${(error as Error).message}; retry ${attempt} in ${Math.ceil(delayMs / 1000)} s`,
          ),
      },
    );
  } catch (e) {
    throw vendorError(VENDOR, step, e, {
      400: 'Check the entity (index) and the filters: OmniQ refused the query.',
      401: 'Check the tenant id and the API key of this connection.',
      403: 'This tenant or key may not read this entity; ask your OmniQ administrator.',
      404: 'Check the API address of this connection.',
    });
  }
}

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
  const caller: Caller = {
    http: ctx.http,
    clock: ctx.clock,
    signal: ctx.signal,
    connection,
    apiKey: ctx.secrets.apiKey,
    onRetry: (m) => ctx.logger.warn(m),
  };
  const pageSize = connection.pageSize;
  const filters: Record<string, unknown> = { ...query.filterBy };
  const initial = createdAtOf(query);
  ctx.setState('downloading', `Fetching ${query.index}`);

  let fetched = 0;
  let pages = 0;
  let split = false;
  // Windows are visited oldest first, so rows come out in createdAt order across windows.
  const pending: (DateRange | string | undefined)[] = [initial];
  while (pending.length > 0) {
    const window = pending.shift();
    const filterBy = window === undefined ? { ...filters } : { ...filters, createdAt: window };
    if (window === undefined) delete filterBy.createdAt;
    let from = 0;
    for (;;) {
      const size = Math.min(pageSize, RESULT_WINDOW - from);
      const step = `fetching ${query.index} records ${from + 1}–${from + size}`;
      const page = await fetchPage(caller, { index: query.index, filterBy, from, size }, step);
      pages++;
      if (from === 0 && page.total?.relation === 'gte') {
        // More than OmniQ can page through in one query: split the createdAt range and start over in halves.
        const range =
          typeof window === 'object'
            ? window
            : window === undefined
              ? { from: EPOCH, to: new Date(ctx.clock.now() + CLOCK_SKEW_MS).toISOString() }
              : undefined;
        if (window === undefined)
          ctx.warn(
            'The query has no createdAt range, so one was added to split it: records without a createdAt are not included.',
          );
        const halves = range ? splitRange(range) : undefined;
        if (!halves) {
          throw new ExportError({
            vendor: VENDOR,
            step,
            message: `More than ${RESULT_WINDOW.toLocaleString('en-US')} records match a single createdAt instant; OmniQ cannot page past that many.`,
            hint: 'Add a filter (filterBy) that narrows the records.',
          });
        }
        if (!split)
          ctx.warn(
            `More than ${RESULT_WINDOW.toLocaleString('en-US')} records match: the export is fetched in createdAt windows.`,
          );
        split = true;
        pending.unshift(...halves);
        ctx.progress({ pages, expectedRows: Math.max(RESULT_WINDOW, fetched), expectedRelation: 'gte' });
        break;
      }
      if (from === 0 && page.total && !split && window === initial) {
        ctx.progress({ expectedRows: page.total.value, expectedRelation: page.total.relation });
      }
      await ctx.append(page.rows);
      fetched += page.rows.length;
      from += page.rows.length;
      ctx.progress({ pages });
      if (!page.hasMore) break;
      if (page.rows.length === 0) {
        throw new ExportError({
          vendor: VENDOR,
          step,
          message: 'OmniQ said more records follow but sent an empty page.',
          hint: 'Retry the export; if it happens again, report it to OmniQ with the time of the export.',
        });
      }
      if (from >= RESULT_WINDOW) {
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
    }
  }
  if (split) ctx.progress({ expectedRows: fetched, expectedRelation: 'eq' });
}
