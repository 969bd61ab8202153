import type { Readable } from 'node:stream';
import { CXONE_REGIONS, type CxoneConnection } from '../../../shared/providers/cxone.ts';
import { expectOk, type HttpClient, type HttpResponse } from '../../http/client.ts';
import type { Clock } from '../../base/clock.ts';
import { HttpError } from '../../http/errors.ts';
import { FILE_DEADLINE_MS } from '../../http/deadline.ts';
import { isRetryable, withRetry } from '../../http/retry.ts';
import { TenantGate } from '../../http/tenant-gate.ts';
import { ExportError } from '../../jobs/errors.ts';
import { accessToken, forgetToken, type AuthContext } from './auth.ts';
import { cxoneError, HINTS, isCallRuleRefusal, VENDOR } from './errors.ts';

export { VENDOR };

/** The vendor's rule: one Data Extraction call per 30 seconds per tenant. */
export const CALL_SPACING_MS = 30_000;
/**
 * The gate spaces each call from when the one before it was answered, which is no earlier than when the
 * vendor counted it. The margin is for what the gate cannot see: how the vendor rounds its own times, and
 * this computer's clock being stepped between two calls.
 */
const ARRIVAL_MARGIN_MS = 1_000;
/** How far apart Export Desk sends a tenant's Data Extraction calls. */
export const TENANT_CALL_INTERVAL_MS = CALL_SPACING_MS + ARRIVAL_MARGIN_MS;

/** The file comes from the vendor's storage through a pre-signed link, not from the API. */
const DOWNLOAD_HINTS: Partial<Record<number, string>> = {
  400: 'The storage refused the request: if a proxy adds its own Authorization header, let the file host through without it, then retry the export.',
  403: "The storage refused the file link: check that this computer's date and time are right, then retry the export.",
  404: 'The file is no longer in CXone’s storage (files are kept 24 hours): start the export again.',
};

export function endpoints(c: CxoneConnection): { auth: string; api: string } {
  if (c.region === 'custom') {
    const api = c.apiBaseUrl.replace(/\/+$/, '');
    return {
      auth: c.authBaseUrl,
      api: /\/data-extraction\/v1$/i.test(api) ? api : `${api}/data-extraction/V1`,
    };
  }
  const host = CXONE_REGIONS[c.region].host;
  return {
    auth: c.authBaseUrl || host,
    api: `${c.apiBaseUrl.replace(/\/+$/, '') || host}/data-extraction/V1`,
  };
}

export interface JobStatus {
  id: string;
  /** As the vendor sent it (its documented ones are upper case); compare it upper-cased. */
  status: string;
  url?: string;
  errorMessage?: string;
}

