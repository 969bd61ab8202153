/**
 * Turns at the tenant gate across real processes sharing a data folder: first asked, first served, even
 * when the process asking first is slow to wake (a busy window) and the other is idle (the command line);
 * and a waiter that was killed does not hold the queue.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackServer } from '../../simulators/common.ts';
import { until } from '../crash/harness.ts';

const KEY = 'cxone:TENANT-1';
const INTERVAL_MS = 200;
/** How late a busy process's timers fire: far longer than the idle process needs for all its calls. */
const BUSY_LATE_MS = 1_500;
const CHILD = join(import.meta.dirname, 'fixtures', 'tenant-gate-child.ts');
const RUN_TS = join(import.meta.dirname, '..', '..', '..', 'bin', 'run-ts.mjs');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A loopback server noting each call as `LABEL-N`; a call named in `hold` is answered on release. */
async function server(hold: string[]) {
  const seen: string[] = [];
  const held = new Map<string, () => void>();
  const s = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/call') return void res.end('ok');
    const name = `${url.searchParams.get('from')}-${url.searchParams.get('n')}`;
    seen.push(name);
    if (hold.includes(name)) await new Promise<void>((resolve) => held.set(name, resolve));
    res.end('ok');
  });
  cleanups.push(() => s.close());
  return {
    url: s.url,
    seen,
    /** Resolves once the call has arrived and is being held. */
    holding: (name: string) => until(() => held.has(name), `${name} held by the server`),
    release: (name: string) => held.get(name)?.(),
  };
}

function waiter(dir: string, url: string, label: string, count: number, lateMs = 0) {
  const args = [RUN_TS, CHILD, dir, KEY, String(INTERVAL_MS), url, String(count), label, String(lateMs)];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const said = (line: string) => until(() => out.split('\n').includes(line), `${label} saying ${line}`);
  return {
    child,
    exited,
    stderr: () => err,
    /** Waits until loaded, then lets it make its calls. */
    go: async () => {
      await said('ready');
      child.stdin.end('go\n');
    },
    /** Resolves once its gate is waiting for a turn (the first sleep it asked for). */
    waiting: () => said('waiting'),
  };
}

async function gateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tenant-gate-turns-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const tickets = async (dir: string): Promise<string[]> =>
  (await readdir(dir)).filter((f) => f.endsWith('.ticket'));

describe('TenantGate turns across processes', () => {
  it('serves a busy process that asked first before an idle one that keeps asking', async () => {
    const dir = await gateDir();
    const srv = await server(['idle-1']);
    const idle = waiter(dir, srv.url, 'idle', 3);
    const busy = waiter(dir, srv.url, 'busy', 1, BUSY_LATE_MS);
    // The idle process's first call is under way when the busy one asks; the busy one then waits.
    await idle.go();
    await srv.holding('idle-1');
    await busy.go();
    await busy.waiting();
    srv.release('idle-1');
    expect(await idle.exited, idle.stderr()).toBe(0);
    expect(await busy.exited, busy.stderr()).toBe(0);
    // Without turns, the idle process woke first every time and made all three calls before the busy
    // process's timer fired.
    expect(srv.seen).toEqual(['idle-1', 'busy-1', 'idle-2', 'idle-3']);
    expect(await tickets(dir)).toEqual([]);
  }, 60_000);

  it('does not let a waiter that was killed hold the queue', async () => {
    const dir = await gateDir();
    const srv = await server(['first-1']);
    const first = waiter(dir, srv.url, 'first', 1);
    await first.go();
    await srv.holding('first-1');
    // A waiter takes its turn behind the call under way, then dies while waiting.
    const killed = waiter(dir, srv.url, 'killed', 1);
    await killed.go();
    await killed.waiting();
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toBe('SIGKILL');
    expect(await tickets(dir)).toHaveLength(2);
    // A later waiter is behind the dead one's ticket, which must not stop it.
    const later = waiter(dir, srv.url, 'later', 1);
    await later.go();
    await later.waiting();
    srv.release('first-1');
    expect(await first.exited, first.stderr()).toBe(0);
    expect(await later.exited, later.stderr()).toBe(0);
    expect(srv.seen).toEqual(['first-1', 'later-1']);
    expect(await tickets(dir)).toEqual([]);
  }, 60_000);
});
