/**
 * What went wrong with a CXone call, in words that say what to do. A wrong region or address shows up as
 * a refused connection, an unknown host or a 404; each status the vendor documents has its own hint.
 */
import { HttpError } from '../../http/errors.ts';
import { ExportError } from '../../jobs/errors.ts';
import { vendorError } from '../vendor-errors.ts';

export const VENDOR = 'NICE CXone';

export const HINTS: Partial<Record<number, string>> = {
  400: 'Check the entity, version and dates: CXone refused the request.',
  401: 'CXone refused the sign-in: check the access key id and secret of this connection.',
  403: 'This access key may not extract this entity: ask your CXone administrator for the permission.',
  404: 'Check the entity name and version, and the region of this connection.',
  500: 'CXone had an internal error. Retry later; if it persists, contact NICE support.',
};

/**
 * The vendor's two call rules, as its reference words them ("only once in a 30 second period", "only
 * one user per tenant"). The refusal's body is undocumented; community code sees these rules answered
 * 403 as well as 429, so a 403 whose text names either rule is a "wait", not a missing permission.
 */
const CALL_RULE = /\b30[- ]?sec(ond)?s?\b|\bone user\b/i;

/** A 403 that is the tenant's call rule, not a permission: waited out and retried like a 429. */
export function isCallRuleRefusal(e: unknown): boolean {
  return e instanceof HttpError && e.status === 403 && CALL_RULE.test(e.bodySnippet ?? '');
}

/** Codes that mean "nothing answers at this address": the region or custom address is wrong (or offline). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The network error under a retry's "gave up", or the error itself. */
function networkCause(e: unknown): HttpError | undefined {
  if (!(e instanceof HttpError)) return undefined;
  if (e.kind === 'network') return e;
  if (e.kind === 'budget' && e.cause instanceof HttpError && e.cause.kind === 'network') return e.cause;
  return undefined;
}

const hostOf = (url: string): string =>
  URL.canParse(url) ? new URL(url).host : 'the address of this connection';

export function cxoneError(
  step: string,
  e: unknown,
  hints: Partial<Record<number, string>> = HINTS,
): unknown {
  const net = networkCause(e);
  if (net?.code && UNREACHABLE.has(net.code)) {
    const unknownHost = net.code === 'ENOTFOUND' || net.code === 'EAI_AGAIN';
    return new ExportError({
      vendor: VENDOR,
      step,
      message: unknownHost
        ? `There is no CXone server named ${hostOf(net.url)} (${net.code}).`
        : `Nothing answered at ${hostOf(net.url)} (${net.code}).`,
      hint: 'Check the region of this connection (the CXone area of the tenant, such as na1 or eu1) or its custom addresses; if they are right, check your network and proxy settings.',
      cause: e,
    });
  }
  // Retries that gave up on a vendor status: what to do is what that status calls for.
  const gaveUp = e instanceof HttpError && e.kind === 'budget';
  return vendorError(VENDOR, step, e, gaveUp ? { ...HINTS, ...hints } : hints);
}
