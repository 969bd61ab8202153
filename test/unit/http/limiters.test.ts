import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/http/clock.ts';
import { isAbortError } from '../../../electron/http/errors.ts';
import {
  ConcurrencyLimiter,
  LimiterRegistry,
  MinSpacingLimiter,
  WindowLimiter,
  type Limiter,
} from '../../../electron/http/limiters.ts';

/** Starts `n` acquires at once and records the clock time each one is let through, by caller index. */
function burst(limiter: Limiter, clock: FakeClock, n: number, signals: (AbortSignal | undefined)[] = []) {
  const granted: Array<[number, number]> = [];
  const done = Array.from({ length: n }, (_, i) =>
    limiter.acquire(signals[i]).then(
      () => granted.push([i, clock.now()]),
      (e: unknown) => e,
    ),
  );
  return { granted, done: Promise.all(done) };
}

describe('MinSpacingLimiter', () => {
  it('lets one call through per interval, first come first served', async () => {
    const clock = new FakeClock(0);
    const limiter = new MinSpacingLimiter(30_000, clock);
    const { granted, done } = burst(limiter, clock, 4);
    await clock.advance(0);
    expect(granted).toEqual([[0, 0]]);
    expect(limiter.nextFreeAt()).toBe(120_000);
    await clock.advance(29_999);
    expect(granted).toHaveLength(1);
    await clock.runUntilIdle();
    await done;
    expect(granted).toEqual([
      [0, 0],
      [1, 30_000],
      [2, 60_000],
      [3, 90_000],
    ]);
    expect(limiter.nextFreeAt()).toBe(120_000);
    await clock.advance(100_000);
    expect(limiter.nextFreeAt()).toBe(190_000); // idle: now
  });

  it('drops a waiter cancelled while queued and gives its turn to the next one', async () => {
    const clock = new FakeClock(0);
    const limiter = new MinSpacingLimiter(10_000, clock);
    const ctrl = new AbortController();
    const { granted, done } = burst(limiter, clock, 3, [undefined, ctrl.signal, undefined]);
    await clock.advance(1_000);
    ctrl.abort();
    await clock.runUntilIdle();
    const outcomes = await done;
    expect(isAbortError(outcomes[1])).toBe(true);
    expect(granted).toEqual([
      [0, 0],
      [2, 10_000],
    ]);
  });

  it('stops its timer when the last waiter gives up', async () => {
    const clock = new FakeClock(0);
    const limiter = new MinSpacingLimiter(10_000, clock);
    await limiter.acquire();
    const ctrl = new AbortController();
    const waiting = limiter.acquire(ctrl.signal);
    await clock.advance(0);
    expect(clock.pendingSleeps()).toBe(1);
    ctrl.abort();
    await expect(waiting).rejects.toSatisfy(isAbortError);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('restores the last call time so a restart keeps the spacing', async () => {
    const clock = new FakeClock(100_000);
    const before = new MinSpacingLimiter(30_000, clock);
    await before.acquire();
    const state = JSON.parse(JSON.stringify(before.snapshot())) as unknown;
    await clock.advance(5_000);
    const after = new MinSpacingLimiter(30_000, clock);
    after.restore(state);
    expect(after.nextFreeAt()).toBe(130_000);
    after.restore({ kind: 'spacing', lastAt: 'garbage' });
    expect(after.nextFreeAt()).toBe(130_000);
  });
});

describe('WindowLimiter', () => {
  it('never lets more than N calls start in any window under a burst', async () => {
    const clock = new FakeClock(0);
    const limiter = new WindowLimiter(60, 60_000, clock);
    const { granted, done } = burst(limiter, clock, 200);
    await clock.runUntilIdle();
    await done;
    expect(granted).toHaveLength(200);
    expect(granted.map(([i]) => i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const times = granted.map(([, t]) => t);
    for (const start of times) {
      expect(times.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(60);
    }
    expect(times.slice(58, 62)).toEqual([0, 0, 60_000, 60_000]);
    expect(times.at(-1)).toBe(180_000);
  });

  it('slides: a slot frees exactly one window after the call that used it', async () => {
    const clock = new FakeClock(0);
    const limiter = new WindowLimiter(2, 1_000, clock);
    await limiter.acquire();
    await clock.advance(400);
    await limiter.acquire();
    expect(limiter.nextFreeAt()).toBe(1_000);
    const third = burst(limiter, clock, 2);
    expect(limiter.nextFreeAt()).toBe(2_000);
    await clock.advance(599);
    expect(third.granted).toEqual([]);
    await clock.advance(1);
    expect(third.granted).toEqual([[0, 1_000]]);
    await clock.advance(400);
    expect(third.granted).toEqual([
      [0, 1_000],
      [1, 1_400],
    ]);
  });

  it('restores its call log, so a restart cannot fire a second full burst in the same window', async () => {
    const clock = new FakeClock(0);
    const before = new WindowLimiter(3, 60_000, clock);
    for (let i = 0; i < 3; i++) await before.acquire();
    await clock.advance(10_000);
    const after = new WindowLimiter(3, 60_000, clock);
    after.restore(before.snapshot());
    expect(after.nextFreeAt()).toBe(60_000);
  });
});

describe('ConcurrencyLimiter', () => {
  it('runs at most max at once and hands freed slots out in arrival order', async () => {
    const limiter = new ConcurrencyLimiter(2, new FakeClock(0));
    const order: number[] = [];
    const releases = await Promise.all([limiter.acquire(), limiter.acquire()]);
    const queued = [2, 3, 4].map((i) => limiter.acquire().then((r) => (order.push(i), r)));
    expect(limiter.running).toBe(2);
    expect(limiter.waiting).toBe(3);
    expect(limiter.nextFreeAt()).toBe(Number.POSITIVE_INFINITY);

    releases[0]?.();
    releases[0]?.(); // a second call must not free a second slot
    const r2 = await queued[0];
    expect(order).toEqual([2]);
    expect(limiter.running).toBe(2);
    expect(limiter.waiting).toBe(2);

    // A newcomer does not overtake the queue.
    const late = limiter.acquire().then((r) => (order.push(5), r));
    releases[1]?.();
    r2?.();
    await Promise.all([queued[1], queued[2]]);
    expect(order).toEqual([2, 3, 4]);
    (await queued[1])?.();
    expect(await late).toBeTypeOf('function');
    expect(order).toEqual([2, 3, 4, 5]);
  });

  it('removes a waiter cancelled while queued', async () => {
    const clock = new FakeClock(0);
    const limiter = new ConcurrencyLimiter(1, clock);
    const release = await limiter.acquire();
    const ctrl = new AbortController();
    const cancelled = limiter.acquire(ctrl.signal);
    const next = limiter.acquire();
    ctrl.abort();
    await expect(cancelled).rejects.toSatisfy(isAbortError);
    expect(limiter.waiting).toBe(1);
    release();
    await next;
    expect(limiter.running).toBe(1);
    expect(limiter.waiting).toBe(0);
    (await next)();
    expect(limiter.nextFreeAt()).toBe(0);
  });
});

describe('LimiterRegistry', () => {
  it('returns one limiter per key and applies saved state to limiters made later', async () => {
    const clock = new FakeClock(50_000);
    const reg = new LimiterRegistry();
    const a = reg.get('cxone:spacing:t1', () => new MinSpacingLimiter(30_000, clock));
    expect(reg.get('cxone:spacing:t1', () => new MinSpacingLimiter(1, clock))).toBe(a);
    expect(reg.get('cxone:spacing:t2', () => new MinSpacingLimiter(30_000, clock))).not.toBe(a);
    await a.acquire();
    const saved = JSON.parse(JSON.stringify(reg.snapshot())) as Record<string, unknown>;

    const restarted = new LimiterRegistry();
    restarted.restore(saved);
    expect(restarted.snapshot()).toEqual(saved);
    const b = restarted.get('cxone:spacing:t1', () => new MinSpacingLimiter(30_000, clock));
    expect(b.nextFreeAt()).toBe(80_000);
  });
});
