/**
 * Rate and concurrency limits, enforced before a call is made, and the process-wide registry that
 * keys them per tenant or per API key, so two exports against one tenant share one limit.
 */
import type { Limiter, LimiterState } from './limiter-queue.ts';

export type { Limiter, LimiterState, Release } from './limiter-queue.ts';
export { MinSpacingLimiter, WindowLimiter } from './timed-limiters.ts';
export { ConcurrencyLimiter } from './concurrency-limiter.ts';

export class LimiterRegistry {
  private readonly live = new Map<string, Limiter>();
  private readonly saved = new Map<string, unknown>();

  /**
   * The limiter for `key` (e.g. `cxone:spacing:${tenant}`), made by `create` on first use. Put the
   * limiter's kind in the key: one key always returns the limiter first made for it.
   */
  get<L extends Limiter>(key: string, create: () => L): L {
    let limiter = this.live.get(key);
    if (!limiter) {
      limiter = create();
      if (this.saved.has(key)) limiter.restore(this.saved.get(key));
      this.saved.delete(key);
      this.live.set(key, limiter);
    }
    return limiter as L;
  }

  /** Every limiter's timing state, JSON-safe, to be written at shutdown. */
  snapshot(): Record<string, LimiterState> {
    const out: Record<string, LimiterState> = {};
    for (const [key, state] of this.saved) out[key] = state as LimiterState;
    for (const [key, limiter] of this.live) out[key] = limiter.snapshot();
    return out;
  }

  /** Applies saved state now to live limiters, and later to those not yet made. */
  restore(states: Record<string, unknown>): void {
    for (const [key, state] of Object.entries(states)) {
      const limiter = this.live.get(key);
      if (limiter) limiter.restore(state);
      else this.saved.set(key, state);
    }
  }

  /** Forgets every limiter; for tests. */
  clear(): void {
    this.live.clear();
    this.saved.clear();
  }
}

export const limiters = new LimiterRegistry();
