/** Calls to the reporting API for one connection: signed in, refreshed once on a 401, retried politely. */
import type { Readable } from 'node:stream';
import type { MyreportsConnection, MyreportsQuery } from '../../../shared/providers/myreports.ts';
import { expectOk, type HttpClient, type HttpResponse } from '../../http/client.ts';
import type { Clock } from '../../base/clock.ts';
import { withRetry, type RetryPolicy } from '../../http/retry.ts';
import { vendorError } from '../vendor-errors.ts';
import { apiBase, SIGN_IN_AGAIN, VENDOR } from './endpoints.ts';
import { accessToken, forgetAccessToken, type TokenContext } from './tokens.ts';

const HINTS: Partial<Record<number, string>> = {
  400: 'Xarios refused the report request: check the dates, the filter id and the additional conditions.',
  401: `Xarios did not accept the sign-in. ${SIGN_IN_AGAIN}`,
  403: 'This user may not run this report: ask your Xarios administrator for access.',
  404: 'Check the workspace and report, and the region or API address of this connection.',
};

export interface ApiContext {
  http: HttpClient;
  clock: Clock;
  signal: AbortSignal;
  connection: MyreportsConnection;
  clientSecret: string;
  refreshToken: string | undefined;
  saveSecret(field: string, value: string): Promise<void>;
  readSecret(field: string): Promise<string | undefined>;
  policy?: Partial<RetryPolicy>;
}

export interface RequestStatus {
  status: string | number;
  statusMessage?: string;
  rowLimitExceeded?: boolean;
}

function unwrap(body: unknown): unknown {
  // Every answer but the results comes in the envelope {data, error, message, status, timestamp}.
  return body && typeof body === 'object' && 'data' in body ? (body as { data: unknown }).data : body;
}

export class MyreportsApi {
  private refreshToken: string | undefined;
  private readonly tokens: TokenContext;

  constructor(private readonly ctx: ApiContext) {
    this.refreshToken = ctx.refreshToken;
    this.tokens = {
      http: ctx.http,
      clock: ctx.clock,
      signal: ctx.signal,
      connection: ctx.connection,
      clientSecret: ctx.clientSecret,
      saveRefreshToken: async (t) => {
        this.refreshToken = t;
        await ctx.saveSecret('refreshToken', t);
      },
      storedRefreshToken: () => ctx.readSecret('refreshToken'),
    };
  }

  private async call(method: string, path: string, step: string, json?: unknown): Promise<HttpResponse> {
    try {
      return await withRetry(
        async () => {
          for (let attempt = 0; ; attempt++) {
            const token = await accessToken(this.tokens, this.refreshToken);
            const res = await this.ctx.http.request({
              method,
              url: `${apiBase(this.ctx.connection)}${path}`,
              headers: { authorization: `Bearer ${token.accessToken}`, accept: 'application/json' },
              ...(json === undefined ? {} : { json }),
              signal: this.ctx.signal,
              secrets: [token.accessToken, token.refreshToken, this.ctx.clientSecret],
            });
            if (res.status === 401 && attempt === 0) {
              // Expired or revoked before its time: refresh once, then let the answer stand.
              await res.dump();
              forgetAccessToken(this.tokens, this.refreshToken ?? '');
              continue;
            }
            return expectOk(res, `Xarios ${method} ${path.split('/').slice(0, 2).join('/')}`, {
              secrets: [token.accessToken],
            });
          }
        },
        {
          clock: this.ctx.clock,
          signal: this.ctx.signal,
          ...(this.ctx.policy ? { policy: this.ctx.policy } : {}),
        },
      );
    } catch (e) {
      throw vendorError(VENDOR, step, e, HINTS);
    }
  }

  private async getJson(path: string, step: string): Promise<unknown> {
    return this.readJson(await this.call('GET', path, step), step);
  }

  private async readJson(res: HttpResponse, step: string): Promise<unknown> {
    try {
      return unwrap(await res.json());
    } catch (e) {
      throw vendorError(VENDOR, step, e, HINTS);
    }
  }

  async workspaces(
    step = 'listing workspaces',
  ): Promise<Array<{ id: string; name: string; default: boolean }>> {
    const list = await this.getJson('/workspaces', step);
    return (Array.isArray(list) ? list : []).map((w: Record<string, unknown>) => ({
      id: String(w.id),
      name: String(w.name ?? w.id),
      default: w.default === true,
    }));
  }

  async reports(workspaceId: string, step = 'listing reports'): Promise<Array<{ id: string; name: string }>> {
    const list = await this.getJson(`/workspaces/${encodeURIComponent(workspaceId)}/reports`, step);
    return (Array.isArray(list) ? list : []).map((r: Record<string, unknown>) => ({
      id: String(r.id),
      name: String(r.name ?? r.id),
    }));
  }

  private reportPath(q: MyreportsQuery): string {
    return `/workspaces/${encodeURIComponent(q.workspaceId)}/reports/${encodeURIComponent(q.reportId)}`;
  }

  async createRequest(q: MyreportsQuery, step: string): Promise<string> {
    const body = {
      reportId: q.reportId,
      dateFilter: q.dateFilter,
      ...(q.filterId ? { filterId: q.filterId } : {}),
      ...(q.additionalConditions?.length ? { additionalConditions: q.additionalConditions } : {}),
    };
    const res = await this.call('POST', `${this.reportPath(q)}/requests`, step, body);
    const data = unwrap(await res.json()) as { requestId?: unknown } | null;
    if (typeof data?.requestId !== 'string' || data.requestId === '')
      throw vendorError(VENDOR, step, new Error('Xarios accepted the report request but sent no requestId'));
    return data.requestId;
  }

  /** The spelling of a request's path that answered last; the docs name two (see onRequest). */
  private requestPath: 'requests' | 'results' = 'requests';

  /**
   * GETs `…/{requests|results}/{id}{suffix}`. The docs' examples say `requests`, their headings
   * `results`: the one that answered last is tried first, and the other one after a 404.
   */
  private async onRequest(q: MyreportsQuery, requestId: string, suffix: string, step: string) {
    const at = (p: string) =>
      this.call('GET', `${this.reportPath(q)}/${p}/${encodeURIComponent(requestId)}${suffix}`, step);
    try {
      return await at(this.requestPath);
    } catch (e) {
      if ((e as { status?: number }).status !== 404) throw e;
      const other = this.requestPath === 'requests' ? 'results' : 'requests';
      const res = await at(other);
      this.requestPath = other;
      return res;
    }
  }

  async status(q: MyreportsQuery, requestId: string, step: string): Promise<RequestStatus> {
    const res = await this.onRequest(q, requestId, '', step);
    const data = (await this.readJson(res, step)) as Record<string, unknown> | null;
    const raw = data?.status;
    return {
      // As sent, a string or a number: the docs show "Complete" here and 1 in the results document.
      status: typeof raw === 'string' || typeof raw === 'number' ? raw : (JSON.stringify(raw) ?? ''),
      ...(typeof data?.statusMessage === 'string' ? { statusMessage: data.statusMessage } : {}),
      ...(typeof data?.rowLimitExceeded === 'boolean' ? { rowLimitExceeded: data.rowLimitExceeded } : {}),
    };
  }

  /** The results body as a stream. */
  async openData(q: MyreportsQuery, requestId: string, step: string): Promise<Readable> {
    return (await this.onRequest(q, requestId, '/data', step)).body;
  }
}
