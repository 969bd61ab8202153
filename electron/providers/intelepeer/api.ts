/**
 * The Insights v4 calls (dwh/Q): catalogue, submit, status and result, on one Requester signed in with the
 * account's token, and refused answers turned into messages that say what the vendor objected to.
 */
import type { IntelepeerConnection } from '../../../shared/providers/intelepeer.ts';
import { HttpError } from '../../http/errors.ts';
import { Requester } from '../../http/requester.ts';
import { isRetryable } from '../../http/retry.ts';
import { ExportError } from '../../jobs/errors.ts';
import type { TestContext } from '../../jobs/provider.ts';
import { vendorError } from '../vendor-errors.ts';
import { insightsAuth, VENDOR } from './auth.ts';
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

/** The v4 root the dwh/Q paths hang under, from the API address as entered (with or without them). */
function v4Root(apiBaseUrl: string): string {
  const base = apiBaseUrl.replace(/\/+$/, '').replace(/(\/_rest\/v4)\/dwh\/Q$/, '$1');
  return /\/_rest\/v4$/.test(base) ? base : `${base}/_rest/v4`;
}

const isUnknownId = (e: unknown): boolean =>
  e instanceof HttpError && e.status === 500 && /does not exist/i.test(e.bodySnippet ?? '');

function insightsError(step: string, e: unknown): unknown {
  if (!(e instanceof HttpError && e.kind === 'status')) return vendorError(VENDOR, step, e, HINTS);
  const said = insightsMessageFromText(e.bodySnippet);
  if (e.status === 429 && step.startsWith('submitting')) return new QueryLimitReached(said ?? e.message);
  return new ExportError({
    vendor: VENDOR,
    step,
    message: said ? `${e.message}: ${said}` : e.message,
    hint: (e.status !== undefined ? HINTS[e.status] : undefined) ?? 'Retry the export later.',
    ...(e.status !== undefined ? { status: e.status } : {}),
    cause: e,
  });
}

export function insightsApi(ctx: TestContext<IntelepeerConnection>): Requester {
  const password = ctx.secrets.password ?? '';
  return new Requester({
    vendor: 'IntelePeer',
    http: ctx.http,
    clock: ctx.clock,
    signal: ctx.signal,
    base: v4Root(ctx.connection.apiBaseUrl),
    auth: insightsAuth(ctx, password),
    secrets: [password],
    retryable: (e) => isRetryable(e) && !isUnknownId(e),
    mapError: insightsError,
  });
}

export type Catalogue = Record<string, { fields: string[] }>;

export async function catalogue(api: Requester, step = 'reading the field catalogue'): Promise<Catalogue> {
  const body = await api.json<unknown>('/dwh/Q', step);
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
export async function submitQuery(api: Requester, body: unknown, step: string): Promise<string> {
  // Read outside the attempt: asking again could start a second query.
  const res = await api.send({
    method: 'POST',
    path: '/dwh/Q',
    json: body,
    step,
    retryable: (e) => isRetryable(e) && !(e instanceof HttpError && e.status === 429),
  });
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

/**
 * GET /dwh/Q/{id}/status: the query's status (Pending, Completed, Failed …) and messages. Without the
 * suffix, the result call: its status text ("Process finished. Download: […]" or "Process has not finish yet…").
 */
export async function queryAnswer(
  api: Requester,
  guid: string,
  suffix: '/status' | '',
  step: string,
): Promise<{ status: string; messages: string[] }> {
  const body = await api.json<{ status?: unknown; messages?: unknown }>(
    `/dwh/Q/${encodeURIComponent(guid)}${suffix}`,
    step,
  );
  return {
    status: String(body.status ?? ''),
    messages: Array.isArray(body.messages) ? body.messages.map(String) : [],
  };
}
