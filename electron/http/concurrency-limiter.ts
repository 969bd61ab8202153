/** At most `max` calls running at once (IntelePeer: two queries per user), the rest wait in order. */
import { abortReason, systemClock, type Clock } from './clock.ts';
import { WaitQueue, type Limiter, type LimiterState, type Release } from './limiter-queue.ts';

export class ConcurrencyLimiter implements Limiter {
  private active = 0;
  private readonly queue = new WaitQueue();

  constructor(
    private readonly max: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Calls holding a slot. */
  get running(): number {
    return this.active;
  }

  /** Callers queued for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.active < this.max && this.queue.length === 0) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return this.queue.wait(signal).then(() => this.releaser());
  }

  /** Now when a slot is free; otherwise unknowable (it depends on a running call), so Infinity. */
  nextFreeAt(): number {
    return this.active < this.max && this.queue.length === 0 ? this.clock.now() : Number.POSITIVE_INFINITY;
  }

  snapshot(): LimiterState {
    return { kind: 'concurrency' };
  }

  /** Nothing to restore: slots held before a restart belong to calls that no longer run here. */
  restore(_state: unknown): void {}

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the slot straight to the next waiter, so a newcomer cannot jump the queue.
      if (!this.queue.grant()) this.active--;
    };
  }
}
