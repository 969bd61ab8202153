/**
 * A loopback stand-in for NICE CXone's access-key sign-in and Data Extraction API V1, with the local
 * "S3" its jobs link to. All time (token expiry, the 30-second rule, job run time, link expiry) is read
 * from an injectable clock, so tests drive minutes of vendor time with a FakeClock.
 */
import type http from 'node:http';
import { systemClock, type Clock } from '../../../electron/base/clock.ts';
import {
  BodyTooLargeError,
  FaultQueue,
  readBody,
  resetSocket,
  sendJson,
  sendText,
  startLoopbackServer,
} from '../common.ts';
import { answerApi, message, type ApiContext, type Planned } from './api.ts';
import { TokenStore, type TokenResponse } from './auth.ts';
import { isKnownEntity, hasVersion } from './columns.ts';
import { extractionCsv } from './csv.ts';
import { JobStore } from './jobs.ts';
import { LinkStore, S3_PREFIX, type Download } from './s3.ts';

export interface CxoneSimulatorOptions {
  /** Default: the system clock. Every time rule of the simulator reads this clock. */
  clock?: Clock;
  /** Seed of the generated files, job ids and tokens (default 1). */
  seed?: number;
  /** accessKeyId -> secret (default { 'AK-DEMO': 'demo-secret' }). */
  accessKeys?: Record<string, string>;
  /** Which tenant a key belongs to (default: every key -> 'TENANT-1'). */
  tenantOf?: (accessKeyId: string) => string;
  /** Access token lifetime, the `expires_in` of the token answer (default 3600). */
  tokenLifetimeSeconds?: number;
  /** How long a job stays RUNNING after it was posted (default 60 000 ms). */
  jobRunMs?: number;
  /** Generated rows per UTC day of a job's range (default 20). */
  rowsPerDay?: number;
  /**
   * The answer to a call within 30 s of the tenant's previous one (default 429). Its body says which of
   * the vendor's two rules it broke, in the reference's own words: the 30-second rule when the previous
   * call was the same user's, the one-user rule when it was another user's.
   */
  limitStatus?: 429 | 403;
  /**
   * Which token carries the `tenantId` claim (default 'id_token'). With 'access_token' the access token
   * is a JWT carrying it and the id token has none, as some tenants' sign-ins answer.
   */
  tenantClaimIn?: 'id_token' | 'access_token';
  /** Only what `apiUrl` shows; `/V1` and `/v1` are both always accepted. */
  pathPrefix?: 'V1' | 'v1';
  /**
   * accessKeyId -> the entityNames it may extract (default: every key may extract everything). A key
   * with an empty list has no Data Extraction permission at all: even the job list answers 403.
   */
  permissions?: Record<string, string[]>;
  /** The origin download links point at, when a proxy stands in front of the simulator (default its own). */
  publicUrl?: string;
}

export type CxoneFault = { kind: 'status'; status: number; body?: string } | { kind: 'reset' };

export interface CxoneCall {
  at: number;
  /** '' when the call carried no valid token. */
  tenant: string;
  method: string;
  path: string;
  /** 0 when the connection was reset instead of answered. */
  status: number;
}

