/**
 * One gate per tenant for vendors that count calls per tenant across everything that uses it (CXone Data
 * Extraction: one call per 30 s). The in-process limiters cannot see the CLI or a restarted app, so the
 * gate keeps its state in the data folder, shared by every process using that folder: tickets for whose
 * turn it is (first asked, first served: tenant-queue.ts), a lock file for "one caller at a time" and the
 * last call's time for the spacing.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { abortReason } from '../base/clock.ts';
import type { Clock } from '../base/clock.ts';
import { SharedState } from './shared-state.ts';
import { TicketQueue } from './tenant-queue.ts';

export interface TenantGateOptions {
  /** Where the gate's files live, normally `<dataDir>/limits`; made if missing. */
  dir: string;
  /** Names the tenant, e.g. 'cxone:TENANT-1'; any characters (it is made safe for a file name). */
  key: string;
  /** Least time between the starts of two calls, e.g. 30_000. */
  intervalMs: number;
  clock: Clock;
  /** A lock older than this is broken even if its process still runs (default 5 minutes). */
  staleLockMs?: number;
}

/**
 * What a call waits for at the gate: its turn behind a caller that asked first (`turn`), or the tenant's
 * spacing since the last call (`pace`, until that time); undefined once the call goes.
 */
export type GateWait = { kind: 'turn' } | { kind: 'pace'; until: number };

const DEFAULT_STALE_LOCK_MS = 5 * 60_000;
const LOCK_POLL_MS = 250;

/**
 * The file name stem for a key: readable, and with a hash of the exact key so keys that differ only in
 * characters a file name cannot hold, or only in case (macOS, Windows), never share a file.
 */
export function gateFileStem(key: string): string {
  const readable = key.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 80);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 10);
  return `${readable}.${hash}`;
}

export class TenantGate {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #state: SharedState;
  readonly #queue: TicketQueue;

  constructor(opts: TenantGateOptions) {
    if (!(opts.intervalMs >= 0)) throw new RangeError('intervalMs must be zero or more');
    this.#clock = opts.clock;
    this.#intervalMs = opts.intervalMs;
    const dir = resolve(opts.dir);
    const stem = gateFileStem(opts.key);
    this.#state = new SharedState(dir, stem, {
      clock: opts.clock,
      staleLockMs: opts.staleLockMs ?? DEFAULT_STALE_LOCK_MS,
      pollMs: LOCK_POLL_MS,
    });
    this.#queue = new TicketQueue({ dir, stem, clock: this.#clock, pollMs: LOCK_POLL_MS });
  }

  /**
   * Runs `fn` (one call to the vendor) once every caller that asked before it (in any process) has had
   * its turn, this process holds the tenant and the interval has passed since the last call by anyone,
   * recording the call's time first. The signal cancels the wait only; once `fn` has started, cancelling
   * it is `fn`'s business. `watch` is told what the call waits for, and undefined as it goes.
   */
  async run<T>(
    fn: () => Promise<T>,
    signal?: AbortSignal,
    watch?: (wait: GateWait | undefined) => void,
  ): Promise<T> {
    const leave = await this.#queue.join(signal, () => watch?.({ kind: 'turn' }));
    try {
      return await this.#runWhenFree(
        () => {
          watch?.(undefined);
          return fn();
        },
        signal,
        watch,
      );
    } finally {
      await leave();
    }
  }

  /** When the next call may start (ms epoch): now, or the interval after the last recorded call. */
  async nextCallAt(): Promise<number> {
    const now = this.#clock.now();
    const last = await this.#readLastCallAt();
    return last === undefined ? now : now + this.#waitAfter(last, now);
  }

  async #runWhenFree<T>(
    fn: () => Promise<T>,
    signal?: AbortSignal,
    watch?: (wait: GateWait | undefined) => void,
  ): Promise<T> {
    // A last-call time we have already waited a full interval for, so a time in the future (the system
    // clock was set back) costs one interval rather than a wait until that time comes round.
    let waitedOut: number | undefined;
    for (;;) {
      const last = await this.#readLastCallAt();
      const wait = this.#waitFor(last, waitedOut);
      if (wait > 0) {
        watch?.({ kind: 'pace', until: this.#clock.now() + wait });
        await this.#clock.sleep(wait, signal);
        waitedOut = last;
        continue;
      }
      const done = await this.#state.locked(signal, async () => {
        // Another process may have called while we waited for its lock: look again now that we hold it.
        if (this.#waitFor(await this.#readLastCallAt(), waitedOut) > 0) return undefined;
        if (signal?.aborted) throw abortReason(signal);
        return { value: await this.#recordAndCall(fn) };
      });
      if (done) return done.value;
    }
  }

  /**
   * Records the call, then makes it. The time is written (and synced) before the call so a crash during
   * the call still leaves it counted; a sync can take tens of milliseconds, so the time is written again
   * as the call starts. The vendor counts from when the request arrives, which only the answer bounds: a
   * request can spend any time on the way (a slow proxy, a busy process), and the next caller, spaced from
   * when this one was sent, could then arrive too soon. So once the answer is in (or the call failed), its
   * time is written last, all while the lock is held, and the next call is spaced from it.
   */
  async #recordAndCall<T>(fn: () => Promise<T>): Promise<T> {
    const before = this.#clock.now();
    await this.#writeLastCallAt(before);
    const at = this.#clock.now();
    // If this second write fails, the first one still counts the call, early only by one write's time.
    const rewrite = at === before ? Promise.resolve() : this.#writeLastCallAt(at).catch(() => undefined);
    try {
      return await fn();
    } finally {
      await rewrite;
      const answered = this.#clock.now();
      // If this write fails, the call is still counted from when it was sent, as before answers counted.
      if (answered !== at) await this.#writeLastCallAt(answered).catch(() => undefined);
    }
  }

  #waitFor(last: number | undefined, waitedOut: number | undefined): number {
    if (last === undefined || last === waitedOut) return 0;
    return this.#waitAfter(last, this.#clock.now());
  }

  #waitAfter(last: number, now: number): number {
    return Math.max(0, Math.min(last + this.#intervalMs - now, this.#intervalMs));
  }

  /** Anything unreadable is read as "no call recorded". */
  async #readLastCallAt(): Promise<number | undefined> {
    const value = ((await this.#state.read()) as { lastCallAt?: unknown } | null | undefined)?.lastCallAt;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }

  #writeLastCallAt(at: number): Promise<void> {
    return this.#state.write({ lastCallAt: at });
  }
}
