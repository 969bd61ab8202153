/**
 * The Insights v4 calls (dwh/Q): catalogue, submit, status and result, signed in with the account's
 * token (renewed once on a 401), retried politely, and refused answers turned into messages that say
 * what the vendor objected to.
 */
import type { IntelepeerConnection } from '../../../shared/providers/intelepeer.ts';
import { expectOk, type HttpClient, type HttpResponse } from '../../http/client.ts';
import type { Clock } from '../../base/clock.ts';
import { HttpError } from '../../http/errors.ts';
import { isRetryable, withRetry } from '../../http/retry.ts';
import { ExportError } from '../../jobs/errors.ts';
import { vendorError } from '../vendor-errors.ts';
import { forgetToken, insightsToken, VENDOR, type AuthContext } from './auth.ts';
import { insightsMessageFromText } from './messages.ts';

const HINTS: Partial<Record<number, string>> = {
  400: 'Fix the query where the message points (event and field names are case-sensitive, times are YYYY-MM-DDTHH:MM:SSZ, operators are $eq $gt $gte $lt $lte $ne), then run it again.',
  401: 'IntelePeer refused the token: check the API user name and password of this connection.',
  404: 'Check the API address of this connection (e.g. https://api.intelepeer.com).',
  500: 'IntelePeer does not know this query (or had an internal error). Run the export again.',
};

/** The vendor's 429: its two-running-queries limit, or its ~1 TB per-query limit (the same answer). */
export class QueryLimitReached extends Error {
  constructor(readonly vendorText: string) {
    super(vendorText);
    this.name = 'QueryLimitReached';
  }
}

export function dwhEndpoint(apiBaseUrl: string): string {
  const base = apiBaseUrl.replace(/\/+$/, '');
  if (/\/_rest\/v4\/dwh\/Q$/.test(base)) return base;
  return /\/_rest\/v4$/.test(base) ? `${base}/dwh/Q` : `${base}/_rest/v4/dwh/Q`;
}

const isUnknownId = (e: unknown): boolean =>
  e instanceof HttpError && e.status === 500 && /does not exist/i.test(e.bodySnippet ?? '');

export type Catalogue = Record<string, { fields: string[] }>;

export interface QueryStatus {
  status: string;
  messages: string[];
}

export class InsightsApi {
  constructor(
    private readonly http: HttpClient,
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
    private readonly connection: IntelepeerConnection,
    private readonly password: string,
  ) {}

  private get auth(): AuthContext {
    return {
      http: this.http,
      clock: this.clock,
      signal: this.signal,
      authUrl: this.connection.authUrl,
      username: this.connection.username,
      password: this.password,
    };
  }

  /**
   * One call, retried as `retryable` says; `read` runs within each attempt, so a GET whose answer is reset,
   * cut short or garbled on the way is asked again. (A POST's reader only hands the answer back: asking
   * again could start a second query.)
   */
  private async call<T>(
    method: string,
    path: string,
    step: string,
    read: (res: HttpResponse) => Promise<T>,
    json?: unknown,
    retryable: (e: unknown) => boolean = (e) => isRetryable(e) && !isUnknownId(e),
  ): Promise<T> {
    try {
      return await withRetry(
        async () => {
          for (let attempt = 0; ; attempt++) {
            const token = await insightsToken(this.auth);
            const res = await this.http.request({
              method,
              url: `${dwhEndpoint(this.connection.apiBaseUrl)}${path}`,
              headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
              ...(json === undefined ? {} : { json }),
              signal: this.signal,
              secrets: [token, this.password],
            });
            if (res.status === 401 && attempt === 0) {
              // The 24-hour token ran out (or was revoked): sign in again once.
              await res.dump();
              forgetToken(this.auth);
              continue;
            }
            const ok = await expectOk(res, `IntelePeer ${method} dwh/Q${path ? '/…' : ''}`, {
              secrets: [token, this.password],
            });
            return await read(ok);
          }
        },
        { clock: this.clock, signal: this.signal, retryable },
      );
    } catch (e) {
      throw this.error(step, e);
    }
  }

  private error(step: string, e: unknown): unknown {
    if (e instanceof HttpError && e.kind === 'status' && e.status === 429 && step.startsWith('submitting'))
      return new QueryLimitReached(insightsMessageFromText(e.bodySnippet) ?? e.message);
    if (e instanceof HttpError && e.kind === 'status') {
      const said = insightsMessageFromText(e.bodySnippet);
      return new ExportError({
        vendor: VENDOR,
        step,
        message: said ? `${e.message}: ${said}` : e.message,
        hint: (e.status !== undefined ? HINTS[e.status] : undefined) ?? 'Retry the export later.',
        ...(e.status !== undefined ? { status: e.status } : {}),
        cause: e,
      });
    }
    return vendorError(VENDOR, step, e, HINTS);
  }

  async catalogue(step = 'reading the field catalogue'): Promise<Catalogue> {
    const body = await this.call('GET', '', step, (r) => r.json<unknown>());
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new ExportError({
        vendor: VENDOR,
        step,
        message: 'IntelePeer sent a field catalogue Export Desk cannot read.',
        hint: 'Check the API address of this connection.',
      });
    const out: Catalogue = {};
    for (const [event, spec] of Object.entries(body as Record<string, unknown>)) {
      const fields = (spec as { fields?: unknown } | null)?.fields;
      out[event] = { fields: Array.isArray(fields) ? fields.map(String) : [] };
    }
    return out;
  }

  /** POST /dwh/Q: the new query's id. A 429 throws QueryLimitReached. */
  async submit(body: unknown, step: string): Promise<string> {
    const res = await this.call(
      'POST',
      '',
      step,
      async (r) => r,
      body,
      (e) => isRetryable(e) && !(e instanceof HttpError && e.status === 429),
    );
    const answer = await res.json<{ id?: unknown }>();
    if (typeof answer.id !== 'string' || !/^[A-Za-z0-9-]{1,100}$/.test(answer.id))
      throw new ExportError({
        vendor: VENDOR,
        step,
        message: 'IntelePeer accepted the query but sent no query id.',
        hint: 'Retry the export; if it happens again, report it to IntelePeer support.',
      });
    return answer.id;
  }

  async status(guid: string, step: string): Promise<QueryStatus> {
    const body = await this.call('GET', `/${encodeURIComponent(guid)}/status`, step, (r) =>
      r.json<{ status?: unknown; messages?: unknown }>(),
    );
    return {
      status: String(body.status ?? ''),
      messages: Array.isArray(body.messages) ? body.messages.map(String) : [],
    };
  }

  /** The result call's status text ("Process finished. Download: […]" or "Process has not finish yet…"). */
  async result(guid: string, step: string): Promise<string> {
    const body = await this.call('GET', `/${encodeURIComponent(guid)}`, step, (r) =>
      r.json<{ status?: unknown }>(),
    );
    return String(body.status ?? '');
  }
}
