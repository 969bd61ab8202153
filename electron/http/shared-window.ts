/**
 * A sliding-window rate limit shared by every process using one data folder (the window's exports, the
 * CLI, a restarted app): at most `limit` call starts in any window, counted in a state file under a lock.
 * Omni allows 60 requests a minute per API key, whoever sends them. The file is named by a hash of
 * whatever identifies the key; the key itself is never written.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Clock } from '../base/clock.ts';
import { joinQueue, processQueues, type ProcessQueues } from './process-queue.ts';
import { SharedState } from './shared-state.ts';

export interface SharedWindowOptions {
  /** Where the state lives, normally `<dataDir>/limits`; made if missing. */
  dir: string;
  /** A short readable prefix for the file name, e.g. 'omni'. */
  name: string;
  /** What identifies the limited party (an API key): only its hash reaches the disk. */
  identity: string;
  limit: number;
  windowMs: number;
  clock: Clock;
  /**
   * Added to the window: a call counted when it starts reaches the vendor a little later, and a spare
   * second keeps two calls a window apart at the vendor even when the earlier one was slower to arrive.
   */
  marginMs?: number;
  staleLockMs?: number;
  /** Turn-taking within this process; tests pass their own map to act as a second process. */
  queues?: ProcessQueues;
  /** Told when a call has to wait for the window, with the time it may go (for a countdown). */
  onWait?: (untilMs: number) => void;
}

interface WindowState {
  /** Start times of the latest calls (ms epoch), oldest first, at most `limit` of them. */
  times: number[];
  /** After a 429: no call by anyone before this time. */
  pausedUntil?: number;
}

const DEFAULT_MARGIN_MS = 1_000;
const DEFAULT_STALE_LOCK_MS = 60_000;
const LOCK_POLL_MS = 50;

/** The state file's stem for an identity: a prefix and 32 hex digits of its SHA-256, nothing else. */
export function windowFileStem(name: string, identity: string): string {
  const hash = createHash('sha256').update(`${name}\0${identity}`).digest('hex').slice(0, 32);
  return `${name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40)}-window.${hash}`;
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export class SharedWindowLimiter {
  readonly #o: Required<Pick<SharedWindowOptions, 'limit' | 'windowMs' | 'clock' | 'marginMs' | 'queues'>>;
  readonly #onWait: ((untilMs: number) => void) | undefined;
  readonly #state: SharedState;

  constructor(opts: SharedWindowOptions) {
    if (!(opts.limit >= 1) || !(opts.windowMs > 0))
      throw new RangeError('limit and windowMs must be positive');
    this.#o = {
      limit: opts.limit,
      windowMs: opts.windowMs,
      clock: opts.clock,
      marginMs: opts.marginMs ?? DEFAULT_MARGIN_MS,
      queues: opts.queues ?? processQueues,
    };
    this.#onWait = opts.onWait;
    this.#state = new SharedState(resolve(opts.dir), windowFileStem(opts.name, opts.identity), {
      clock: opts.clock,
      staleLockMs: opts.staleLockMs ?? DEFAULT_STALE_LOCK_MS,
      pollMs: LOCK_POLL_MS,
    });
  }

  /**
   * Runs `fn` (one call to the vendor) once the window has room, having counted the call first. Callers
   * in this process go one at a time in the order they asked, each keeping its turn until `fn` settles
   * (the vendor has answered), so the count is never ahead of the calls actually sent; the count is
   * shared with every other process through the state file. The signal cancels the wait, which then
   * counts nothing. `fn` is given the time counted (ms epoch).
   */
  async run<T>(fn: (countedAt: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const leave = await joinQueue(this.#o.queues, this.#state.path, signal);
    try {
      return await fn(await this.#takeSlot(signal));
    } finally {
      leave();
    }
  }

  /** The vendor said "too many" (429): nobody using this key calls again before `untilMs`. */
  async pauseUntil(untilMs: number, signal?: AbortSignal): Promise<void> {
    await this.#state.locked(signal, async () => {
      const state = await this.#read();
      if ((state.pausedUntil ?? 0) >= untilMs) return;
      await this.#state.write({ ...state, pausedUntil: untilMs });
    });
  }

  async #takeSlot(signal?: AbortSignal): Promise<number> {
    const { clock } = this.#o;
    for (;;) {
      const wait = this.#waitFor(await this.#read(), clock.now());
      if (wait > 0) {
        this.#onWait?.(clock.now() + wait);
        await clock.sleep(wait, signal);
        continue;
      }
      // Another process may have taken the slot since the read: look again while holding the lock.
      const taken = await this.#state.locked(signal, async () => {
        const state = await this.#read();
        const now = clock.now();
        if (this.#waitFor(state, now) > 0) return undefined;
        // Counted before the call is made, so a crash during the call still leaves it counted.
        await this.#state.write({
          ...state,
          times: [...this.#recent(state, now), now].slice(-this.#o.limit),
        });
        return now;
      });
      if (taken !== undefined) return taken;
    }
  }

  /** Calls still inside the window; a time in the future (the clock was set back) counts as now. */
  #recent(state: WindowState, now: number): number[] {
    const span = this.#o.windowMs + this.#o.marginMs;
    return state.times.map((t) => Math.min(t, now)).filter((t) => t > now - span);
  }

  #waitFor(state: WindowState, now: number): number {
    const span = this.#o.windowMs + this.#o.marginMs;
    // A pause is never longer than one window, whatever the file says.
    const paused = Math.min((state.pausedUntil ?? 0) - now, span);
    const recent = this.#recent(state, now);
    const full =
      recent.length >= this.#o.limit ? (recent[recent.length - this.#o.limit] as number) + span - now : 0;
    return Math.max(0, paused, full);
  }

  /** Anything unreadable counts as empty. */
  async #read(): Promise<WindowState> {
    const v = (await this.#state.read()) as { times?: unknown; pausedUntil?: unknown } | null | undefined;
    const times = Array.isArray(v?.times) ? v.times.filter(isTime).sort((a, b) => a - b) : [];
    return isTime(v?.pausedUntil) ? { times, pausedUntil: v.pausedUntil } : { times };
  }
}
