/**
 * A loopback stand-in for OmniQ's `GET /getmydata`: a JSON body on a GET, `x-tenant-id`, offset paging
 * with `hasMore`, Elasticsearch's 10,000 result window, and injectable faults.
 */
import type http from 'node:http';
import { BodyTooLargeError, FaultQueue, readBody, sendJson, startLoopbackServer } from '../common.ts';
import { generateOmniqRecords, type OmniqIndex, type Row } from './data.ts';
import { deliver, loggedStatus, type OmniqFault, type PlannedResponse } from './faults.ts';
import { parseJson, stringifyJson } from './json.ts';
import { isQueryError, parseQuery, runQuery, TOTAL_HITS_CAP, windowError } from './query.ts';
import { registerSecret } from '../../security/secret-registry.ts';

export interface OmniqSimulatorOptions {
  /** Seed of the generated data (default 1). */
  seed?: number;
  /**
   * When the generated records were created (ms since the epoch, end exclusive). Default: the year 2025,
   * fixed so tests are repeatable; the demo uses the year up to today so "yesterday" finds records.
   */
  period?: { start: number; end: number };
  /** Records per index and tenant (default 250 each). */
  counts?: Partial<Record<OmniqIndex, number>>;
  /** Largest allowed from + size (default 10,000, as Elasticsearch); null for no limit. */
  resultWindow?: number | null;
  /** `object`: {results,total,count,pagination} (default); `array`: the bare results array. */
  shape?: 'object' | 'array';
  /** Results items as {document:{…}} (default) or the bare documents. */
  wrapDocument?: boolean;
  /** When set, requests need `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Accepted x-tenant-id values (default ['ACME-TENANT01']). */
  tenants?: string[];
  /**
   * Hand-written documents appended after the generated ones of an index (for every tenant), for tests that
   * need one specific value, e.g. a hostile cell. They keep their given order and are not sorted in.
   */
  extraRecords?: Partial<Record<OmniqIndex, Row[]>>;
  /** Characters of text added to every record (a `notes` field), for pages of large documents. */
  padding?: number;
  /**
   * Days ('yyyy-mm-dd', UTC) without records: the generated records created on them are left out, as when a
   * vendor's data has a gap.
   */
  skipDays?: readonly string[];
}

export interface LoggedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (unsafe integers as bigint), the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  /** Status sent, 0 when the connection was reset instead. */
  status: number;
}

export interface OmniqSimulator {
  /** Base URL `http://127.0.0.1:PORT`; the endpoint is `${url}/getmydata`. */
  url: string;
  close(): Promise<void>;
  /** Consumed one per incoming /getmydata request, in order. */
  injectFaults(...faults: OmniqFault[]): void;
  /** Drops faults not yet consumed. */
  clearFaults(): void;
  requests: LoggedRequest[];
  /** Every record of an index for a tenant (default: the first), in the order pages are cut from. */
  records(index: OmniqIndex, tenant?: string): Row[];
}

export const DEFAULT_TENANT = 'ACME-TENANT01';
const DEFAULT_COUNT = 250;
const DEFAULT_RESULT_WINDOW = 10_000;

