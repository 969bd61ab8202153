/**
 * The faults every paged JSON API meets the same way, aimed at one kind of request: the adapters of
 * page-by-page vendors say which request, and add or drop what differs (401, downloads).
 */
import type { FaultProxy, ProxiedRequest } from '../fault-proxy.ts';
import type { FaultId } from '../types.ts';
import { hostileJsonFaults } from './hostile-faults.ts';

export function pageFaults(
  proxy: FaultProxy,
  at: (r: ProxiedRequest) => boolean,
  /** Clock time a refusal lasts: longer than the vendor's own spacing between calls. */
  refuseMs = 3_000,
): Partial<Record<FaultId, () => void>> {
  return {
    refused: () => proxy.inject(at, { kind: 'refuse', forMs: refuseMs }),
    reset: () => proxy.inject(at, { kind: 'reset-mid-body' }),
    timeout: () => proxy.inject(at, { kind: 'hang' }),
    '429-seconds': () => proxy.inject(at, { kind: 'status', status: 429, retryAfter: 2 }),
    '429-date': () => proxy.inject(at, { kind: 'status', status: 429, retryAfter: 'http-date' }),
    '429-none': () => proxy.inject(at, { kind: 'status', status: 429 }),
    '5xx-burst': () =>
      proxy.inject(
        at,
        { kind: 'status', status: 500 },
        { kind: 'status', status: 502 },
        { kind: 'status', status: 503 },
      ),
    'malformed-json': () => proxy.inject(at, { kind: 'malformed' }),
    'truncated-json': () => proxy.inject(at, { kind: 'truncated' }),
    trickle: () => proxy.inject(at, { kind: 'trickle', chunks: 10, delayMs: 40 }),
    ...hostileJsonFaults(proxy, at),
  };
}

/** The second matching request or later: the export is under way, with rows already in the spool. */
export function secondOf(proxy: FaultProxy, is: (r: ProxiedRequest) => boolean) {
  return (r: ProxiedRequest) => is(r) && proxy.seen.filter(is).length >= 2;
}
