import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { isAbortError } from '../../../electron/http/errors.ts';
import type { ProcessQueues } from '../../../electron/http/process-queue.ts';
import { SharedWindowLimiter } from '../../../electron/http/shared-window.ts';

const KEY = 'omni-key-Sup3rSecret';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shared-window-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function limiter(clock: FakeClock, queues?: ProcessQueues, identity = KEY): SharedWindowLimiter {
  return new SharedWindowLimiter({
    dir,
    name: 'omni',
    identity,
    limit: 60,
    windowMs: 60_000,
    clock,
    // Fake time runs on while the other "process" polls the lock, also while the holder waits for the
    // disk: on a busy machine a minute of it can pass inside one write, and the lock would be broken as
    // stale (which is right on a real clock, where a minute means its holder died).
    staleLockMs: 24 * 3_600_000,
    ...(queues ? { queues } : {}),
  });
}

/** The most call starts found in any 60 s window (a start exactly 60 s after another is outside it). */
function busiestMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[j] as number) <= (sorted[i] as number) - 60_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('SharedWindowLimiter', () => {
  it('runs two exports in one process at 60 calls a minute, close to the limit', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const times: number[] = [];
    const caller = async (l: SharedWindowLimiter, n: number) => {
      for (let i = 0; i < n; i++) await l.run(async () => void times.push(clock.now()));
    };
    await clock.drive(Promise.all([caller(limiter(clock), 75), caller(limiter(clock), 75)]), 100_000);
    expect(times).toHaveLength(150);
    expect(busiestMinute(times)).toBeLessThanOrEqual(60);
    // 150 calls at 60 a minute (a window is 61 s with the margin) take two full windows and no more.
    const elapsed = Math.max(...times) - start;
    expect(elapsed).toBeGreaterThanOrEqual(2 * 60_000);
    expect(elapsed).toBeLessThanOrEqual(2 * 61_000);
  });

  it('shares the count with another process using the same key', async () => {
    const clock = new FakeClock();
    const times: number[] = [];
    // Its own turn-taking map makes the second limiter act as another process (the CLI).
    const caller = async (l: SharedWindowLimiter, n: number) => {
      // The times counted: fake time may run on while the other "process" polls the lock file.
      for (let i = 0; i < n; i++) times.push(await l.run(async (at) => at));
    };
    await clock.drive(
      Promise.all([caller(limiter(clock), 70), caller(limiter(clock, new Map()), 70)]),
      100_000,
    );
    expect(times).toHaveLength(140);
    expect(busiestMinute(times)).toBeLessThanOrEqual(60);
  });

  it('writes a hash of the key, never the key, to the data folder', async () => {
    const clock = new FakeClock();
    await limiter(clock).run(async (at) => at);
    const names = await readdir(dir);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(name).not.toContain(KEY);
      expect(name).not.toContain('Sup3r');
      expect(await readFile(join(dir, name), 'utf8')).not.toContain('Sup3r');
    }
  });

  it('keeps separate keys apart', async () => {
    const clock = new FakeClock();
    const a = limiter(clock);
    const b = limiter(clock, undefined, 'another-key');
    for (let i = 0; i < 60; i++) await a.run(async (at) => at);
    const at = clock.now();
    await clock.drive(b.run(async (at) => at));
    expect(clock.now()).toBe(at);
    await clock.drive(a.run(async (at) => at));
    expect(clock.now()).toBeGreaterThan(at + 60_000);
  });

  it('holds every caller on the key after a pause (a 429), across processes', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    await limiter(clock).pauseUntil(t0 + 20_000);
    await clock.drive(limiter(clock, new Map()).run(async (at) => at));
    expect(clock.now()).toBe(t0 + 20_000);
  });

  it('remembers the count across a restart, and a cancelled wait counts nothing', async () => {
    const clock = new FakeClock();
    const first = limiter(clock);
    for (let i = 0; i < 60; i++) await first.run(async (at) => at);
    const restarted = limiter(clock, new Map());
    const abort = new AbortController();
    const waiting = restarted.run(async (at) => at, abort.signal);
    await clock.advance(10_000);
    abort.abort();
    await expect(waiting).rejects.toSatisfy(isAbortError);
    const state = JSON.parse(
      await readFile(join(dir, (await readdir(dir)).find((n) => n.endsWith('.json')) as string), 'utf8'),
    ) as { times: number[] };
    expect(state.times).toHaveLength(60);
    expect(Math.max(...state.times)).toBeLessThan(clock.now());
  });
});
