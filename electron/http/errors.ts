import { redact } from './redact.ts';

/**
 * - network: the exchange failed (refused, reset, DNS, TLS, malformed JSON in a 2xx answer)
 * - timeout: no headers in time, or the body stopped arriving
 * - status: the server answered with a status the caller does not accept
 * - aborted: the caller cancelled
 * - budget: retrying gave up (attempts or time budget); `cause` is the last error
 * - request: the request could not be sent as given (e.g. a header value with a line break): nothing
 *   reached the vendor, and asking again cannot help
 */
export type HttpErrorKind = 'network' | 'timeout' | 'status' | 'aborted' | 'budget' | 'request';

export const SNIPPET_CHARS = 500;

export interface HttpErrorInit {
  kind: HttpErrorKind;
  message: string;
  url?: string;
  method?: string;
  status?: number;
  retryAfterMs?: number;
  bodySnippet?: string;
  /** The underlying error code, e.g. ECONNRESET or SELF_SIGNED_CERT_IN_CHAIN. */
  code?: string;
  cause?: unknown;
  /** Removed from message, url and snippet; the common carriers (Bearer, ?token=) are removed anyway. */
  secrets?: readonly string[];
}

/** Everything on it is safe to show and log: message, url and snippet are redacted on construction. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly kind: HttpErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly bodySnippet?: string;
  readonly url: string;
  readonly method: string;
  readonly code?: string;

  constructor(init: HttpErrorInit) {
    const secrets = init.secrets ?? [];
    super(redact(init.message, secrets), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.url = redact(init.url ?? '', secrets);
    this.method = init.method ?? '';
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.code !== undefined) this.code = init.code;
    // Redact before cutting, so a secret straddling the cut cannot leave a readable prefix behind.
    if (init.bodySnippet !== undefined) {
      this.bodySnippet = redact(init.bodySnippet, secrets).slice(0, SNIPPET_CHARS);
    }
  }
}

/** True for any form a cancellation takes: a DOMException/AbortError, undici's, or ours. */
export function isAbortError(e: unknown): boolean {
  if (e instanceof HttpError) return e.kind === 'aborted';
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED';
}

/** TLS verification failures: the fix is a CA file or a proxy setting, never another try. */
export function isCertificateCode(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/.test(code);
}

/**
 * The proxy set in Settings could not be reached (refused, no such host, no route, no answer to connect):
 * a setting to fix, so it is not tried again as if the vendor were failing.
 */
export function isProxyFault(e: unknown): boolean {
  return e instanceof HttpError && /^PROXY_(REFUSED|NOT_FOUND|UNREACHABLE)$/.test(e.code ?? '');
}
