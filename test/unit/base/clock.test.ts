import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/base/clock.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { isAbortError } from '../../../electron/http/errors.ts';

describe('FakeClock', () => {
  it('wakes sleepers in due order, ties in call order, and only when time reaches them', async () => {
    const clock = new FakeClock(1_000);
    const woke: string[] = [];
    void clock.sleep(300).then(() => woke.push('c'));
    void clock.sleep(100).then(() => woke.push('a'));
    void clock.sleep(100).then(() => woke.push('b'));
    await clock.advance(99);
    expect(woke).toEqual([]);
    expect(clock.pendingSleeps()).toBe(3);
    await clock.advance(1);
    expect(woke).toEqual(['a', 'b']);
    expect(clock.now()).toBe(1_100);
    await clock.advance(500);
    expect(woke).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(1_600);
  });

  it('sees sleeps made by code that woke during the same advance', async () => {
    const clock = new FakeClock(0);
    const ticks: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        ticks.push(clock.now());
      }
    })();
    await clock.advance(25);
    expect(ticks).toEqual([10, 20]);
    await clock.runUntilIdle();
    expect(ticks).toEqual([10, 20, 30]);
  });

  it('rejects a sleep at once when its signal aborts, and forgets it', async () => {
    const clock = new FakeClock();
    const ctrl = new AbortController();
    const slept = clock.sleep(10_000, ctrl.signal);
    ctrl.abort();
    await expect(slept).rejects.toSatisfy(isAbortError);
    expect(clock.pendingSleeps()).toBe(0);
    await expect(clock.sleep(5, ctrl.signal)).rejects.toSatisfy(isAbortError);
  });

  it('drive() settles work that mixes real I/O with sleeps', async () => {
    const clock = new FakeClock(0);
    const work = (async () => {
      await new Promise((r) => setTimeout(r, 5)); // real I/O stand-in
      await clock.sleep(60_000);
      await new Promise((r) => setTimeout(r, 5));
      await clock.sleep(30_000);
      return clock.now();
    })();
    await expect(clock.drive(work)).resolves.toBe(90_000);
  });

  it('runUntilIdle() refuses to spin forever on a loop that always sleeps again', async () => {
    const clock = new FakeClock(0);
    const stop = new AbortController();
    void (async () => {
      for (;;) await clock.sleep(1, stop.signal);
    })().catch(() => {});
    await expect(clock.runUntilIdle(50)).rejects.toThrow(/still sleeping/);
    stop.abort();
  });
});

describe('systemClock', () => {
  it('rejects with the signal reason when aborted during a sleep', async () => {
    const ctrl = new AbortController();
    const reason = new Error('user cancelled');
    const slept = systemClock.sleep(60_000, ctrl.signal);
    ctrl.abort(reason);
    await expect(slept).rejects.toBe(reason);
  });
});
