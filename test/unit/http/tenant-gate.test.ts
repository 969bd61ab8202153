import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { isAbortError } from '../../../electron/http/errors.ts';
import { TenantGate, gateFileStem } from '../../../electron/http/tenant-gate.ts';

const INTERVAL = 30_000;
const KEY = 'cxone:TENANT-1';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenant-gate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function gate(clock: FakeClock, extra: { key?: string; staleLockMs?: number } = {}): TenantGate {
  return new TenantGate({ dir, key: extra.key ?? KEY, intervalMs: INTERVAL, clock, ...extra });
}

/** A call that notes the clock time it started at, under a label. */
function recorder(clock: FakeClock) {
  const calls: Array<[string, number]> = [];
  const call = (label: string) => async (): Promise<string> => {
    calls.push([label, clock.now()]);
    return label;
  };
  return { calls, call };
}

const lockPath = (): string => join(dir, `${gateFileStem(KEY)}.lock`);

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not start a process to get a dead pid');
  return child.pid;
}

describe('TenantGate', () => {
  it('spaces calls at least the interval apart and returns what the call returns', async () => {
    const clock = new FakeClock(0);
    const g = gate(clock);
    const { calls, call } = recorder(clock);
    const results = await clock.drive(Promise.all([g.run(call('a')), g.run(call('b')), g.run(call('c'))]));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(calls).toEqual([
      ['a', 0],
      ['b', 30_000],
      ['c', 60_000],
    ]);
  });

  it('serves callers in the order they asked, also across two gates for one tenant', async () => {
    const clock = new FakeClock(0);
    const first = gate(clock);
    const second = gate(clock);
    const { calls, call } = recorder(clock);
    const work = [first.run(call('1')), second.run(call('2')), first.run(call('3')), second.run(call('4'))];
    await clock.drive(Promise.all(work));
    expect(calls.map(([label]) => label)).toEqual(['1', '2', '3', '4']);
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i]![1] - calls[i - 1]![1]).toBeGreaterThanOrEqual(INTERVAL);
    }
  });

  it('spaces the next call from when the vendor answered, so a request slow on the way is not followed too soon', async () => {
    const clock = new FakeClock(0);
    const g = gate(clock);
    // When each request reached the vendor: the first spends 10 s on the way (a slow proxy, or a test's
    // clock moving on while real I/O is under way), the second none.
    const arrived: number[] = [];
    const slow = g.run(async () => {
      await clock.sleep(10_000);
      arrived.push(clock.now());
    });
    const fast = g.run(async () => {
      arrived.push(clock.now());
    });
    await clock.drive(Promise.all([slow, fast]));
    expect(arrived).toEqual([10_000, 10_000 + INTERVAL]);
  });

  it('lets a call that fails count, and the next one still waits', async () => {
    const clock = new FakeClock(0);
    const g = gate(clock);
    const { calls, call } = recorder(clock);
    const failing = g.run(async () => {
      calls.push(['boom', clock.now()]);
      throw new Error('vendor said no');
    });
    const after = g.run(call('next'));
    await expect(clock.drive(failing)).rejects.toThrow('vendor said no');
    await clock.drive(after);
    expect(calls).toEqual([
      ['boom', 0],
      ['next', 30_000],
    ]);
  });

  it('rejects a caller cancelled while waiting, records nothing for it, and lets the next one go', async () => {
    const clock = new FakeClock(0);
    const g = gate(clock);
    const { calls, call } = recorder(clock);
    await clock.drive(g.run(call('first')));
    const ctrl = new AbortController();
    const cancelled = g.run(call('cancelled'), ctrl.signal);
    const queued = g.run(call('queued'));
    await clock.untilSleeping(1);
    await clock.advance(10_000);
    ctrl.abort();
    const outcome = await cancelled.catch((e: unknown) => e);
    expect(isAbortError(outcome)).toBe(true);
    expect(await g.nextCallAt()).toBe(30_000); // still counted from the first call
    await clock.drive(queued);
    expect(calls).toEqual([
      ['first', 0],
      ['queued', 30_000],
    ]);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const clock = new FakeClock(0);
    const g = gate(clock);
    const { calls, call } = recorder(clock);
    const outcome = await g.run(call('never'), AbortSignal.abort()).catch((e: unknown) => e);
    expect(isAbortError(outcome)).toBe(true);
    expect(calls).toEqual([]);
    await clock.drive(g.run(call('later')));
    expect(calls).toEqual([['later', 0]]);
  });

  it('after a restart, waits out the rest of the interval from the persisted last call', async () => {
    const clock = new FakeClock(1_000_000);
    const { calls, call } = recorder(clock);
    await clock.drive(gate(clock).run(call('before restart')));
    await clock.advance(12_000);
    const restarted = gate(clock);
    expect(await restarted.nextCallAt()).toBe(1_030_000);
    await clock.drive(restarted.run(call('after restart')));
    expect(calls).toEqual([
      ['before restart', 1_000_000],
      ['after restart', 1_030_000],
    ]);
    const state = JSON.parse(await readFile(join(dir, `${gateFileStem(KEY)}.json`), 'utf8')) as unknown;
    expect(state).toEqual({ lastCallAt: 1_030_000 });
  });

  it('keeps tenants apart', async () => {
    const clock = new FakeClock(0);
    const { calls, call } = recorder(clock);
    await clock.drive(
      Promise.all([gate(clock).run(call('t1')), gate(clock, { key: 'cxone:TENANT-2' }).run(call('t2'))]),
    );
    expect(calls.sort()).toEqual([
      ['t1', 0],
      ['t2', 0],
    ]);
  });

  it('says when the next call may start', async () => {
    const clock = new FakeClock(5_000);
    const g = gate(clock);
    expect(await g.nextCallAt()).toBe(5_000);
    await clock.drive(g.run(async () => undefined));
    expect(await g.nextCallAt()).toBe(35_000);
    await clock.advance(40_000);
    expect(await g.nextCallAt()).toBe(45_000);
  });

  it('waits one interval, not until then, when the last call is in the future (clock set back)', async () => {
    const clock = new FakeClock(100_000);
    const { calls, call } = recorder(clock);
    await clock.drive(gate(clock).run(call('from the future')));
    const earlier = new FakeClock(10_000); // the system clock was set back by 90 s
    const g = gate(earlier);
    expect(await g.nextCallAt()).toBe(40_000);
    const after = recorder(earlier);
    await earlier.drive(g.run(after.call('next')));
    expect(after.calls).toEqual([['next', 40_000]]);
    expect(calls).toHaveLength(1);
  });

  it('waits while another live process holds the lock, then proceeds when it is released', async () => {
    const clock = new FakeClock(0);
    const g = gate(clock);
    const { calls, call } = recorder(clock);
    await writeFile(
      lockPath(),
      JSON.stringify({ pid: process.ppid, host: hostname(), at: 0, token: 'other' }),
    );
    const pending = g.run(call('waited'));
    for (let i = 0; i < 8; i++) {
      await clock.untilSleeping(1);
      await clock.advance(250);
    }
    expect(calls).toEqual([]);
    await rm(lockPath());
    await clock.drive(pending);
    expect(calls).toHaveLength(1);
    expect(calls[0]![1]).toBeGreaterThanOrEqual(2_000);
    expect(await readdir(dir)).not.toContain(`${gateFileStem(KEY)}.lock`);
  });

  it('breaks a lock left by a process that has died', async () => {
    const clock = new FakeClock(0);
    const { calls, call } = recorder(clock);
    await writeFile(lockPath(), JSON.stringify({ pid: deadPid(), host: hostname(), at: 0, token: 'dead' }));
    await clock.drive(gate(clock).run(call('after dead holder')));
    expect(calls).toEqual([['after dead holder', 0]]);
    expect(await readdir(dir)).toEqual([`${gateFileStem(KEY)}.json`]);
  });

  it('breaks a lock older than staleLockMs even if its process still runs', async () => {
    const clock = new FakeClock(0);
    const { calls, call } = recorder(clock);
    await writeFile(lockPath(), JSON.stringify({ pid: process.ppid, host: hostname(), at: 0, token: 'x' }));
    await clock.drive(gate(clock, { staleLockMs: 60_000 }).run(call('after stale')));
    expect(calls).toHaveLength(1);
    expect(calls[0]![1]).toBeGreaterThan(60_000);
    expect(calls[0]![1]).toBeLessThanOrEqual(60_250);
  });

  it('cancelling while another process holds the lock rejects and leaves its lock alone', async () => {
    const clock = new FakeClock(0);
    const held = JSON.stringify({ pid: process.ppid, host: hostname(), at: 0, token: 'other' });
    await writeFile(lockPath(), held);
    const ctrl = new AbortController();
    const pending = gate(clock).run(async () => 'never', ctrl.signal);
    await clock.untilSleeping(1);
    ctrl.abort();
    expect(isAbortError(await pending.catch((e: unknown) => e))).toBe(true);
    expect(await readFile(lockPath(), 'utf8')).toBe(held);
    expect(await gate(clock).nextCallAt()).toBe(0); // nothing recorded
  });

  it('makes file names safe and distinct for any key', () => {
    expect(gateFileStem('cxone:TENANT-1')).toMatch(/^cxone_TENANT-1\.[0-9a-f]{10}$/);
    expect(gateFileStem('../../etc')).not.toContain('/');
    expect(gateFileStem('cxone:abc')).not.toBe(gateFileStem('cxone:ABC'));
    expect(gateFileStem('a:b')).not.toBe(gateFileStem('a_b'));
  });
});
