import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { isAbortError } from '../../../electron/http/errors.ts';
import { TicketQueue } from '../../../electron/http/tenant-queue.ts';
import { STALE_MS } from '../../../electron/base/liveness.ts';

const STEM = 'cxone-TENANT-1.0123456789';
const POLL_MS = 250;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenant-queue-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const queue = (clock: FakeClock): TicketQueue => new TicketQueue({ dir, stem: STEM, clock, pollMs: POLL_MS });
const tickets = async (): Promise<string[]> =>
  (await readdir(dir)).filter((f) => f.endsWith('.ticket')).sort();

/** Another process's ticket, taken long before any ticket of this test (number 1). */
async function otherTicket(pid: number, opts: { host?: string; ageMs?: number } = {}): Promise<string> {
  const path = join(dir, `${STEM}.1.ticket`);
  await writeFile(path, JSON.stringify({ pid, host: opts.host ?? hostname(), token: 'other' }));
  if (opts.ageMs) {
    const then = new Date(Date.now() - opts.ageMs);
    await utimes(path, then, then);
  }
  return path;
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not start a process to get a dead pid');
  return child.pid;
}

/** Whether `work` is still pending after the clock has moved on by a few polls. */
async function stillWaiting(clock: FakeClock, work: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void work.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 4; i++) {
    await clock.untilSleeping(1);
    await clock.advance(POLL_MS);
  }
  return !settled;
}

describe('TicketQueue', () => {
  it('serves this process in the order its callers asked, and leaves no ticket behind', async () => {
    const clock = new FakeClock(0);
    const q = queue(clock);
    const order: string[] = [];
    const take = async (label: string): Promise<void> => {
      const leave = await q.join();
      order.push(label);
      await leave();
    };
    await Promise.all([take('a'), take('b'), take('c')]);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(await tickets()).toEqual([]);
  });

  it('waits behind a live process that asked first, and goes once that process is gone', async () => {
    const clock = new FakeClock(0);
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const gone = new Promise((resolve) => other.once('exit', resolve));
    try {
      await otherTicket(other.pid as number);
      const turn = queue(clock).join();
      expect(await stillWaiting(clock, turn)).toBe(true);
      other.kill('SIGKILL');
      await gone;
      const leave = await clock.drive(turn);
      // The dead process's ticket was taken away on the way.
      expect(await tickets()).toHaveLength(1);
      await leave();
      expect(await tickets()).toEqual([]);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it("removes a dead process's ticket at once", async () => {
    const clock = new FakeClock(0);
    await otherTicket(deadPid());
    const leave = await queue(clock).join();
    expect(clock.pendingSleeps()).toBe(0);
    await leave();
    expect(await tickets()).toEqual([]);
  });

  it('takes a ticket not touched for STALE_MS as a leftover, even if its pid runs now', async () => {
    const clock = new FakeClock(0);
    // process.ppid runs (it started this test), as an unrelated process may after a reboot.
    await otherTicket(process.ppid, { ageMs: STALE_MS + 60_000 });
    const leave = await queue(clock).join();
    await leave();
    expect(await tickets()).toEqual([]);
  });

  it('takes a ticket naming this pid, but not held by this process, as a leftover', async () => {
    const clock = new FakeClock(0);
    await otherTicket(process.pid);
    const leave = await queue(clock).join();
    await leave();
    expect(await tickets()).toEqual([]);
  });

  it("waits for another machine's ticket while it is fresh, whatever its pid", async () => {
    const clock = new FakeClock(0);
    await otherTicket(deadPid(), { host: `${hostname()}-elsewhere` });
    expect(await stillWaiting(clock, queue(clock).join())).toBe(true);
  });

  it('gives up its ticket when the wait is cancelled', async () => {
    const clock = new FakeClock(0);
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const path = await otherTicket(other.pid as number);
      const ctrl = new AbortController();
      const turn = queue(clock).join(ctrl.signal);
      expect(await stillWaiting(clock, turn)).toBe(true);
      ctrl.abort();
      expect(isAbortError(await turn.catch((e: unknown) => e))).toBe(true);
      expect(await tickets()).toEqual([path.slice(dir.length + 1)]);
      expect(clock.pendingSleeps()).toBe(0);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
