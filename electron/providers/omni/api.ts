import { join } from 'node:path';
import type { OmniConnection } from '../../../shared/providers/omni.ts';
import type { TestContext } from '../../jobs/provider.ts';
import { Requester } from '../../http/requester.ts';
import { formatDuration } from '../../http/retry.ts';
import { SharedWindowLimiter } from '../../http/shared-window.ts';
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

export type OmniApiInit = Pick<
  TestContext<OmniConnection>,
  'http' | 'clock' | 'signal' | 'connection' | 'dataDir'
> & {
  apiKey: string;
  onWait?: (message: string) => void;
  /** A request waits for the key's window until this time. */
  onPace?: (untilMs: number) => void;
};

/**
 * Calls to one Omni organisation with one key, within the key's requests a minute (shared by every
 * process on the data folder). Network failures, 5xx and a body cut short or garbled are tried again; a
 * 429 pauses every caller on the key. Errors name the step and, for a query parameter, its field.
 */
export function omniApi(o: OmniApiInit): Requester {
  const limiter = new SharedWindowLimiter({
    dir: join(o.dataDir, 'limits'),
    name: 'omni',
    identity: o.apiKey,
    limit: o.connection.requestsPerMinute,
    windowMs: MINUTE,
    clock: o.clock,
    ...(o.onPace ? { onWait: o.onPace } : {}),
  });
  return new Requester({
    vendor: VENDOR,
    http: o.http,
    clock: o.clock,
    signal: o.signal,
    base: apiRoot(o.connection.baseUrl),
    // The key is the bearer token itself: nothing to sign in again with after a 401.
    headers: { authorization: `Bearer ${o.apiKey}` },
    secrets: [o.apiKey],
    limiter,
    throttle: {
      limited: (e) => e.status === 429,
      pauseMs: (refused) => Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** refused),
      budgetMs: RATE_LIMITED_BUDGET_MS,
      // The next call of anyone on the key waits in the limiter until the pause is over.
      pause: (ms, signal) => limiter.pauseUntil(o.clock.now() + ms, signal),
      onPause: (ms) =>
        o.onWait?.(
          `Omni says too many requests for this key (HTTP 429); every export on the key waits ${formatDuration(ms)}`,
        ),
    },
    mapError: (step, e, hints) => scimError(VENDOR, step, e) ?? vendorError(VENDOR, step, e, hints ?? HINTS),
    onRetry: ({ delayMs, error }) =>
      o.onWait?.(`${(error as Error).message}; trying again in ${formatDuration(delayMs)}`),
  });
}
