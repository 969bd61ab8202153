import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  HEARTBEAT_MS,
  markRunning,
  markStopped,
  runningElsewhere,
  STALE_MS,
} from '../../../electron/base/liveness.ts';

let dir: string;
let other: ChildProcess | undefined;

afterEach(async () => {
  vi.useRealTimers();
  other?.kill();
  other = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Another live process, standing in for a second window or the CLI. */
async function livePid(): Promise<number> {
  other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  return other.pid!;
}

describe('telling a job running in another process from one left by a crash', () => {
  it('counts a live process with a recent heartbeat as running elsewhere', async () => {
    dir = await mkdtemp(join(tmpdir(), 'exportdesk-live-'));
    await writeFile(join(dir, 'running.pid'), String(await livePid()));
    expect(await runningElsewhere(dir)).toBe(true);
  });

  it('does not trust a pid whose heartbeat stopped long ago (the number was reused after a reboot)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'exportdesk-live-'));
    const file = join(dir, 'running.pid');
    await writeFile(file, String(await livePid()));
    const old = new Date(Date.now() - STALE_MS - 60_000);
    await utimes(file, old, old);
    expect(await runningElsewhere(dir)).toBe(false);
  });

  it('does not count a process that is gone, nor this process, nor a damaged file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'exportdesk-live-'));
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => gone.once('exit', r));
    await writeFile(join(dir, 'running.pid'), String(gone.pid));
    expect(await runningElsewhere(dir)).toBe(false);
    await writeFile(join(dir, 'running.pid'), String(process.pid));
    expect(await runningElsewhere(dir)).toBe(false);
    await writeFile(join(dir, 'running.pid'), '0');
    expect(await runningElsewhere(dir)).toBe(false);
  });

  it('keeps the heartbeat going while the job runs and removes the file when it stops', async () => {
    dir = await mkdtemp(join(tmpdir(), 'exportdesk-live-'));
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const file = join(dir, 'running.pid');
    await markRunning(dir, 4242);
    const old = new Date(Date.now() - 60_000);
    await utimes(file, old, old);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    await vi.waitFor(async () => expect((await stat(file)).mtimeMs).toBeGreaterThan(old.getTime() + 30_000));
    await markStopped(dir);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });
});
