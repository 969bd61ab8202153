/** One OmniQ `getmydata` request: the call with retries, the vendor's error hints, and both answer forms. */
import type { OmniqConnection } from '../../../shared/providers/omniq.ts';
import type { Row } from '../../../shared/records.ts';
import { parseJson } from '../../export/json-lossless.ts';
import { expectOk, type HttpClient } from '../../http/client.ts';
import type { Clock } from '../../http/clock.ts';
import { HttpError } from '../../http/errors.ts';
import { withRetry, type RetryPolicy } from '../../http/retry.ts';
import { vendorError } from '../vendor-errors.ts';

export const VENDOR = 'OmniQ';
/** Elasticsearch's default `index.max_result_window`, which OmniQ's `total` is capped at. */
export const RESULT_WINDOW = 10_000;

export interface Page {
  rows: Row[];
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
