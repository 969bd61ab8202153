import { abortReason, type Clock } from '../../electron/base/clock.ts';

interface Sleeper {
  due: number;
  seq: number;
  resolve: () => void;
}

/** Lets every queued microtask (and what they queue in turn) run before time moves again. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock that only moves when told to. Sleepers wake in due order (ties in call order), and after each
 * wake-up the microtasks it caused run first, so code that sleeps again in a loop is seen by the same
 * advance().
 */
export class FakeClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private seq = 0;
  private watchers: Array<{ count: number; resolve: () => void }> = [];

  constructor(startMs = Date.UTC(2030, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = { due: this.current + ms, seq: this.seq++, resolve: () => {} };
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(abortReason(signal as AbortSignal));
      };
      sleeper.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.notifyWatchers();
    });
  }

  /** How many sleeps are waiting for time to pass. */
  pendingSleeps(): number {
    return this.sleepers.length;
  }

  /** When the earliest pending sleep is due, or undefined when nothing sleeps. */
  nextWakeAt(): number | undefined {
    return this.earliest()?.due;
  }

  /** Moves time forward by `ms`, waking every sleeper that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms);
    await settle();
    for (let next = this.earliest(); next && next.due <= target; next = this.earliest()) {
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.current = Math.max(this.current, next.due);
      next.resolve();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Advances to each next wake-up until nothing sleeps; throws if sleeping never stops (a poll loop). */
  async runUntilIdle(maxSteps = 10_000): Promise<void> {
    await settle();
    for (let step = 0; step < maxSteps; step++) {
      const next = this.earliest();
      if (!next) return;
      await this.advance(next.due - this.current);
    }
    throw new Error(`FakeClock.runUntilIdle: still sleeping after ${maxSteps} steps`);
  }

  /** Resolves once at least `count` sleeps are pending; for code that sleeps after real I/O. */
  untilSleeping(count = 1): Promise<void> {
    if (this.sleepers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ count, resolve }));
  }

  /**
   * Settles `work` by advancing time whenever it is asleep. Works when the work also does real I/O
   * (a loopback server), because it waits for the next sleep rather than for a fixed number of ticks.
   */
  async drive<T>(work: Promise<T>, maxSteps = 10_000): Promise<T> {
    let done = false;
    const finished = work.then(
      () => (done = true),
      () => (done = true),
    );
    for (let step = 0; step < maxSteps; step++) {
      await Promise.race([finished, this.untilSleeping(1)]);
      if (done) return work;
      const next = this.earliest();
      if (next) await this.advance(next.due - this.current);
    }
    throw new Error(`FakeClock.drive: not settled after ${maxSteps} steps`);
  }

  private earliest(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.sleepers) {
      if (!best || s.due < best.due || (s.due === best.due && s.seq < best.seq)) best = s;
    }
    return best;
  }

  private notifyWatchers(): void {
    const ready = this.watchers.filter((w) => this.sleepers.length >= w.count);
    this.watchers = this.watchers.filter((w) => this.sleepers.length < w.count);
    for (const w of ready) w.resolve();
  }
}
