/**
 * A loopback stand-in for IntelePeer's authentication and Insights v4 API (dwh/Q): the field catalogue,
 * queries that run for a while on the simulator's clock, at most two running per user (429 beyond), and
 * at most about 1 TB of data per query (the same 429, even with nothing else running), a query that finds
 * no data ending Failed with the doc's "No Data Returned" messages, the reference doc's error bodies, and
 * the result call's Python-list status text. Report shards are written
 * as gzip CSV into `filesDir`, which the tests serve with a real OpenSSH server.
 */
import type http from 'node:http';
import { systemClock, type Clock } from '../../../electron/base/clock.ts';
import { FaultQueue, readBody, resetSocket, sendJson, sendText, startLoopbackServer } from '../common.ts';
import { hashSeed, picker, prng } from '../cxone/random.ts';
import { CATALOGUE } from './catalogue.ts';
import { buildReport, mergedCsv, writeShards } from './reports.ts';
import { validateQuery, type ValidQuery } from './validate.ts';
import { registerSecret, registerSecrets } from '../../security/secret-registry.ts';

export interface IntelepeerSimulatorOptions {
  clock?: Clock;
  seed?: number;
  /** API users: username -> password (default { 'api-user': 'api-secret' }). */
  users?: Record<string, string>;
  /** Where report shards are written (the SFTP server's folder). */
  filesDir: string;
  /** How long a query runs before it completes (default 60 s). */
  queryRunMs?: number;
  /** Records per chosen event (default 12). */
  rowsPerEvent?: number;
  /** Shards per report (default 1). */
  shards?: number;
  /** Token lifetime (default 24 h, as the vendor documents). */
  tokenLifetimeMs?: number;
  /**
   * Bytes a query scans per chosen field and day of its time range (default 0). A query over
   * QUERY_DATA_LIMIT_BYTES is refused with the concurrency limit's 429, as the doc says of both limits.
   */
  bytesPerFieldDay?: number;
}

/** "The maximum amount of data each query can retrieve is approximately one (1) TB." */
export const QUERY_DATA_LIMIT_BYTES = 1e12;
/** The reference doc's "No Data Returned" answer: a query that found nothing ends Failed with these. */
export const NO_DATA_MESSAGES = [
  'Query range to wide',
  'All data fields have empty values, advise adding core fields',
];
const LIMIT_REACHED = { code: 429, message: 'max concurrent queries per user (2) reached' };

export type IntelepeerFault = { kind: 'status'; status: number; body?: unknown } | { kind: 'reset' };

interface Query {
  guid: string;
  user: string;
  createdAt: number;
  body: ValidQuery;
  outcome: { status: 'Completed' } | { status: 'Failed'; messages: string[] } | { status: 'Canceled' };
  paths?: string[];
}

export interface IntelepeerCall {
  at: number;
  method: string;
  path: string;
  status: number;
  /** The JSON body of a POST. */
  body?: unknown;
}

export interface IntelepeerSimulator {
  /** `http://127.0.0.1:PORT`: POST /_rest/v4/authenticate. */
  authUrl: string;
  /** `http://127.0.0.1:PORT`: /_rest/v4/dwh/Q … */
  apiUrl: string;
  close(): Promise<void>;
  calls: IntelepeerCall[];
  /** Queries accepted (201). */
  posts(): number;
  /** The most queries of one user running at the same time. */
  maxRunning(): number;
  /** Queries answered 429. */
  refusals(): number;
  /** Sign-ins answered 200. */
  signIns(): number;
  /** The next accepted query ends Failed with these messages, or Canceled. */
  failNextQuery(messages: string[]): void;
  cancelNextQuery(): void;
  /** Shards of the next reports. */
  setShards(n: number): void;
  /** The next result call lists these paths instead of the real ones (hostile or broken answers). */
  setNextPaths(paths: string[]): void;
  /** Queries started elsewhere (another tool on the account) keep `n` slots busy for `ms`. */
  occupy(user: string, n: number, ms: number): void;
  /** While held, every query keeps running (Processing) whatever the clock says. */
  hold(held: boolean): void;
  /** The status running queries report instead of Pending/Processing (one the docs do not list), or back. */
  setRunningStatus(status: string | undefined): void;
  /** Every query is forgotten: status and result calls answer the doc's 500 "does not exist". */
  forget(): void;
  /** The next `n` result calls after a query completed still say "Process has not finish yet". */
  setResultLag(n: number): void;
  /** Every token issued so far answers 401 from now on. */
  expireTokens(): void;
  injectFaults(...faults: IntelepeerFault[]): void;
  /** The one table a query's shards make, header once. */
  expectedCsv(guid: string): string;
  /** Guids in the order they were accepted. */
  guids(): string[];
}

