import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackServer } from '../../simulators/common.ts';
import type { LoopbackServer } from '../../simulators/common.ts';

// Real time on purpose: what is under test is two real processes sharing one data folder.
const INTERVAL_MS = 300;
const CALL_MS = 40;
const TOLERANCE_MS = 20;
const CALLS_EACH = 3;
const CHILD = join(import.meta.dirname, 'fixtures', 'tenant-gate-child.ts');
const RUN_TS = join(import.meta.dirname, '..', '..', '..', 'bin', 'run-ts.mjs');

interface Seen {
  from: string;
  /** When the gate let the call start, as the calling process saw it (ms epoch). */
  sentAt: number;
  /** When the server got it and answered (ms epoch). */
  start: number;
  end: number;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function startChild(args: string[]): { child: ChildProcess; ready: Promise<void>; exited: Promise<number> } {
  const child = spawn(process.execPath, [RUN_TS, CHILD, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill();
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.once('exit', () => reject(new Error(`child exited before it was ready: ${stderr}`)));
  });
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code) => {
      if (code !== 0) console.error(stderr);
      resolve(code ?? -1);
    }),
  );
  return { child, ready, exited };
}

describe('TenantGate across processes', () => {
  it('two processes sharing a data folder never call closer than the interval, nor at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tenant-gate-procs-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const seen: Seen[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const server: LoopbackServer = await startLoopbackServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/call') return void res.end('ok');
      const start = Date.now();
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, CALL_MS));
      inFlight -= 1;
      const from = url.searchParams.get('from') ?? '?';
      seen.push({ from, sentAt: Number(url.searchParams.get('t')), start, end: Date.now() });
      res.end('ok');
    });
    cleanups.push(() => server.close());

    const args = (label: string): string[] => [
      dir,
      'cxone:TENANT-1',
      String(INTERVAL_MS),
      server.url,
      String(CALLS_EACH),
      label,
    ];
    const a = startChild(args('A'));
    const b = startChild(args('B'));
    await Promise.all([a.ready, b.ready]);
    a.child.stdin?.end('go\n');
    b.child.stdin?.end('go\n');
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);

    expect(seen).toHaveLength(2 * CALLS_EACH);
    expect(seen.filter((s) => s.from === 'A')).toHaveLength(CALLS_EACH);
    expect(maxInFlight).toBe(1);
    const bySent = [...seen].sort((x, y) => x.sentAt - y.sentAt);
    for (let i = 1; i < bySent.length; i++) {
      const prev = bySent[i - 1]!;
      const cur = bySent[i]!;
      expect(cur.sentAt - prev.sentAt).toBeGreaterThanOrEqual(INTERVAL_MS - TOLERANCE_MS);
      // Arrival gaps also carry each process's scheduling delay, so only a loose check here.
      expect(cur.start - prev.start).toBeGreaterThanOrEqual(INTERVAL_MS / 2);
      // One caller at a time: a call reaches the server only after the previous one was answered.
      expect(cur.start).toBeGreaterThanOrEqual(prev.end);
    }
    // Each lock was released; only the state file remains.
    expect((await readdir(dir)).filter((f) => !f.endsWith('.json'))).toEqual([]);
  });
});
