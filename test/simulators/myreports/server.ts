/**
 * A loopback stand-in for the Xarios sign-in (login.xarios.cloud) and reporting API
 * (api.*.myreports.cloud/api/v1.0). All time (token expiry, report run time) reads an injectable clock.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { systemClock, type Clock } from '../../../electron/base/clock.ts';
import { readBody, sendJson, sendText, startLoopbackServer } from '../common.ts';
import { AuthServer, type OAuthError } from './auth.ts';
import {
  buildReports,
  countFound,
  expectedSummary,
  returnedRows,
  WORKSPACES,
  writeResults,
  type ResultRequest,
  type SimReport,
} from './reports.ts';
import { dateRange, parseConditions, rowTimes } from './request.ts';
import { authorizePage } from './pages.ts';

export interface MyreportsSimulatorOptions {
  clock?: Clock;
  /** client_id -> client secret (default { 'desk-client': 'desk-secret' }). */
  clients?: Record<string, string>;
  /** Access token lifetime in seconds (default 3600). */
  tokenLifetimeSeconds?: number;
  /** The authorize page approves at once instead of showing Approve / Deny (the demo can use it). */
  autoApprove?: boolean;
  /** How long a report request runs before it is Complete (default 20 000 ms; Infinity: never). */
  requestRunMs?: number;
  /**
   * The `status` the status call sends while a request runs (default "Processing"). The docs list no
   * value but the finished one, so a test may send any string or number the vendor might.
   */
  runningStatus?: string | number;
  /** The `status` of a finished request: "Complete" (the status docs, the default) or 1 (the results docs). */
  completeStatus?: string | number;
  /**
   * Which spelling of a request's path the server answers, for its status and its results: the docs'
   * headings say `/results/{id}`, their examples `/requests/{id}`. Default both; the other one is a 404.
   */
  requestPaths?: 'both' | 'requests' | 'results';
  /** Rows of "Call list by user" (default 120), "Large call list" (default 1 000 000). */
  callRows?: number;
  largeRows?: number;
  /** rowLimit of "Capped call list" (which finds twice as many rows; default 50). */
  cappedLimit?: number;
  /** Write `request` (with displayFields) after `data`, as a vendor could. */
  dataFirst?: boolean;
  timeZoneId?: string;
}

export interface MyreportsCall {
  method: string;
  path: string;
  status: number;
}

export interface MyreportsSimulator {
  /** The sign-in authority: /connect/authorize, /connect/token, /connect/revocation. */
  authUrl: string;
  /** The API base, as a custom region's address (the client appends /api/v1.0). */
  apiUrl: string;
  reports: SimReport[];
  /** Tokens as if the user had signed in earlier: the refresh token a connection would have stored. */
  issueTokens(clientId?: string): { accessToken: string; refreshToken: string };
  expireAccessTokens(): void;
  revokeRefreshTokens(): void;
  /** Every access token handed out so far (tests look for leaks). */
  issuedAccessTokens(): readonly string[];
  /** Report requests posted so far, with their body. */
  posted: Array<{ reportId: string; body: Record<string, unknown> }>;
  calls: MyreportsCall[];
  /** The rows the last report request returns, in order (what its results carry). */
  lastRows(): Record<string, unknown>[];
  /** The rows the report request of this id returns (requests at other moments cover other times). */
  rowsOf(requestId: string): Record<string, unknown>[];
  /** The totals the last report request's results carry. */
  lastSummary(): Record<string, number>;
  close(): Promise<void>;
}

const TENANT = '00000000-0000-0000-0000-000000000000';
const PREFIX = '/api/v1.0';

function envelope(data: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    data,
    error: null,
    message: null,
    status: 'success',
    timestamp: new Date().toISOString(),
    ...extra,
  };
}

function oauthError(res: http.ServerResponse, e: OAuthError): void {
  sendJson(res, e.status, { error: e.error, error_description: e.description });
}

function basicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic (.+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(text.slice(0, colon)),
    secret: decodeURIComponent(text.slice(colon + 1)),
  };
}

