/**
 * Retrying with full-jitter exponential backoff inside a total time budget. Jitter spreads the retries
 * of many jobs hitting the same vendor; the budget keeps a dead vendor from holding an export forever.
 */
import { abortReason, type Clock } from '../base/clock.ts';
import { HttpError, isCertificateCode, isProxyFault } from './errors.ts';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total time from the first attempt; a wait that would end past it is not started. */
  budgetMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  budgetMs: 10 * 60_000,
};

const RETRYABLE_STATUS = new Set([408, 425, 429]);
// A wrong host name or an untrusted certificate will not fix itself in the next minutes.
const PERMANENT_NETWORK_CODES = new Set(['ENOTFOUND', 'ERR_INVALID_URL']);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
]);

export function isRetryable(e: unknown): boolean {
  if (e instanceof HttpError) {
    switch (e.kind) {
      case 'network':
        // PROXY_4xx: the proxy refused us (e.g. 407 credentials); a 5xx from a proxy may pass. A proxy
        // that cannot be reached at all is a setting to fix (isProxyFault).
        return !(
          e.code &&
          (PERMANENT_NETWORK_CODES.has(e.code) ||
            isCertificateCode(e.code) ||
            /^PROXY_4/.test(e.code) ||
            isProxyFault(e))
        );
      case 'timeout':
        return true;
      case 'status':
        return (
          e.status !== undefined &&
          (RETRYABLE_STATUS.has(e.status) || (e.status >= 500 && e.status <= 599 && e.status !== 501))
        );
      default:
        return false;
    }
  }
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

export interface RetryInfo {
  /** The attempt that just failed, from 1. */
  attempt: number;
  delayMs: number;
  error: unknown;
}

export interface RetryOptions {
  clock: Clock;
  signal?: AbortSignal;
  policy?: Partial<RetryPolicy>;
  /** [0, 1), like Math.random; injected by tests. */
  random?: () => number;
  retryable?: (e: unknown) => boolean;
  onRetry?: (info: RetryInfo) => void;
}

/** Full jitter in [0, cap), cap doubling per attempt up to maxDelayMs; a Retry-After is the floor. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
) {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * cap);
  return Math.max(jittered, retryAfterMs ?? 0);
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
}

function giveUp(last: unknown, attempts: number, elapsedMs: number, why: string): HttpError {
  const lastMessage = last instanceof Error ? last.message : String(last);
  const http = last instanceof HttpError ? last : undefined;
  return new HttpError({
    kind: 'budget',
    message: `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'} over ${formatDuration(elapsedMs)} (${why}); last error: ${lastMessage}`,
    url: http?.url ?? '',
    method: http?.method ?? '',
    ...(http?.status === undefined ? {} : { status: http.status }),
    cause: last,
  });
}

/**
 * Runs `op` until it succeeds, fails with an error that is not retryable, or retrying gives up (an
 * HttpError kind 'budget' naming the time spent and the last error). Cancelling stops a wait at once.
 */
export async function withRetry<T>(op: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const policy = { ...defaultRetryPolicy, ...opts.policy };
  const random = opts.random ?? Math.random;
  const retryable = opts.retryable ?? isRetryable;
  const { clock, signal } = opts;
  const started = clock.now();
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      return await op(attempt);
    } catch (error) {
      if (signal?.aborted || !retryable(error)) throw error;
      const elapsed = clock.now() - started;
      if (attempt >= policy.maxAttempts)
        throw giveUp(error, attempt, elapsed, `${policy.maxAttempts} attempts allowed`);
      const retryAfterMs = error instanceof HttpError ? error.retryAfterMs : undefined;
      const delayMs = backoffDelay(attempt, policy, random, retryAfterMs);
      if (elapsed + delayMs > policy.budgetMs) {
        const why = `waiting ${formatDuration(delayMs)} more would pass the ${formatDuration(policy.budgetMs)} time budget`;
        throw giveUp(error, attempt, elapsed, why);
      }
      opts.onRetry?.({ attempt, delayMs, error });
      await clock.sleep(delayMs, signal);
    }
  }
}
