/** What every limiter shares: its interface, its saved state, and a fair (FIFO) queue of waiters. */
import { abortReason } from './clock.ts';

/** Ends a call's hold on a limiter; calling it again does nothing. */
export type Release = () => void;

/**
 * Timing state worth keeping across a restart, in ms since the epoch, so a restarted app does not
 * fire a burst the vendor would still count against the last minute.
 */
export type LimiterState =
  { kind: 'spacing'; lastAt: number | null } | { kind: 'window'; times: number[] } | { kind: 'concurrency' };

export interface Limiter {
  /** Resolves when a call may start; rejects with the abort reason if cancelled while queued. */
  acquire(signal?: AbortSignal): Promise<Release>;
  /** When an acquire made now would proceed (ms epoch), for "next call in 12 s"; Infinity if unknowable. */
  nextFreeAt(): number;
  snapshot(): LimiterState;
  /** Accepts state read back from disk; anything malformed is ignored. */
  restore(state: unknown): void;
}

export const noRelease: Release = () => {};

interface Waiter {
  grant: () => void;
}

export class WaitQueue {
  private waiters: Waiter[] = [];

  /** `onLeave` runs when a waiter gives up, so the owner can stop a timer nobody needs. */
  constructor(private readonly onLeave: () => void = () => {}) {}

  get length(): number {
    return this.waiters.length;
  }

  /** Resolves when this waiter reaches the head and grant() is called. */
  wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(abortReason(signal as AbortSignal));
        this.onLeave();
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Lets the longest-waiting caller through; false when nobody waits. */
  grant(): boolean {
    const head = this.waiters.shift();
    head?.grant();
    return head !== undefined;
  }
}