export async function startMyreportsSimulator(
  opts: MyreportsSimulatorOptions = {},
): Promise<MyreportsSimulator> {
  const clock = opts.clock ?? systemClock;
  const clients = Object.fromEntries(
    Object.entries(opts.clients ?? { 'desk-client': 'desk-secret' }).map(([id, secret]) => [id, { secret }]),
  );
  const auth = new AuthServer(clock, clients, opts.tokenLifetimeSeconds ?? 3600, TENANT);
  const reports = buildReports({
    callRows: opts.callRows ?? 120,
    largeRows: opts.largeRows ?? 1_000_000,
    cappedLimit: opts.cappedLimit ?? 50,
  });
  const requests = new Map<string, ResultRequest>();
  const posted: MyreportsSimulator['posted'] = [];
  const calls: MyreportsCall[] = [];
  const runMs = opts.requestRunMs ?? 20_000;

  async function handleAuth(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/connect/authorize' && req.method === 'GET') {
      const begun = auth.begin(url.searchParams);
      if ('error' in begun) return oauthError(res, begun);
      if (opts.autoApprove) {
        res.writeHead(302, { location: auth.decide(begun.id, true) as string }).end();
        return;
      }
      return sendText(res, 200, authorizePage(begun.id, begun.auth), 'text/html; charset=utf-8');
    }
    if (url.pathname === '/connect/authorize/decision' && req.method === 'POST') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      const to = auth.decide(form.get('id') ?? '', form.get('decision') === 'approve');
      if (!to)
        return sendText(res, 400, 'This sign-in request is unknown or was answered already.', 'text/plain');
      res.writeHead(302, { location: to }).end();
      return;
    }
    if (url.pathname === '/connect/token' && req.method === 'POST') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      const answer = auth.token(form, basicAuth(req.headers.authorization));
      if ('error' in answer) return oauthError(res, answer);
      return sendJson(res, 200, answer, { 'cache-control': 'no-store' });
    }
    if (url.pathname === '/connect/revocation' && req.method === 'POST') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      auth.revoke(form.get('token') ?? '');
      res.writeHead(200).end();
      return;
    }
    sendJson(res, 404, { error: 'not_found' });
  }

  const complete = (r: ResultRequest): boolean => clock.now() >= r.createdAt + runMs;
  const pathsServed = opts.requestPaths ?? 'both';

  function status(r: ResultRequest): Record<string, unknown> {
    const done = complete(r);
    return {
      dateCreated: new Date(r.createdAt).toISOString(),
      tenantId: TENANT,
      requestId: r.requestId,
      reportId: r.report.id,
      status: done ? (opts.completeStatus ?? 'Complete') : (opts.runningStatus ?? 'Processing'),
      statusMessage: done ? 'Report processing complete' : 'Report processing',
      reportTemplateName: r.report.template,
      rowLimitExceeded: done ? r.found > r.report.rowLimit : false,
    };
  }

  async function handleApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
  ): Promise<number> {
    if (!auth.valid(req.headers.authorization)) {
      sendText(res, 401, '', 'text/plain');
      return 401;
    }
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'workspaces') return notFound(res);
    if (parts.length === 1 && req.method === 'GET') {
      sendJson(res, 200, envelope(WORKSPACES, { page_size: WORKSPACES.length }));
      return 200;
    }
    const ws = WORKSPACES.find((w) => w.id === parts[1]);
    if (!ws || parts[2] !== 'reports') return notFound(res);
    const inWs = reports.filter((r) => r.workspaceId === ws.id);
    if (parts.length === 3 && req.method === 'GET') {
      sendJson(
        res,
        200,
        envelope(
          inWs.map((r) => ({ id: r.id, name: r.name })),
          { page_size: inWs.length },
        ),
      );
      return 200;
    }
    const report = inWs.find((r) => r.id === parts[3]);
    if (!report) return notFound(res);
    if (parts.length === 5 && parts[4] === 'requests' && req.method === 'POST') {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse((await readBody(req)).toString('utf8')) as Record<string, unknown>;
      } catch {
        sendJson(res, 400, {
          data: null,
          error: 'Bad Request',
          message: 'The body is not JSON',
          status: 'error',
        });
        return 400;
      }
      const df = body.dateFilter as Record<string, unknown> | undefined;
      const validDates =
        !!df &&
        (typeof df.presetName === 'string' || (typeof df.start === 'string' && typeof df.end === 'string'));
      if (!validDates) {
        sendJson(res, 400, {
          data: null,
          error: 'Bad Request',
          message: 'dateFilter is required',
          status: 'error',
        });
        return 400;
      }
      const timeZoneId = opts.timeZoneId ?? 'Europe/London';
      const range = dateRange(df, clock.now(), timeZoneId);
      const conditions = parseConditions(body.additionalConditions, report.displayFields);
      if (typeof range === 'string' || typeof conditions === 'string') {
        const message = typeof range === 'string' ? range : conditions;
        sendJson(res, 400, { data: null, error: 'Bad Request', message, status: 'error' });
        return 400;
      }
      posted.push({ reportId: report.id, body });
      const asked = { report, times: rowTimes(range, report.rows), conditions };
      const r: ResultRequest = {
        requestId: randomUUID(),
        tenantId: TENANT,
        createdAt: clock.now(),
        dateFilter: df,
        timeZoneId,
        ...asked,
        found: countFound(asked),
      };
      requests.set(r.requestId, r);
      sendJson(
        res,
        200,
        envelope({
          requestId: r.requestId,
          locale: 'en-GB',
          reportId: report.id,
          referenceDate: new Date(r.createdAt).toISOString(),
          dateFilter: df,
          startTime: df.start ?? null,
          endTime: df.end ?? null,
        }),
      );
      return 200;
    }
    // The spellings the docs use, /results/{id} (headings) and /requests/{id} (examples), as configured.
    const served = pathsServed === 'both' ? ['requests', 'results'] : [pathsServed];
    if (served.includes(parts[4] ?? '') && parts[5] && req.method === 'GET') {
      const r = requests.get(parts[5]);
      if (!r || r.report.id !== report.id) return notFound(res);
      if (parts.length === 6) {
        sendJson(res, 200, envelope(status(r)));
        return 200;
      }
      if (parts.length === 7 && parts[6] === 'data') {
        if (!complete(r)) {
          sendJson(res, 409, {
            data: null,
            error: 'Conflict',
            message: 'The report is not complete',
            status: 'error',
          });
          return 409;
        }
        await writeResults(res, r, opts.dataFirst ? { dataFirst: true } : {});
        return 200;
      }
    }
    return notFound(res);
  }

  function lastRequest(): ResultRequest {
    const r = [...requests.values()].at(-1);
    if (!r) throw new Error('No report was requested yet');
    return r;
  }

  function notFound(res: http.ServerResponse): number {
    sendJson(res, 404, { data: null, error: 'Not Found', message: 'No such resource', status: 'error' });
    return 404;
  }

  const server = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/connect/')) return handleAuth(req, res, url);
    if (url.pathname.startsWith(`${PREFIX}/`)) {
      const call: MyreportsCall = {
        method: req.method ?? 'GET',
        path: url.pathname.slice(PREFIX.length),
        status: 0,
      };
      calls.push(call);
      call.status = await handleApi(req, res, call.path);
      return;
    }
    sendJson(res, 404, { error: 'not_found' });
  });

  return {
    authUrl: server.url,
    apiUrl: server.url,
    reports,
    issueTokens(clientId = Object.keys(clients)[0] ?? 'desk-client') {
      const t = auth.issue(clientId, 'openid offline_access onboarding');
      return { accessToken: t.access_token, refreshToken: t.refresh_token };
    },
    expireAccessTokens: () => auth.expireAccessTokens(),
    revokeRefreshTokens: () => auth.revokeAllRefreshTokens(),
    issuedAccessTokens: () => [...auth.issued],
    posted,
    calls,
    lastRows: () => returnedRows(lastRequest()),
    rowsOf: (requestId) => {
      const r = requests.get(requestId);
      if (!r) throw new Error(`No report request ${requestId}`);
      return returnedRows(r);
    },
    lastSummary: () => expectedSummary(lastRequest()),
    close: () => server.close(),
  };
}
