/** OmniQ's `getmydata` request on the kit's Requester, and the two forms its answer comes in. */
import type { OmniqConnection } from '../../../shared/providers/omniq.ts';
import type { Row } from '../../../shared/records.ts';
import { Readable } from 'node:stream';
import type { WindowStep } from '../../http/date-windows.ts';
import { HttpError } from '../../http/errors.ts';
import { Requester } from '../../http/requester.ts';
import type { RetryPolicy } from '../../http/retry.ts';
import { readJsonRows, type RowTexts } from '../myreports/json-rows.ts';
import type { TestContext } from '../../jobs/provider.ts';
import { vendorError } from '../vendor-errors.ts';
import { PageRows } from './page-rows.ts';

export const VENDOR = 'OmniQ';
/** Elasticsearch's default `index.max_result_window`, which OmniQ's `total` is capped at. */
export const RESULT_WINDOW = 10_000;

export type OmniqInit = Pick<
  TestContext<OmniqConnection>,
  'http' | 'clock' | 'signal' | 'connection' | 'secrets'
> & {
  /** A connection test gives up sooner than an export. */
  policy?: Partial<RetryPolicy>;
  onRetry?: (message: string) => void;
  /** Where rows of a page too large for memory wait (the job's work folder). */
  spillDir?: string;
};

/**
 * One page of a query; `signal` cancels this request alone (a page asked for ahead, not needed).
 * `once`: not tried again when it fails (a probe whose failure is an answer too).
 */
export type FetchPage = (
  body: { index: string; filterBy?: Record<string, unknown>; from: number; size: number },
  step: string,
  signal?: AbortSignal,
  once?: boolean,
) => Promise<WindowStep<PageRows>>;

const HINTS = {
  400: 'Check the entity (index) and the filters: OmniQ refused the query.',
  401: 'Check the tenant id and the API key of this connection.',
  403: 'This tenant or key may not read this entity; ask your OmniQ administrator.',
  404: 'Check the API address of this connection.',
};

/**
 * OmniQ's one call, `GET getmydata` with the query as a JSON body, the tenant in `x-tenant-id` and the
 * optional API key as a bearer token (OmniQ keys neither expire nor refresh: a 401 stands).
 */
export function omniqFetch(init: OmniqInit): FetchPage {
  const apiKey = init.secrets.apiKey;
  const requester = new Requester({
    vendor: VENDOR,
    http: init.http,
    clock: init.clock,
    signal: init.signal,
    base: init.connection.baseUrl.replace(/\/?$/, '/'),
    headers: {
      'x-tenant-id': init.connection.tenantId,
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
    secrets: apiKey ? [apiKey] : [],
    ...(init.policy ? { policy: init.policy } : {}),
    mapError: (step, e) => vendorError(VENDOR, step, e, HINTS),
    onRetry: ({ attempt, delayMs, error }, step) =>
      init.onRetry?.(
        `${step}: ${(error as Error).message}; retry ${attempt} in ${Math.ceil(delayMs / 1000)} s`,
      ),
  });
  return (body, step, signal, once) =>
    requester.send({
      path: 'getmydata',
      json: body,
      step,
      ...(signal ? { signal } : {}),
      ...(once ? { retryable: () => false } : {}),
      read: (res, signal) => readPage(res.body, body.size, signal, res.url, init.spillDir),
    });
}

/** A bare document, or the `document` of a results item. */
function unwrap(item: Row): Row {
  const doc = item.document;
  return (doc && typeof doc === 'object' && !Array.isArray(doc) ? doc : item) as Row;
}

/**
 * The text of each document of a batch, when known: a bare document's is the item's; the `document` of an
 * item with no other key is the one object inside it. Otherwise undefined (the row is written anew).
 */
function documentTexts(items: Row[], docs: Row[], texts: RowTexts): (string | undefined)[] {
  return items.map((item, i) => {
    if (docs[i] === item) return texts.whole[i];
    return Object.keys(item).length === 1 ? texts.only[i] : undefined;
  });
}

/**
 * Reads one answer as it arrives, in both forms the vendor documents: `{results, pagination, total}` and
 * a bare array of items. Rows go to a PageRows as they are parsed, so no page is ever whole in memory.
 */
async function readPage(
  body: Readable,
  requested: number,
  signal: AbortSignal,
  url: string,
  spillDir: string | undefined,
): Promise<WindowStep<PageRows>> {
  const rows = new PageRows(spillDir);
  // Worth another try, like a broken-off answer.
  const garbled = (message: string, cause?: unknown): HttpError =>
    new HttpError({ kind: 'network', message, url, method: 'GET', cause });
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
      onRows: (batch, texts) => {
        const docs = batch.map(unwrap);
        return rows.add(docs, texts && documentTexts(batch, docs, texts), bytes);
      },
      signal,
      batchRows: 200,
      texts: true,
    });
    if (!found) throw garbled('OmniQ answered with JSON that has neither "results" nor an array of records');
    if (Array.isArray(rest)) {
      // No pagination info in this form: a short page is the last one.
      return { page: rows, count: rows.count, more: rows.count >= requested && rows.count > 0 };
    }
    const obj = rest as {
      pagination?: { hasMore?: unknown };
      total?: { value?: unknown; relation?: unknown };
    };
    const more =
      typeof obj.pagination?.hasMore === 'boolean' ? obj.pagination.hasMore : rows.count >= requested;
    const value = Number(obj.total?.value);
    const total = Number.isFinite(value)
      ? { value, relation: obj.total?.relation === 'gte' ? ('gte' as const) : ('eq' as const) }
      : undefined;
    return { page: rows, count: rows.count, more, ...(total ? { total } : {}) };
  } catch (e) {
    await rows.discard();
    // The answer broke off (an HttpError), or the disk would not take its rows: as they are.
    if (e instanceof HttpError || (e as { code?: unknown }).code !== undefined || signal.aborted) throw e;
    // Anything else is what the parser found wrong with the text: worth another try, as a garbled answer.
    throw garbled(`OmniQ sent malformed JSON (${(e as Error).message})`, e);
  }
}