/** Data Extraction calls for one connection: signed in, spaced by the tenant's gate, retried politely. */
export class CxoneApi {
  private gate: TenantGate | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
    private readonly connection: CxoneConnection,
    private readonly secret: string,
    private readonly dataDir: string,
  ) {}

  private get auth(): AuthContext {
    return {
      http: this.http,
      clock: this.clock,
      signal: this.signal,
      authBaseUrl: endpoints(this.connection).auth,
      accessKeyId: this.connection.accessKeyId,
      accessKeySecret: this.secret,
    };
  }

  /** The gate is per tenant; the tenant is known once signed in (else the access key stands for it). */
  private async tenantGate(): Promise<TenantGate> {
    if (this.gate) return this.gate;
    const token = await accessToken(this.auth);
    this.gate = new TenantGate({
      dir: `${this.dataDir}/limits`,
      key: `cxone-${token.tenantId ?? this.connection.accessKeyId}`,
      intervalMs: TENANT_CALL_INTERVAL_MS,
      clock: this.clock,
    });
    return this.gate;
  }

  /** When the tenant's next call may go out, for the "next check in" countdown. */
  async nextCallAt(): Promise<number> {
    return (await this.tenantGate()).nextCallAt();
  }

  /** A call whose answer is read later (a POST: reading it again would mean submitting again). */
  private call(method: string, path: string, step: string, json?: unknown): Promise<HttpResponse> {
    return this.send(method, path, step, async (res) => res, json);
  }

  /**
   * A GET whose JSON answer is read inside the retry: a reset, a truncated or a malformed answer is
   * asked for again (within the tenant's call spacing), as the question is safe to repeat.
   */
  private getJson<T>(path: string, step: string, hints?: Partial<Record<number, string>>): Promise<T> {
    return this.send('GET', path, step, (res) => res.json<T>(), undefined, hints);
  }

  private async send<T>(
    method: string,
    path: string,
    step: string,
    read: (res: HttpResponse) => Promise<T>,
    json?: unknown,
    hints: Partial<Record<number, string>> = HINTS,
  ): Promise<T> {
    const gate = await this.tenantGate();
    try {
      return await withRetry(
        async () => {
          for (let attempt = 0; ; attempt++) {
            const token = await accessToken(this.auth);
            const res = await gate.run(
              () =>
                this.http.request({
                  method,
                  url: `${endpoints(this.connection).api}${path}`,
                  headers: { authorization: `Bearer ${token.accessToken}`, accept: 'application/json' },
                  ...(json === undefined ? {} : { json }),
                  signal: this.signal,
                  secrets: [token.accessToken, this.secret],
                }),
              this.signal,
            );
            if (res.status === 401 && attempt === 0) {
              // An expired or revoked token: sign in again once, then let the answer stand.
              await res.dump();
              forgetToken(this.auth);
              continue;
            }
            const ok = await expectOk(res, `CXone ${method} ${path.split('/').slice(0, 2).join('/')}`, {
              secrets: [token.accessToken, this.secret],
            });
            return await read(ok);
          }
        },
        // A refusal for the tenant's call rule waits for the gate's next turn, like a 429.
        { clock: this.clock, signal: this.signal, retryable: (e) => isRetryable(e) || isCallRuleRefusal(e) },
      );
    } catch (e) {
      throw cxoneError(step, e, hints);
    }
  }

  async submit(
    body: { entityName: string; version: string; startDate: string; endDate: string },
    step: string,
  ): Promise<string> {
    const res = await this.call('POST', '/jobs', step, body);
    const text = (await res.text()).trim();
    // The vendor answers 202 with the job id as a JSON string ("\"20873a3f-...\""); tolerate a bare id too.
    let id: unknown = text;
    try {
      id = JSON.parse(text);
    } catch {
      // not JSON: a bare id
    }
    if (typeof id !== 'string' || !/^[A-Za-z0-9-]{1,100}$/.test(id)) {
      throw new ExportError({
        vendor: VENDOR,
        step,
        message: `CXone accepted the job but sent no job id (it sent ${JSON.stringify(text.slice(0, 80))}).`,
        hint: 'Retry the export; if it happens again, report it to NICE support.',
      });
    }
    return id;
  }

  async status(jobId: string, step: string): Promise<JobStatus> {
    const answer = await this.getJson<{ jobStatus?: Record<string, unknown> }>(
      `/jobs/${encodeURIComponent(jobId)}`,
      step,
      {
        ...HINTS,
        404: 'CXone does not know this job: it may be older than the 24 hours CXone keeps files, or belong to another tenant or region. Start a new export.',
      },
    );
    const body = answer.jobStatus ?? {};
    const result = (body.result ?? {}) as Record<string, unknown>;
    const errorMessage = [result.errorMessage, result.messageError].find((m) => typeof m === 'string') as
      string | undefined;
    return {
      id: String(body.id ?? jobId),
      status:
        typeof body.status === 'string' || body.status === undefined
          ? (body.status ?? '')
          : JSON.stringify(body.status),
      ...(typeof result.url === 'string' && result.url ? { url: result.url } : {}),
      ...(errorMessage ? { errorMessage } : {}),
    };
  }

  async list(step: string): Promise<Array<{ id: string; status: string }>> {
    const body = await this.getJson<{ jobs?: Array<{ id?: unknown; status?: unknown }> }>('/jobs', step, {
      ...HINTS,
      403: 'This access key may not view the extraction jobs of this tenant: ask your CXone administrator for the Data Extraction permission.',
      404: 'Check the region (or the API address) of this connection: the Data Extraction API is not there.',
    });
    return (body.jobs ?? []).map((j) => ({ id: String(j.id), status: String(j.status).toUpperCase() }));
  }

  /**
   * Opens the pre-signed file link: no Authorization header (the link carries its own), not gated (the
   * vendor does not count it). Undefined when the link has expired, so the caller asks for a fresh one.
   */
  async openFile(url: string, step: string): Promise<Readable | undefined> {
    let res: HttpResponse;
    try {
      res = await this.http.request({
        url,
        signal: this.signal,
        secrets: [url],
        deadlineMs: FILE_DEADLINE_MS,
      });
    } catch (e) {
      throw cxoneError(step, e, DOWNLOAD_HINTS);
    }
    if (res.status === 403) {
      const text = await res.text();
      if (/expired/i.test(text)) return undefined;
      throw cxoneError(
        step,
        new HttpError({
          kind: 'status',
          status: 403,
          message: 'The file link was refused',
          url: '',
          method: 'GET',
          bodySnippet: text,
        }),
        DOWNLOAD_HINTS,
      );
    }
    try {
      await expectOk(res, 'CXone file download');
    } catch (e) {
      throw cxoneError(step, e, DOWNLOAD_HINTS);
    }
    return res.body;
  }
}