export interface CxoneSimulator {
  /** `http://127.0.0.1:PORT`: POST /authentication/v1/token/access-key, POST /public/user/refresh. */
  authUrl: string;
  /** `http://127.0.0.1:PORT/data-extraction/V1`; the jobs endpoints are under it. */
  apiUrl: string;
  close(): Promise<void>;
  /** The next posted job (after any already planned) ends FAILED with this errorMessage. */
  failNextJob(errorMessage: string): void;
  /** The next posted job (after any already planned) ends with this status, known or not. */
  setNextJobStatus(status: string): void;
  /** Replace the answers to the next Data Extraction calls, one fault per call. */
  injectFaults(...faults: CxoneFault[]): void;
  /** Replace the answers to the next sign-ins and refreshes (token endpoints), one fault per call. */
  injectSignInFaults(...faults: CxoneFault[]): void;
  /** The next `times` file downloads send `bytes` of the file, then the connection drops. */
  cutNextDownload(bytes: number, times?: number): void;
  /** Every access token issued so far answers 401 from now on; refresh tokens keep working. */
  expireTokens(): void;
  /** Data Extraction calls only (not the token endpoints, not downloads). */
  calls: CxoneCall[];
  /** Downloads from the local S3, with their status. */
  downloads: Download[];
  /** Calls for a tenant less than 30 s after its previous accepted call. */
  violations(): number;
  /** POST /jobs answered 202. */
  posts(): number;
  /** Exactly the file (BOM included) a job for this range serves. */
  expectedCsv(entityName: string, version: string, startDate: string, endDate: string): string;
}

export const CALL_SPACING_MS = 30_000;
/** The reference's wording of its two call rules, sent as the body of the refusal. */
export const THIRTY_SECOND_RULE = 'You can only call the API once in a 30 second period.';
export const ONE_USER_RULE = 'At any given time, only one user per tenant can call an API.';
const DATA_EXTRACTION = /^\/data-extraction\/[vV]1(\/.*)?$/;

