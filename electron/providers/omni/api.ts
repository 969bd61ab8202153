import { join } from 'node:path';
import type { OmniConnection } from '../../../shared/providers/omni.ts';
import { expectOk, type HttpClient } from '../../http/client.ts';
import type { Clock } from '../../base/clock.ts';
import { HttpError } from '../../http/errors.ts';
import { formatDuration, withRetry } from '../../http/retry.ts';
import { SharedWindowLimiter } from '../../http/shared-window.ts';
import { ExportError } from '../../jobs/errors.ts';
import { vendorError } from '../vendor-errors.ts';
import { scimError } from './scim-errors.ts';

export const VENDOR = 'Omni';
const MINUTE = 60_000;
/** After a 429 nobody on the key calls for 5 s, then 10, 20, 40, 60 s while Omni keeps refusing. */
const FIRST_PAUSE_MS = 5_000;
/** Omni documents no Retry-After; a minute of waiting always empties its window. */
const MAX_PAUSE_MS = MINUTE;
/** Longer than this of nothing but 429s, and the export stops with a message. */
const RATE_LIMITED_BUDGET_MS = 15 * MINUTE;

const HINTS: Partial<Record<number, string>> = {
  401: 'Omni refused the API key: check the key or personal access token of this connection.',
  403: 'This key may not list documents: ask an Omni organisation admin (personal access tokens must be enabled).',
  404: 'Check the organisation address and the API path version of this connection.',
};

/** `https://myorg.omniapp.co`, `…/api` or `…/api/v1` all mean the same organisation. */
export function apiRoot(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/\/api(\/(v1|unstable))?$/i, '')}/api`;
}

/** Query parameters exactly encoded (a cursor such as "R&D + Ops #2" must survive), in the order given. */
export function queryString(params: ReadonlyArray<readonly [string, string | undefined]>): string {
  const parts = params
    .filter((p): p is readonly [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export interface OmniApiInit {
  http: HttpClient;
  clock: Clock;
  signal: AbortSignal;
  connection: OmniConnection;
  apiKey: string;
  dataDir: string;
  onWait?: (message: string) => void;
  /** A request waits for the key's window until this time. */
  onPace?: (untilMs: number) => void;
}

/** Calls to one Omni organisation with one key, within the key's 60 requests a minute. */
export class OmniApi {
  readonly #limiter: SharedWindowLimiter;

  constructor(private readonly o: OmniApiInit) {
    this.#limiter = new SharedWindowLimiter({
      dir: join(o.dataDir, 'limits'),
      name: 'omni',
      identity: o.apiKey,
      limit: o.connection.requestsPerMinute,
      windowMs: MINUTE,
      clock: o.clock,
      ...(o.onPace ? { onWait: o.onPace } : {}),
    });
  }

  get root(): string {
    return apiRoot(this.o.connection.baseUrl);
  }

  /** GETs `path` under /api and parses the JSON; errors name the step and, for a query parameter, its field. */
  async get<T>(path: string, step: string): Promise<T> {
    try {
      return await this.#send<T>(`${this.root}${path}`);
    } catch (e) {
      throw scimError(VENDOR, step, e) ?? vendorError(VENDOR, step, e, HINTS);
    }
  }

  /**
   * One answer that is not a 429, parsed: network failures, 5xx and a body cut short or garbled on the way
   * are retried; 429 pauses everyone on the key.
   */
  async #send<T>(url: string): Promise<T> {
    const { clock, signal } = this.o;
    const secrets = [this.o.apiKey];
    const since = clock.now();
    for (let refused = 0; ; refused++) {
      const res = await withRetry(
        async () => {
          const r = await this.#limiter.run(
            () =>
              this.o.http.request({
                url,
                headers: { authorization: `Bearer ${this.o.apiKey}`, accept: 'application/json' },
                signal,
                secrets,
              }),
            signal,
          );
          // 5xx are worth another try (withRetry decides); other statuses are judged below.
          if (r.status >= 500) await expectOk(r, 'Omni', { secrets });
          if (r.status === 429) {
            await r.dump();
            return { limited: true as const };
          }
          const ok = await expectOk(r, 'Omni', { secrets });
          // Read within the attempt: a reset, short or garbled body is a failed exchange, tried again.
          return { limited: false as const, body: await ok.json<T>() };
        },
        {
          clock,
          signal,
          onRetry: ({ delayMs, error }) =>
            this.o.onWait?.(`${(error as Error).message}; trying again in ${formatDuration(delayMs)}`),
        },
      );
      if (!res.limited) return res.body;
      if (clock.now() - since > RATE_LIMITED_BUDGET_MS) {
        throw new HttpError({
          kind: 'status',
          status: 429,
          message: `Omni kept answering "too many requests" (HTTP 429) for ${formatDuration(clock.now() - since)}`,
        });
      }
      const pause = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** refused);
      this.o.onWait?.(
        `Omni says too many requests for this key (HTTP 429); every export on the key waits ${formatDuration(pause)}`,
      );
      await this.#limiter.pauseUntil(clock.now() + pause, signal);
    }
  }
}

export function noKey(step: string): ExportError {
  return new ExportError({
    vendor: VENDOR,
    step,
    message: 'No API key is stored for this connection.',
    hint: 'Edit the connection and enter an Omni API key or personal access token.',
  });
}
