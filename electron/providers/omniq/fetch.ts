/** One OmniQ `getmydata` request: the call with retries, the vendor's error hints, and both answer forms. */
import type { OmniqConnection } from '../../../shared/providers/omniq.ts';
import type { Row } from '../../../shared/records.ts';
import { Readable } from 'node:stream';
import { expectOk, type HttpClient } from '../../http/client.ts';
import type { Clock } from '../../base/clock.ts';
import { HttpError } from '../../http/errors.ts';
import { withRetry, type RetryPolicy } from '../../http/retry.ts';
import { readJsonRows } from '../myreports/json-rows.ts';
import { vendorError } from '../vendor-errors.ts';
import { PageRows } from './page-rows.ts';

export const VENDOR = 'OmniQ';
/** Elasticsearch's default `index.max_result_window`, which OmniQ's `total` is capped at. */
export const RESULT_WINDOW = 10_000;

export interface Page {
  /** The page's rows, read once through `rows.batches()`; `rows.count` of them. */
  rows: PageRows;
  hasMore: boolean;
  total?: { value: number; relation: 'eq' | 'gte' };
}

export interface Caller {
  http: HttpClient;
  /** A connection test gives up sooner than an export. */
  policy?: Partial<RetryPolicy>;
  clock: Clock;
  signal: AbortSignal;
  connection: OmniqConnection;
  apiKey: string | undefined;
  onRetry?: (message: string) => void;
  /** Where rows of a page too large for memory wait (the job's work folder). */
  spillDir?: string;
}

function endpoint(baseUrl: string): string {
  return new URL('getmydata', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

/** A bare document, or the `document` of a results item. */
function unwrap(item: Row): Row {
  const doc = item.document;
  return (doc && typeof doc === 'object' && !Array.isArray(doc) ? doc : item) as Row;
}

/**
 * Reads one answer as it arrives, in both forms the vendor documents: `{results, pagination, total}` and
 * a bare array of items. Rows go to a PageRows as they are parsed, so no page is ever whole in memory.
 */
async function readPage(body: Readable, requested: number, c: Caller, url: string): Promise<Page> {
  const rows = new PageRows(c.spillDir);
  let bytes = 0;
  let found = false;
  const counted = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of body) {
      bytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  };
  try {
    const { rest } = await readJsonRows(Readable.from(counted()), {
      rowPaths: [['results'], []],
      onRowsStart: () => void (found = true),
      onRows: (batch) => rows.add(batch.map(unwrap), bytes),
      signal: c.signal,
      batchRows: 200,
    });
    if (!found) {
      throw new HttpError({
        kind: 'network',
        message: 'OmniQ answered with JSON that has neither "results" nor an array of records',
        url,
        method: 'GET',
      });
    }
    if (Array.isArray(rest)) {
      // No pagination info in this form: a short page is the last one.
      return { rows, hasMore: rows.count >= requested && rows.count > 0 };
    }
    const obj = rest as {
      pagination?: { hasMore?: unknown };
      total?: { value?: unknown; relation?: unknown };
    };
    const hasMore =
      typeof obj.pagination?.hasMore === 'boolean' ? obj.pagination.hasMore : rows.count >= requested;
    const value = Number(obj.total?.value);
    const total = Number.isFinite(value)
      ? { value, relation: obj.total?.relation === 'gte' ? ('gte' as const) : ('eq' as const) }
      : undefined;
    return { rows, hasMore, ...(total ? { total } : {}) };
  } catch (e) {
    await rows.discard();
    // The answer broke off (an HttpError), or the disk would not take its rows: as they are.
    if (e instanceof HttpError || (e as { code?: unknown }).code !== undefined || c.signal.aborted) throw e;
    // Anything else is what the parser found wrong with the text: worth another try, as a garbled answer.
    throw new HttpError({
      kind: 'network',
      message: `OmniQ sent malformed JSON (${(e as Error).message})`,
      url,
      method: 'GET',
      cause: e,
    });
  }
}

export async function fetchPage(c: Caller, body: Record<string, unknown>, step: string): Promise<Page> {
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
        return readPage(res.body, Number(body.size), c, res.url);
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