const Q = /^\/_rest\/v4\/dwh\/Q(?:\/([^/]+)(\/status)?)?\/?$/;
const UNKNOWN_ID = [
  { message: 'could not get QueryRequest object: QueryRequest matching query does not exist.', code: 500 },
];

export async function startIntelepeerSimulator(
  opts: IntelepeerSimulatorOptions,
): Promise<IntelepeerSimulator> {
  const clock = opts.clock ?? systemClock;
  const seed = opts.seed ?? 1;
  const users = opts.users ?? { 'api-user': 'api-secret' };
  registerSecrets(Object.values(users), 'intelepeer simulator: API user password');
  const runMs = opts.queryRunMs ?? 60_000;
  const tokenMs = opts.tokenLifetimeMs ?? 86_400_000;
  const ids = picker(prng(hashSeed(seed, 'ids')));
  const hex = (): string => Array.from({ length: 32 }, () => ids.int(0, 15).toString(16)).join('');
  const tokens = new Map<string, { user: string; expiresAt: number }>();
  const queries = new Map<string, Query>();
  const order: string[] = [];
  const phantoms: Array<{ user: string; until: number }> = [];
  const faults = new FaultQueue<IntelepeerFault>();
  const calls: IntelepeerCall[] = [];
  const planned: Query['outcome'][] = [];
  let shards = opts.shards ?? 1;
  let nextPaths: string[] | undefined;
  let resultLag = 0;
  let held = false;
  let runningStatus: string | undefined;
  let posts = 0;
  let refusals = 0;
  let signIns = 0;
  let maxRunning = 0;

  const running = (user: string): number => {
    const now = clock.now();
    const real = [...queries.values()].filter(
      (q) => q.user === user && (held || now < q.createdAt + runMs),
    ).length;
    return real + phantoms.filter((p) => p.user === user && now < p.until).length;
  };
  const statusOf = (q: Query): string => {
    const age = held ? 0 : clock.now() - q.createdAt;
    if (age < runMs) return runningStatus ?? (age < runMs / 3 ? 'Pending' : 'Processing');
    return q.outcome.status;
  };
  const reportOf = (q: Query) => buildReport(q.guid, q.body, seed, opts.rowsPerEvent ?? 12);

  const userOf = (req: http.IncomingMessage): string | undefined => {
    // Older IntelePeer docs send the raw token without "Bearer": both are accepted.
    const raw = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
    const t = tokens.get(raw);
    return t && clock.now() < t.expiresAt ? t.user : undefined;
  };

  const authenticate = (body: unknown): [number, unknown] => {
    const b = (body ?? {}) as { username?: unknown; password?: unknown };
    if (typeof b.username !== 'string' || users[b.username] === undefined || users[b.username] !== b.password)
      return [401, { code: 401, error: 'Unauthorized' }];
    const token = Buffer.from(hex() + hex(), 'hex').toString('base64');
    tokens.set(token, { user: b.username, expiresAt: clock.now() + tokenMs });
    registerSecret(token, 'intelepeer simulator: token');
    signIns++;
    return [200, { token }];
  };

  const api = (method: string, m: RegExpExecArray, user: string, body: unknown): [number, unknown] => {
    const [, guid, status] = m;
    if (!guid) {
      if (method === 'GET') return [200, CATALOGUE];
      if (method !== 'POST') return [405, { code: 405, message: `Method ${method} not allowed` }];
      const valid = validateQuery(body);
      if ('status' in valid) return [valid.status, valid.body];
      const days = Math.max(1, Math.ceil((valid.to - valid.from) / 86_400_000));
      const scanned = (opts.bytesPerFieldDay ?? 0) * days * Object.values(valid.data).flat().length;
      if (running(user) >= 2 || scanned > QUERY_DATA_LIMIT_BYTES) {
        refusals++;
        return [429, LIMIT_REACHED];
      }
      const guid = hex();
      const empty = buildReport(guid, valid, seed, opts.rowsPerEvent ?? 12).rows.length === 0;
      const q: Query = {
        guid,
        user,
        createdAt: clock.now(),
        body: valid,
        outcome:
          planned.shift() ??
          (empty ? { status: 'Failed', messages: NO_DATA_MESSAGES } : { status: 'Completed' }),
      };
      queries.set(q.guid, q);
      order.push(q.guid);
      posts++;
      maxRunning = Math.max(maxRunning, running(user));
      return [201, { id: q.guid }];
    }
    const q = queries.get(guid);
    if (!q || q.user !== user) return [500, UNKNOWN_ID];
    if (status) {
      const s = statusOf(q);
      if (s === 'Failed' && q.outcome.status === 'Failed')
        return [200, { status: s, guid, messages: q.outcome.messages }];
      return [200, { status: s, guid }];
    }
    const lagging = statusOf(q) === 'Completed' && resultLag > 0 && resultLag-- > 0;
    if (statusOf(q) !== 'Completed' || lagging)
      return [200, { status: 'Process has not finish yet, please verify the status of your request', guid }];
    q.paths ??= writeShards(opts.filesDir, q.guid, reportOf(q), shards, q.createdAt);
    const listed = nextPaths ?? q.paths;
    nextPaths = undefined;
    return [
      200,
      { status: `Process finished. Download: [${listed.map((p) => `u'${p}'`).join(', ')}]`, guid },
    ];
  };

  const server = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const text = (await readBody(req)).toString('utf8');
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : undefined;
    } catch {
      return sendJson(res, 400, { code: 400, message: 'The request body is not valid JSON.' });
    }
    if (url.pathname === '/_rest/v4/authenticate' && method === 'POST') {
      const [status, answer] = authenticate(body);
      return sendJson(res, status, answer);
    }
    const m = Q.exec(url.pathname);
    if (!m) return sendJson(res, 404, { code: 404, message: 'Not Found' });
    const call: IntelepeerCall = {
      at: clock.now(),
      method,
      path: url.pathname,
      status: 0,
      ...(body === undefined ? {} : { body }),
    };
    calls.push(call);
    const fault = faults.take();
    if (fault?.kind === 'reset') return resetSocket(res.socket);
    const user = userOf(req);
    let answer: [number, unknown];
    if (fault) answer = [fault.status, fault.body ?? { code: fault.status, message: 'Simulated fault' }];
    else if (!user) answer = [401, { code: 401, error: 'Unauthorized' }];
    else answer = api(method === 'HEAD' ? 'GET' : method, m, user, body);
    call.status = answer[0];
    if (method === 'HEAD') {
      res.writeHead(answer[0], { 'content-type': 'application/json' });
      res.end();
      return;
    }
    sendText(res, answer[0], JSON.stringify(answer[1]));
  });

  return {
    authUrl: server.url,
    apiUrl: server.url,
    close: () => server.close(),
    calls,
    posts: () => posts,
    maxRunning: () => maxRunning,
    refusals: () => refusals,
    signIns: () => signIns,
    failNextQuery: (messages) => planned.push({ status: 'Failed', messages }),
    cancelNextQuery: () => planned.push({ status: 'Canceled' }),
    setShards: (n) => (shards = n),
    setNextPaths: (paths) => (nextPaths = paths),
    occupy: (user, n, ms) => {
      for (let i = 0; i < n; i++) phantoms.push({ user, until: clock.now() + ms });
    },
    hold: (h) => (held = h),
    setRunningStatus: (st) => (runningStatus = st),
    forget: () => queries.clear(),
    setResultLag: (n) => (resultLag = n),
    expireTokens: () => tokens.clear(),
    injectFaults: (...list) => faults.push(...list),
    expectedCsv: (guid) => {
      const q = queries.get(guid);
      if (!q) throw new Error(`No query ${guid}`);
      return mergedCsv(reportOf(q));
    },
    guids: () => [...order],
  };
}
