/**
 * A loopback stand-in for an Omni organisation (https://{org}.omniapp.co): the documents list on both the
 * v1 and the older unstable path, SCIM users, labels, bearer keys, SCIM-style error bodies, and the limit
 * of 60 requests a minute per API key (a sliding minute on an injectable clock), answered with 429.
 */
import type http from 'node:http';
import { systemClock, type Clock } from '../../../electron/base/clock.ts';
import { FaultQueue, sendJson, startLoopbackServer } from '../common.ts';
import { generateOrganisation, type Organisation, type SimDocument } from './data.ts';
import {
  documentOut,
  matching,
  page,
  parseDocumentsQuery,
  ScimError,
  type ApiPath,
  type DocumentsQuery,
} from './documents.ts';
import { registerSecrets } from '../../security/secret-registry.ts';

export interface OmniSimulatorOptions {
  clock?: Clock;
  seed?: number;
  documents?: number;
  users?: number;
  /** Organisation API keys accepted (default ['omni-demo-key']). */
  keys?: string[];
  /** Personal access tokens accepted, each of the organisation's first user (default none). */
  personalKeys?: string[];
  /** Requests per minute per key before 429 (default 60). */
  limitPerMinute?: number;
  /** Labels on the v1 path: strings (the OpenAPI), objects (the reference doc) or both (default). */
  v1Labels?: 'strings' | 'objects' | 'mixed';
}

export type OmniFault = { kind: 'status'; status: number; body?: unknown };

export interface OmniCall {
  at: number;
  /** '' when no accepted key was sent. */
  key: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface OmniSimulator {
  /** The organisation address, `http://127.0.0.1:PORT` (the API is under /api). */
  url: string;
  org: Organisation;
  calls: OmniCall[];
  /** Lowers or raises the per-key limit from now on. */
  setLimit(perMinute: number): void;
  /** Answers the next documents requests with these, one per request. */
  injectFaults(...faults: OmniFault[]): void;
  /** Every matching document in order, as a client paging to the end must receive them. */
  expected(path: ApiPath, query: Record<string, string>): SimDocument[];
  /** The most requests one key sent in any 60-second window (rejected ones included). */
  busiestMinute(key?: string): number;
  close(): Promise<void>;
}

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const MINUTE = 60_000;

function scim(res: http.ServerResponse, status: number, detail: string): void {
  sendJson(res, status, { detail, schemas: [SCIM_ERROR], status });
}

export async function startOmniSimulator(opts: OmniSimulatorOptions = {}): Promise<OmniSimulator> {
  const clock = opts.clock ?? systemClock;
  const org = generateOrganisation(opts.seed ?? 1, opts.documents ?? 2500, opts.users ?? 150);
  const personal = new Set(opts.personalKeys ?? []);
  const keys = new Set([...(opts.keys ?? ['omni-demo-key']), ...personal]);
  registerSecrets(keys, 'omni simulator: API key');
  let limit = opts.limitPerMinute ?? 60;
  const v1Labels = opts.v1Labels ?? 'mixed';
  const calls: OmniCall[] = [];
  const accepted = new Map<string, number[]>();
  const faults = new FaultQueue<OmniFault>();

  const labelShape = (path: ApiPath, d: SimDocument): 'string' | 'object' => {
    if (path === 'unstable' || v1Labels === 'objects') return 'object';
    if (v1Labels === 'strings') return 'string';
    return parseInt(d.identifier.slice(0, 1), 16) < 5 ? 'object' : 'string';
  };

  const documents = (
    res: http.ServerResponse,
    path: ApiPath,
    params: URLSearchParams,
    base: string,
    key: string,
  ) => {
    const fault = faults.take();
    if (fault) {
      sendJson(
        res,
        fault.status,
        fault.body ?? { detail: 'Simulated failure', schemas: [SCIM_ERROR], status: fault.status },
      );
      return fault.status;
    }
    const q: DocumentsQuery = parseDocumentsQuery(
      path,
      params,
      org,
      personal.has(key) ? org.users[0]?.id : undefined,
    );
    const p = page(org, q);
    sendJson(res, 200, {
      pageInfo: {
        hasNextPage: p.nextCursor !== null,
        nextCursor: p.nextCursor,
        pageSize: p.docs.length,
        totalRecords: p.total,
      },
      records: p.docs.map((d) => documentOut(d, q, base, labelShape(path, d))),
    });
    return 200;
  };

  const users = (res: http.ServerResponse, params: URLSearchParams) => {
    const start = Math.max(1, Number(params.get('startIndex') ?? '1') || 1);
    const count = Math.min(100, Math.max(0, Number(params.get('count') ?? '100') || 0));
    const slice = org.users.slice(start - 1, start - 1 + count);
    sendJson(res, 200, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: org.users.length,
      startIndex: start,
      itemsPerPage: slice.length,
      Resources: slice.map((u) => ({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        id: u.id,
        userName: u.userName,
        displayName: u.displayName,
        active: u.active,
        emails: [{ primary: true, value: u.userName }],
      })),
    });
    return 200;
  };

  const labels = (res: http.ServerResponse) => {
    sendJson(res, 200, {
      labels: org.labels.map((l) => ({
        ...l,
        usage_count: org.documents.filter((d) => d.labels.includes(l)).length,
      })),
    });
    return 200;
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, key: string): number => {
    if (req.method !== 'GET') {
      scim(res, 405, `Method ${req.method ?? ''} not allowed`);
      return 405;
    }
    const m = /^\/api\/(v1|unstable)\/documents\/?$/.exec(url.pathname);
    if (m) return documents(res, m[1] as ApiPath, url.searchParams, `http://${req.headers.host ?? ''}`, key);
    if (/^\/api\/scim\/v2\/users\/?$/i.test(url.pathname)) return users(res, url.searchParams);
    if (/^\/api\/v1\/labels\/?$/.test(url.pathname)) return labels(res);
    scim(res, 404, `No route for ${url.pathname}`);
    return 404;
  };

  const server = await startLoopbackServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const now = clock.now();
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const key = keys.has(auth) ? auth : '';
    const call: OmniCall = {
      at: now,
      key,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    };
    calls.push(call);
    if (!key) {
      call.status = 401;
      scim(res, 401, auth ? 'Invalid API key' : 'Missing API key: send Authorization: Bearer <key>');
      return;
    }
    const log = (accepted.get(key) ?? []).filter((t) => t > now - MINUTE);
    accepted.set(key, log);
    if (log.length >= limit) {
      call.status = 429;
      scim(res, 429, 'Too many requests');
      return;
    }
    log.push(now);
    try {
      call.status = handle(req, res, url, key);
    } catch (e) {
      if (!(e instanceof ScimError)) throw e;
      call.status = e.status;
      scim(res, e.status, e.detail);
    }
  });

  return {
    url: server.url,
    org,
    calls,
    setLimit(perMinute) {
      limit = perMinute;
    },
    injectFaults(...f) {
      faults.push(...f);
    },
    expected(path, query) {
      return matching(org, parseDocumentsQuery(path, new URLSearchParams(query), org));
    },
    busiestMinute(key = [...keys][0] as string) {
      const times = calls.filter((c) => c.key === key).map((c) => c.at);
      let most = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while ((times[j] as number) <= (times[i] as number) - MINUTE) j++;
        most = Math.max(most, i - j + 1);
      }
      return most;
    },
    close: () => server.close(),
  };
}
