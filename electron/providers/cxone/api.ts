/**
 * The Data Extraction calls of one connection, all through one Requester: signed in, each Data Extraction
 * call spaced by the tenant's gate (one call per 30 s across the window and the CLI), the tenant's "not
 * now" refusals (429, and the 403 that names the 30-second or one-user rule) waited out, CXone's error
 * words at the end. The pre-signed file link goes outside the gate and without the Authorization header.
 */
import type { Readable } from 'node:stream';
import { CXONE_REGIONS, type CxoneConnection } from '../../../shared/providers/cxone.ts';
import { HttpError } from '../../http/errors.ts';
import { FILE_DEADLINE_MS } from '../../http/deadline.ts';
import { Requester, type Throttle } from '../../http/requester.ts';
import { TenantGate, type GateWait } from '../../http/tenant-gate.ts';
import { ExportError } from '../../jobs/errors.ts';
import type { TestContext } from '../../jobs/provider.ts';
import { cxoneAuth } from './auth.ts';
import { cxoneError, HINTS, isCallRuleRefusal, VENDOR } from './errors.ts';

/** The vendor's rule: one Data Extraction call per 30 seconds per tenant. */
export const CALL_SPACING_MS = 30_000;
/**
 * The gate spaces each call from when the one before it was answered, which is no earlier than when the
 * vendor counted it. The margin is for what the gate cannot see: how the vendor rounds its own times, and
 * this computer's clock being stepped between two calls.
 */
const ARRIVAL_MARGIN_MS = 1_000;
/** The vendor's rule in its own terms, shown while an export waits for it. */
export const CALL_RULE = `CXone allows one call per ${CALL_SPACING_MS / 1000} s per tenant`;
/** How far apart Export Desk sends a tenant's Data Extraction calls. */
export const TENANT_CALL_INTERVAL_MS = CALL_SPACING_MS + ARRIVAL_MARGIN_MS;

/** The file comes from the vendor's storage through a pre-signed link, not from the API. */
const DOWNLOAD_HINTS: Partial<Record<number, string>> = {
  400: 'The storage refused the request: if a proxy adds its own Authorization header, let the file host through without it, then retry the export.',
  403: "The storage refused the file link: check that this computer's date and time are right, then retry the export.",
  404: 'The file is no longer in CXone’s storage (files are kept 24 hours): start the export again.',
};

/**
 * A 429 or a call-rule 403 waits, then asks again: the gate spaces the next attempt a full interval from
 * the refused one, so the pause here is only Retry-After, or a short backoff for the ungated sign-in.
 */
const THROTTLE: Throttle = {
  limited: (e) => e.status === 429 || isCallRuleRefusal(e),
  pauseMs: (refused, e) => e.retryAfterMs ?? Math.min(CALL_SPACING_MS, 1_000 * 2 ** refused),
  budgetMs: 10 * 60_000,
};

export function endpoints(c: CxoneConnection): { auth: string; api: string } {
  const host = c.region === 'custom' ? '' : CXONE_REGIONS[c.region].host;
  const api = (c.apiBaseUrl || host).replace(/\/+$/, '');
  return {
    auth: c.authBaseUrl || host,
    api: /\/data-extraction\/v1$/i.test(api) ? api : `${api}/data-extraction/V1`,
  };
}

/** A job's status as the vendor sent it (its documented ones are upper case), and its result. */
export interface JobStatus {
  status: string;
  result: Record<string, unknown>;
}

export type CxoneApi = ReturnType<typeof cxoneApi>;

/**
 * The calls of one connection; the tenant's gate is known once signed in (else the access key stands for
 * it). Without a stored secret, fails at `step`. `watch` is told what each call waits for at the gate.
 */
export function cxoneApi(
  ctx: TestContext<CxoneConnection>,
  step: string,
  watch?: (wait: GateWait | undefined) => void,
) {
  const secret = ctx.secrets.accessKeySecret;
  if (!secret)
    throw new ExportError({
      vendor: VENDOR,
      step,
      message: 'No access key secret is stored.',
      hint: 'Enter the access key secret of this connection.',
    });
  const ends = endpoints(ctx.connection);
  let gate: TenantGate | undefined;
  const tenantGate = async (): Promise<TenantGate> => {
    const token = await auth.token();
    return (gate ??= new TenantGate({
      dir: `${ctx.dataDir}/limits`,
      key: `cxone-${token.tenantId ?? ctx.connection.accessKeyId}`,
      intervalMs: TENANT_CALL_INTERVAL_MS,
      clock: ctx.clock,
    }));
  };
  const auth = cxoneAuth(ctx, ends.auth, secret, () => requester);
  const requester: Requester = new Requester({
    vendor: 'CXone',
    http: ctx.http,
    clock: ctx.clock,
    signal: ctx.signal,
    base: ends.api,
    auth,
    secrets: [secret],
    limiter: { run: async (op, signal) => (await tenantGate()).run(op, signal, watch) },
    throttle: THROTTLE,
    mapError: (step, e, hints) => cxoneError(step, e, hints),
  });

  return {
    /** When the tenant's next call may go out, for the "next check in" countdown. */
    nextCallAt: async (): Promise<number> => (await tenantGate()).nextCallAt(),

    async submit(
      body: { entityName: string; version: string; startDate: string; endDate: string },
      step: string,
    ): Promise<string> {
      // Read after the call, not inside it: reading a POST's answer again would mean submitting again.
      const res = await requester.send({ method: 'POST', path: '/jobs', json: body, step });
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
    },

    async status(jobId: string, step: string): Promise<JobStatus> {
      const answer = await requester.json<{ jobStatus?: Record<string, unknown> }>(
        `/jobs/${encodeURIComponent(jobId)}`,
        step,
        {
          ...HINTS,
          404: 'CXone does not know this job: it may be older than the 24 hours CXone keeps files, or belong to another tenant or region. Start a new export.',
        },
      );
      const body = answer.jobStatus ?? {};
      return {
        status: typeof body.status === 'string' ? body.status : (JSON.stringify(body.status) ?? ''),
        result: (body.result ?? {}) as Record<string, unknown>,
      };
    },

    async list(step: string): Promise<Array<{ id: string; status: string }>> {
      const body = await requester.json<{ jobs?: Array<{ id?: unknown; status?: unknown }> }>('/jobs', step, {
        ...HINTS,
        403: 'This access key may not view the extraction jobs of this tenant: ask your CXone administrator for the Data Extraction permission.',
        404: 'Check the region (or the API address) of this connection: the Data Extraction API is not there.',
      });
      return (body.jobs ?? []).map((j) => ({ id: String(j.id), status: String(j.status).toUpperCase() }));
    },

    /** The pre-signed file link's body; undefined when the link has expired, so a fresh one is asked for. */
    openFile(url: string, step: string): Promise<Readable | undefined> {
      return requester.send({
        path: url,
        step,
        anonymous: true,
        deadlineMs: FILE_DEADLINE_MS,
        hints: DOWNLOAD_HINTS,
        accept: (status) => status === 403,
        read: async (res) => {
          if (res.status !== 403) return res.body;
          const text = await res.text();
          if (/expired/i.test(text)) return undefined;
          throw new HttpError({
            kind: 'status',
            status: 403,
            message: 'The file link was refused',
            url: '',
            method: 'GET',
            bodySnippet: text,
          });
        },
      });
    },
  };
}