export async function startOmniqSimulator(opts: OmniqSimulatorOptions = {}): Promise<OmniqSimulator> {
  if (opts.apiKey !== undefined) registerSecret(opts.apiKey, 'omniq simulator: API key');
  const seed = opts.seed ?? 1;
  const resultWindow = opts.resultWindow === undefined ? DEFAULT_RESULT_WINDOW : opts.resultWindow;
  const tenants = opts.tenants && opts.tenants.length > 0 ? opts.tenants : [DEFAULT_TENANT];
  const shape = opts.shape ?? 'object';
  const wrapDocument = opts.wrapDocument ?? true;
  const faults = new FaultQueue<OmniqFault>();
  const requests: LoggedRequest[] = [];
  const cache = new Map<string, Row[]>();

  const stored = (index: OmniqIndex, tenant: string): Row[] => {
    const key = `${index}\u0000${tenant}`;
    let rows = cache.get(key);
    if (!rows) {
      rows = generateOmniqRecords(
        index,
        opts.counts?.[index] ?? DEFAULT_COUNT,
        seed,
        tenant,
        ...(opts.period ? [{ start: opts.period.start, span: opts.period.end - opts.period.start }] : []),
      );
      const skip = new Set(opts.skipDays ?? []);
      if (skip.size > 0) rows = rows.filter((row) => !skip.has(String(row.createdAt).slice(0, 10)));
      rows.push(...structuredClone(opts.extraRecords?.[index] ?? []));
      if (opts.padding) {
        const notes = 'Customer asked about the spring promo. '.repeat(Math.ceil(opts.padding / 39));
        for (const row of rows) row.notes = notes.slice(0, opts.padding);
      }
      cache.set(key, rows);
    }
    return rows;
  };

  const answer = (method: string, headers: http.IncomingHttpHeaders, body: unknown): PlannedResponse => {
    if (method !== 'GET') return json(405, { error: `Method ${method} not allowed` }, { allow: 'GET' });
    if (opts.apiKey !== undefined && headers.authorization !== `Bearer ${opts.apiKey}`) {
      return json(401, { error: 'Unauthorized' });
    }
    const tenant = headers['x-tenant-id'];
    if (typeof tenant !== 'string' || tenant === '') {
      return json(400, { error: 'Missing x-tenant-id header', field: 'x-tenant-id' });
    }
    if (!tenants.includes(tenant)) return json(401, { error: 'Unknown tenant' });
    if (body === INVALID_JSON) return json(400, { error: 'Request body is not valid JSON' });

    const query = parseQuery(body);
    if (isQueryError(query)) return json(query.status, query.body);
    if (resultWindow !== null && query.from + query.size > resultWindow) {
      const error = windowError(resultWindow);
      return json(error.status, error.body);
    }
    const { items, matched } = runQuery(stored(query.index, tenant), query);
    const results = wrapDocument ? items.map((document) => ({ document })) : items;
    if (shape === 'array') return json(200, results);
    return json(200, {
      results,
      total: { value: Math.min(matched, TOTAL_HITS_CAP), relation: matched > TOTAL_HITS_CAP ? 'gte' : 'eq' },
      count: items.length,
      pagination: { from: query.from, size: query.size, hasMore: query.from + items.length < matched },
    });
  };

  const server = await startLoopbackServer(async (req, res) => {
    const method = req.method ?? 'GET';
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      requests.push({ method, headers: req.headers, body: undefined, status: 413 });
      return sendJson(res, 413, { error: err.message }, { connection: 'close' });
    }
    const text = raw.toString('utf8');
    const body = decodeBody(text);
    const logged: LoggedRequest = {
      method,
      headers: req.headers,
      body: body === INVALID_JSON ? text : body,
      status: 0,
    };
    requests.push(logged);

    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/getmydata') {
      logged.status = 404;
      return sendJson(res, 404, { error: 'Not found' });
    }
    const fault = faults.take();
    const planned = answer(method, req.headers, body);
    logged.status = loggedStatus(fault, planned);
    await deliver(res, planned, fault);
  });

  return {
    url: server.url,
    close: () => server.close(),
    injectFaults: (...list) => faults.push(...list),
    clearFaults: () => faults.clear(),
    requests,
    // A deep copy: a test that edits what it got back must not change what the server answers.
    records: (index, tenant = tenants[0] ?? DEFAULT_TENANT) => structuredClone(stored(index, tenant)),
  };
}

const INVALID_JSON = Symbol('invalid JSON');

function decodeBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return parseJson(text);
  } catch {
    return INVALID_JSON;
  }
}

function json(status: number, value: unknown, headers?: PlannedResponse['headers']): PlannedResponse {
  return { status, text: stringifyJson(value), ...(headers ? { headers } : {}) };
}
