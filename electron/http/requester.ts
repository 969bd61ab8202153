/**
 * The one authenticated call every vendor makes: the rate limiter around each attempt, the auth header,
 * one sign-in again after a 401, the answer read inside the attempt (a reset, short or garbled body is
 * asked for again), retries with jittered backoff that honour Retry-After, a vendor's own "not now" answers
 * paused under a budget of their own, and the vendor's error mapping at the end. A vendor declares these
 * parts; it writes no loop.
 */
import type { Authenticator } from './authenticator.ts';
import { expectOk, type HttpClient, type HttpResponse } from './client.ts';
import type { Clock } from '../base/clock.ts';
import { HttpError } from './errors.ts';
import { formatDuration, isRetryable, withRetry, type RetryInfo, type RetryPolicy } from './retry.ts';

/** Anything that lets a call go out when the vendor's limit allows (spacing, a window, slots). */
export interface Limiter {
  run<T>(op: () => Promise<T>, signal: AbortSignal): Promise<T>;
}

export type Hints = Partial<Record<number, string>>;

/**
 * A vendor's "too many requests" that the usual backoff does not fit: Omni pauses everyone on the key,
 * CXone's 403 form of its 30-second rule waits like a 429. Refusals it claims are waited out here, under
 * `budgetMs` of their own, instead of counting against the retry policy.
 */
export interface Throttle {
  /** Whether this refusal means "wait, then ask again". */
  limited(e: HttpError): boolean;
  /** How long to wait after the `refused`-th refusal in a row (from 0). */
  pauseMs(refused: number, e: HttpError): number;
  /** Longer than this of nothing but such refusals, and the call fails (an HTTP 429 naming the time waited). */
  budgetMs: number;
  /** Waits `ms` (default: sleeps). Omni pauses every caller on the key instead. */
  pause?(ms: number, signal: AbortSignal): Promise<void>;
  onPause?(ms: number, e: HttpError): void;
}

export interface RequesterInit {
  /** Names the vendor in status errors: "CXone GET /jobs failed: HTTP 500". */
  vendor: string;
  http: HttpClient;
  clock: Clock;
  signal: AbortSignal;
  /** Prefix of every call's path (a full URL in a call is used as it is). */
  base: string | (() => string);
  auth?: Authenticator;
  /** Sent with every call (the Authorization header is added from `auth`). */
  headers?: Record<string, string>;
  /** Removed from every error the calls produce, besides the authenticator's. */
  secrets?: readonly string[];
  limiter?: Limiter;
  policy?: Partial<RetryPolicy>;
  /** Which failures are worth another attempt (default: network faults, timeouts, 408/425/429/5xx). */
  retryable?: (e: unknown) => boolean;
  throttle?: Throttle;
  /** Turns the final failure into what the user reads (naming the step, with the status's hint). */
  mapError(step: string, e: unknown, hints: Hints | undefined): unknown;
  onRetry?(info: RetryInfo, step: string): void;
}

export interface Call<T> {
  method?: string;
  /** Under `base`, or a full URL. */
  path: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  /** What the user was waiting for, for the error: "checking job 2 of 3". */
  step: string;
  /** Reads the accepted answer, inside the attempt (default: the response itself, unread). */
  read?: (res: HttpResponse, signal: AbortSignal) => Promise<T>;
  /** Cancels this call alone, besides the Requester's own signal (a page asked for ahead, not needed). */
  signal?: AbortSignal;
  hints?: Hints;
  retryable?: (e: unknown) => boolean;
  policy?: Partial<RetryPolicy>;
  deadlineMs?: number;
  /**
   * Sent without the Authorization header and outside the limiter: a pre-signed file link (`true`: its
   * address, signature and all, is kept out of every error), or the sign-in itself (`'sign-in'`: its
   * address is shown, so a wrong one can be told apart).
   */
  anonymous?: boolean | 'sign-in';
  /** A status the reader handles itself instead of it failing the call (e.g. 403 on an expired link). */
  accept?: (status: number) => boolean;
  /** Names the request in a status error instead of its path ("sign-in": "CXone POST sign-in failed"). */
  label?: string;
}