export async function startCxoneSimulator(opts: CxoneSimulatorOptions = {}): Promise<CxoneSimulator> {
  const clock = opts.clock ?? systemClock;
  const seed = opts.seed ?? 1;
  const rowsPerDay = opts.rowsPerDay ?? 20;
  const limitStatus = opts.limitStatus ?? 429;
  const tenantOf = opts.tenantOf ?? (() => 'TENANT-1');
  const tokens = new TokenStore(
    clock,
    opts.accessKeys ?? { 'AK-DEMO': 'demo-secret' },
    tenantOf,
    opts.tokenLifetimeSeconds ?? 3600,
    seed,
    opts.tenantClaimIn ?? 'id_token',
  );
  const jobs = new JobStore(clock, opts.jobRunMs ?? 60_000, seed);
  const links = new LinkStore(clock, seed);
  const faults = new FaultQueue<CxoneFault>();
  const signInFaults = new FaultQueue<CxoneFault>();
  const calls: CxoneCall[] = [];
  const lastAccepted = new Map<string, { at: number; accessKeyId: string }>();
  let violations = 0;
  let posts = 0;
  let origin = '';

  const expectedCsv = (entityName: string, version: string, startDate: string, endDate: string): string => {
    if (!isKnownEntity(entityName) || !hasVersion(entityName, version)) {
      throw new Error(`The simulator has no entity ${entityName} version ${version}`);
    }
    return extractionCsv(seed, entityName, version, startDate, endDate, rowsPerDay);
  };
  const files = new Map<string, string>();
  const fileOf = (jobId: string): string => {
    let file = files.get(jobId);
    if (file === undefined) {
      const r = jobs.find(jobId)?.request;
      if (!r) throw new Error(`No job ${jobId}`);
      file = extractionCsv(seed, r.entityName, r.version, r.startDate, r.endDate, rowsPerDay);
      files.set(jobId, file);
    }
    return file;
  };

  const api: ApiContext = {
    jobs,
    permissions: opts.permissions,
    issueLink: (job) => links.issue(origin, job.id),
    onPosted: () => posts++,
  };

  const signIn = (method: string, body: unknown, refresh: boolean): Planned => {
    if (method !== 'POST')
      return { ...message(405, `Method ${method} not allowed`), headers: { allow: 'POST' } };
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    let issued: TokenResponse | undefined;
    if (refresh) {
      if (typeof fields.token !== 'string') return message(400, 'token is required');
      issued = tokens.refresh(fields.token);
    } else {
      const { accessKeyId, accessKeySecret } = fields;
      if (typeof accessKeyId !== 'string' || typeof accessKeySecret !== 'string') {
        return message(400, 'accessKeyId and accessKeySecret are required');
      }
      issued = tokens.signIn(accessKeyId, accessKeySecret);
    }
    return issued ? { status: 200, text: JSON.stringify(issued) } : message(401, 'Unauthorized');
  };

  const dataExtraction = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    body: unknown,
  ): void => {
    const method = req.method ?? 'GET';
    const now = clock.now();
    const call: CxoneCall = { at: now, tenant: '', method, path: url.pathname + url.search, status: 0 };
    calls.push(call);
    const session = tokens.verify(req.headers.authorization);
    let brokenRule: string | undefined;
    if (session) {
      call.tenant = session.tenant;
      const last = lastAccepted.get(session.tenant);
      if (last !== undefined && now - last.at < CALL_SPACING_MS) {
        violations++;
        brokenRule = last.accessKeyId === session.accessKeyId ? THIRTY_SECOND_RULE : ONE_USER_RULE;
      } else lastAccepted.set(session.tenant, { at: now, accessKeyId: session.accessKeyId });
    }
    // A fault stands for the network or a proxy: the call still counted for the tenant, as the client
    // cannot know whether it reached the vendor.
    const fault = faults.take();
    if (fault?.kind === 'reset') return resetSocket(res.socket);
    let planned: Planned;
    if (fault)
      planned = { status: fault.status, text: fault.body ?? JSON.stringify({ message: 'Simulated fault' }) };
    else if (!session) planned = message(401, 'Unauthorized');
    else if (brokenRule) planned = message(limitStatus, brokenRule);
    else if (body === INVALID_JSON) planned = message(400, 'The request body is not valid JSON');
    else planned = answerApi(api, session, method, DATA_EXTRACTION.exec(url.pathname)?.[1] ?? '', body);
    call.status = planned.status;
    send(res, planned);
  };

  const server = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith(S3_PREFIX)) return links.serve(req, res, url, fileOf);
    let body: unknown;
    try {
      body = decodeBody((await readBody(req)).toString('utf8'));
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      return sendJson(res, 413, { message: err.message }, { connection: 'close' });
    }
    const method = req.method ?? 'GET';
    const tokenPath = url.pathname === '/authentication/v1/token/access-key';
    if (tokenPath || url.pathname === '/public/user/refresh') {
      const fault = signInFaults.take();
      if (fault?.kind === 'reset') return resetSocket(res.socket);
      if (fault)
        return send(res, { status: fault.status, text: fault.body ?? '{"message":"Simulated fault"}' });
      return send(res, signIn(method, body, !tokenPath));
    }
    if (DATA_EXTRACTION.test(url.pathname)) return dataExtraction(req, res, url, body);
    sendJson(res, 404, { message: 'Not Found' });
  });
  origin = opts.publicUrl ?? server.url;

  return {
    authUrl: server.url,
    apiUrl: `${server.url}/data-extraction/${opts.pathPrefix ?? 'V1'}`,
    close: () => server.close(),
    failNextJob: (errorMessage) => jobs.plan({ kind: 'fail', errorMessage }),
    setNextJobStatus: (status) => jobs.plan({ kind: 'status', status }),
    injectFaults: (...list) => faults.push(...list),
    injectSignInFaults: (...list) => signInFaults.push(...list),
    cutNextDownload: (bytes, times) => links.cutNext(bytes, times),
    expireTokens: () => tokens.expireAll(),
    calls,
    downloads: links.downloads,
    violations: () => violations,
    posts: () => posts,
    expectedCsv,
  };
}

const INVALID_JSON = Symbol('invalid JSON');

function decodeBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

function send(res: http.ServerResponse, planned: Planned): void {
  const type = /^\s*["[{]/.test(planned.text)
    ? 'application/json; charset=utf-8'
    : 'text/html; charset=utf-8';
  sendText(res, planned.status, planned.text, type, planned.headers);
}
