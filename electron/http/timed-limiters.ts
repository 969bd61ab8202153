/**
 * Limits on when calls may start, driven by a Clock: a minimum spacing between calls (CXone: one call
 * per 30 s per tenant) and a sliding window (Omni: 60 per minute per key). Both let waiters through in
 * arrival order, and both wait before the call, so the vendor never sees the excess.
 */
import type { Clock } from './clock.ts';
import { abortReason } from './clock.ts';
import { noRelease, WaitQueue, type Limiter, type LimiterState, type Release } from './limiter-queue.ts';

abstract class TimedLimiter implements Limiter {
  protected readonly queue = new WaitQueue(() => {
    if (this.queue.length === 0) this.rearm();
  });
  private timer: AbortController | undefined;

  constructor(protected readonly clock: Clock) {}

  /** The earliest time the next call may start, given the calls recorded so far. */
  protected abstract readyAt(now: number): number;
  protected abstract record(now: number): void;
  abstract nextFreeAt(): number;
  abstract snapshot(): LimiterState;
  abstract restore(state: unknown): void;

  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const now = this.clock.now();
    if (this.queue.length === 0 && this.readyAt(now) <= now) {
      this.record(now);
      return Promise.resolve(noRelease);
    }
    const granted = this.queue.wait(signal).then(() => noRelease);
    this.pump();
    return granted;
  }

  /** Call after the recorded state changed outside acquire (restore), or when the queue emptied. */
  protected rearm(): void {
    this.timer?.abort();
    this.timer = undefined;
    this.pump();
  }

  private pump(): void {
    if (this.timer) return;
    while (this.queue.length > 0) {
      const now = this.clock.now();
      const at = this.readyAt(now);
      if (at > now) {
        const timer = new AbortController();
        this.timer = timer;
        this.clock.sleep(at - now, timer.signal).then(
          () => {
            if (this.timer !== timer) return;
            this.timer = undefined;
            this.pump();
          },
          () => {}, // re-armed: a newer timer took over
        );
        return;
      }
      this.record(now);
      this.queue.grant();
    }
  }
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** At least `intervalMs` between the starts of two calls. */
export class MinSpacingLimiter extends TimedLimiter {
  private lastAt: number | undefined;

  constructor(
    private readonly intervalMs: number,
    clock: Clock,
  ) {
    super(clock);
  }

  protected readyAt(now: number): number {
    return this.lastAt === undefined ? now : this.lastAt + this.intervalMs;
  }

  protected record(now: number): void {
    this.lastAt = now;
  }

  nextFreeAt(): number {
    const now = this.clock.now();
    return Math.max(now, this.readyAt(now)) + this.queue.length * this.intervalMs;
  }

  snapshot(): LimiterState {
    return { kind: 'spacing', lastAt: this.lastAt ?? null };
  }

  restore(state: unknown): void {
    const s = state as { kind?: unknown; lastAt?: unknown } | null;
    if (s?.kind !== 'spacing' || !isTime(s.lastAt)) return;
    // Never later than now: a clock set back must not lock a tenant out for hours.
    const lastAt = Math.min(s.lastAt, this.clock.now());
    this.lastAt = Math.max(this.lastAt ?? lastAt, lastAt);
    this.rearm();
  }
}

/** At most `limit` call starts in any `windowMs` (a sliding log, not fixed minutes, so no edge bursts). */
export class WindowLimiter extends TimedLimiter {
  private times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    clock: Clock,
  ) {
    super(clock);
  }

  protected readyAt(now: number): number {
    while (this.times.length > 0 && (this.times[0] as number) <= now - this.windowMs) this.times.shift();
    if (this.times.length < this.limit) return now;
    return (this.times[this.times.length - this.limit] as number) + this.windowMs;
  }

  protected record(now: number): void {
    this.times.push(now);
  }

  nextFreeAt(): number {
    let at = this.readyAt(this.clock.now());
    const log = [...this.times];
    // Walk the queue: each waiter takes the next free slot, and the caller asking comes after them.
    for (let i = 0; i <= this.queue.length; i++) {
      if (log.length >= this.limit)
        at = Math.max(at, (log[log.length - this.limit] as number) + this.windowMs);
      log.push(at);
    }
    return at;
  }

  snapshot(): LimiterState {
    return { kind: 'window', times: [...this.times] };
  }

  restore(state: unknown): void {
    const s = state as { kind?: unknown; times?: unknown } | null;
    if (s?.kind !== 'window' || !Array.isArray(s.times)) return;
    const now = this.clock.now();
    const merged = [...this.times, ...s.times.filter(isTime).map((t) => Math.min(t, now))];
    this.times = merged.sort((a, b) => a - b).slice(-this.limit);
    this.rearm();
  }
}
