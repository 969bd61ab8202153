/**
 * Schedules shared by several processes on one data folder, through the real command
 * (bin/exportdesk.mjs): a run under way in one process is never started again by another, and schedules
 * added at once by several processes are all kept.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { runBin } from '../../helpers/run-bin.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { DAY, sinceLastRun } from './setup.ts';

/** A loopback proxy that holds the first connection until released: a run certainly under way. */
async function startGate(targetPort: number) {
  let arrived!: () => void;
  const first = new Promise<void>((resolve) => (arrived = resolve));
  let open!: () => void;
  const released = new Promise<void>((resolve) => (open = resolve));
  let held = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.pause();
    const wait = held ? Promise.resolve() : ((held = true), arrived(), released);
    void wait.then(() => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      sockets.add(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end);
      upstream.on('error', end);
      client.on('close', end);
      upstream.on('close', end);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    first,
    release: () => open(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let root: string;
let sim: OmniqSimulator;
let dir: string;
let home: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-schedule-processes-'));
  sim = await startOmniqSimulator({ counts: { communications: 200 } });
});
afterAll(async () => {
  await sim.close();
  removeTempDir(root);
});
beforeEach((ctx) => {
  dir = mkdtempSync(path.join(root, `${ctx.task.id}-`));
  home = path.join(dir, 'data');
});

/** A data folder with an OmniQ connection at `url` and, made two days ago, a daily schedule due since. */
async function prepare(url: string): Promise<void> {
  const clock = new FakeClock(Date.now() - 2 * DAY);
  const app = await AppService.open({ dataDir: home, secrets: standInKeychain(), clock });
  const io = testIO({ cwd: dir });
  const args = ['--provider', 'omniq', '--base-url', url, '--set', 'tenantId=ACME-TENANT01'];
  expect(await main(['connections', 'add', 'Acme', ...args], io, app), io.err.text).toBe(0);
  await app.schedules.save(sinceLastRun({ name: 'nightly' }));
  await app.close();
}

describe('schedules across processes', () => {
  it('never runs one schedule twice at once: the other process says it is already running', async () => {
    const gate = await startGate(Number(new URL(sim.url).port));
    try {
      await prepare(gate.url);
      const first = runBin(['schedule', 'run-due'], { cwd: dir, home });
      // The first process holds the run lock and waits on the vendor.
      await gate.first;
      const byName = await runBin(['schedule', 'run', 'nightly'], { cwd: dir, home });
      expect(byName.code, byName.stderr).toBe(1);
      expect(byName.stderr).toMatch(
        /“nightly” is already running \(since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, in process \d+\); this run did nothing\./,
      );
      const due = await runBin(['schedule', 'run-due'], { cwd: dir, home });
      expect(due.code, due.stderr).toBe(0);
      expect(due.stderr).toContain('“nightly” is already running');
      expect(due.stdout).not.toContain('saved');
      gate.release();
      const done = await first;
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout).toMatch(/^nightly: saved 200 rows to /);
    } finally {
      await gate.close();
    }
    const app = await AppService.open({ dataDir: home, secrets: standInKeychain() });
    try {
      const schedule = await app.schedules.get('nightly');
      expect(schedule.runs.map((r) => [r.trigger, r.state])).toEqual([['catch-up', 'succeeded']]);
      expect(readdirSync(schedule.folder)).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('keeps every schedule added by processes at the same time', async () => {
    await prepare(sim.url);
    writeFileSync(
      path.join(dir, 'recipe.json'),
      JSON.stringify({ version: 1, connection: 'Acme', provider: 'omniq', query: { index: 'agents' } }),
    );
    const names = ['alpha', 'bravo', 'charlie', 'delta'];
    const runs = await Promise.all(
      names.map((n) =>
        runBin(['schedule', 'add', n, 'recipe.json', '--every', 'hour', '--time-zone', 'UTC'], {
          cwd: dir,
          home,
        }),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const listed = await runBin(['schedule', 'list', '--json'], { cwd: dir, home });
    expect(listed.code, listed.stderr).toBe(0);
    const got = (JSON.parse(listed.stdout) as Array<{ name: string }>).map((s) => s.name).sort();
    expect(got).toEqual([...names, 'nightly'].sort());
  });
});