export class Requester {
  constructor(private readonly init: RequesterInit) {}

  get clock(): Clock {
    return this.init.clock;
  }

  get signal(): AbortSignal {
    return this.init.signal;
  }

  url(path: string): string {
    if (/^https?:\/\//i.test(path)) return path;
    const base = typeof this.init.base === 'string' ? this.init.base : this.init.base();
    return `${base}${path}`;
  }

  /** GETs `path` and parses its JSON, retried whole when the answer arrives damaged. */
  json<T>(path: string, step: string, hints?: Hints): Promise<T> {
    return this.send({ path, step, read: (r) => r.json<T>(), ...(hints ? { hints } : {}) });
  }

  async send<T = HttpResponse>(call: Call<T>): Promise<T> {
    const { clock, throttle } = this.init;
    const signal = call.signal ? AbortSignal.any([this.init.signal, call.signal]) : this.init.signal;
    const baseRetryable = call.retryable ?? this.init.retryable ?? isRetryable;
    const retryable = (e: unknown): boolean =>
      !(throttle && e instanceof HttpError && throttle.limited(e)) && baseRetryable(e);
    const since = clock.now();
    try {
      for (let refused = 0; ; refused++) {
        try {
          return await withRetry(() => this.attempt(call, signal), {
            clock,
            signal,
            retryable,
            ...(call.policy || this.init.policy ? { policy: { ...this.init.policy, ...call.policy } } : {}),
            ...(this.init.onRetry ? { onRetry: (info) => this.init.onRetry?.(info, call.step) } : {}),
          });
        } catch (e) {
          if (!(throttle && e instanceof HttpError && throttle.limited(e)) || signal.aborted) throw e;
          const waited = clock.now() - since;
          if (waited > throttle.budgetMs) {
            throw new HttpError({
              kind: 'status',
              status: 429,
              message: `${this.init.vendor} kept answering "too many requests" for ${formatDuration(waited)}`,
            });
          }
          const ms = throttle.pauseMs(refused, e);
          throttle.onPause?.(ms, e);
          await (throttle.pause ? throttle.pause(ms, signal) : clock.sleep(ms, signal));
        }
      }
    } catch (e) {
      throw this.init.mapError(call.step, e, call.hints);
    }
  }

  /** One exchange: limited, authenticated (signed in again once after a 401), checked and read. */
  private async attempt<T>(call: Call<T>, signal: AbortSignal): Promise<T> {
    const { http, auth, limiter } = this.init;
    const method = (call.method ?? 'GET').toUpperCase();
    for (let reauth = 0; ; reauth++) {
      const authorization = auth && !call.anonymous ? await auth.authorization() : undefined;
      const secrets = [...(this.init.secrets ?? []), ...(auth?.secrets() ?? [])];
      const send = (): Promise<HttpResponse> =>
        http.request({
          method,
          url: this.url(call.path),
          headers: {
            accept: 'application/json',
            ...this.init.headers,
            ...call.headers,
            ...(authorization ? { authorization } : {}),
          },
          ...(call.json === undefined ? {} : { json: call.json }),
          ...(call.body === undefined ? {} : { body: call.body }),
          ...(call.deadlineMs === undefined ? {} : { deadlineMs: call.deadlineMs }),
          signal,
          secrets: call.anonymous === true ? [...secrets, call.path] : secrets,
        });
      const res = limiter && !call.anonymous ? await limiter.run(send, signal) : await send();
      if (res.status === 401 && authorization && reauth === 0) {
        // An expired or revoked token: sign in again once, then let the answer stand.
        await res.dump();
        auth?.invalidate();
        continue;
      }
      const ok = call.accept?.(res.status)
        ? res
        : await expectOk(res, `${this.init.vendor} ${method} ${call.label ?? label(call.path)}`, { secrets });
      return call.read ? await call.read(ok, signal) : (ok as T);
    }
  }
}

/** A path for an error message: its first two segments, no query string, never a pre-signed link. */
function label(path: string): string {
  if (/^https?:\/\//i.test(path)) return 'file link';
  return path.split('?')[0]?.split('/').slice(0, 3).join('/') ?? '';
}
