/**
 * `exportdesk prune`: the saved bounds applied now, from the command line, to a real data folder of
 * exports (their records and spools): what went and what it freed, or what would go with --dry-run.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { folderBytes, IN_USE_MS } from '../../../electron/app/prune.ts';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { formatBytes } from '../../../electron/jobs/disk-errors.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import type { JobRecord, Recipe } from '../../../shared/jobs.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { runBin } from '../../helpers/run-bin.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';

const DAY = 24 * 60 * 60 * 1000;
let sim: OmniqSimulator;
let dir: string;
let clock: FakeClock;
let app: AppService;

const open = () =>
  AppService.open({
    dataDir: dir,
    clock,
    secrets: new MemorySecretStore('Secrets are kept for this run only (test).'),
  });

beforeAll(async () => {
  sim = await startOmniqSimulator({ counts: { agents: 300 } });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-cli-prune-'));
  clock = new FakeClock(Date.UTC(2024, 0, 1));
  app = await open();
  await app.connections.save({
    name: 'Acme',
    provider: 'omniq',
    settings: { baseUrl: sim.url, tenantId: 'ACME-TENANT01', pageSize: 100 },
  });
  sim.clearFaults();
});
afterEach(async () => {
  await app.close();
  removeTempDir(dir);
});

async function exported(name: string): Promise<JobRecord> {
  const recipe = {
    version: 1,
    name,
    connection: 'Acme',
    provider: 'omniq',
    query: { index: 'agents' },
    output: OutputOptionsSchema.parse({}),
  } as Recipe;
  const job = await app.runner.start(recipe);
  const done = await app.runner.wait(job.id);
  expect(done.state).toBe('ready');
  return done;
}

const spoolOf = (job: JobRecord) => app.jobs.spoolDir(job.id);

async function prune(...args: string[]) {
  const io = testIO({ cwd: dir });
  const code = await main(['prune', ...args], io, app);
  return { code, out: io.out.text, err: io.err.text };
}

interface Report {
  pruning: 'on' | 'off';
  dryRun: boolean;
  keepDays: number | null;
  keepGb: number | null;
  bytes: number;
  exports: Array<{ id: string; title: string; finishedAt: string; bytes: number }>;
}

describe('exportdesk prune', () => {
  it('says pruning is off, and removes nothing, while no bound is set', async () => {
    const old = await exported('old');
    await clock.advance(3650 * DAY);
    const r = await prune();
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Pruning is off: no bound is set, so nothing was removed.');
    expect(r.out).toContain('Keep export data for N days');
    expect(existsSync(spoolOf(old))).toBe(true);
    const json = JSON.parse((await prune('--json')).out) as Report;
    expect(json).toEqual({
      pruning: 'off',
      dryRun: false,
      keepDays: null,
      keepGb: null,
      bytes: 0,
      exports: [],
    });
  });

  it('lists with --dry-run what the saved bounds would remove, then removes exactly that', async () => {
    const old = await exported('Last year’s agents');
    await clock.advance(10 * DAY);
    const recent = await exported('recent');
    await clock.advance(2 * DAY);
    await app.setSettings({ keepDays: 7 });
    const oldBytes = await folderBytes(spoolOf(old));
    expect(oldBytes).toBeGreaterThan(0);

    const dry = await prune('--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toBe(
      [
        `Would remove the data of 1 export, freeing ${formatBytes(oldBytes)} (keep 7 days):`,
        `  Last year’s agents — finished 2024-01-01 00:00 UTC, ${formatBytes(oldBytes)} (${old.id})`,
        'Nothing was removed (--dry-run).',
        '',
      ].join('\n'),
    );
    expect(existsSync(spoolOf(old))).toBe(true);
    expect((await app.jobs.load(old.id))?.dataRemovedAt).toBeUndefined();
    const dryJson = JSON.parse((await prune('--dry-run', '--json')).out) as Report;
    expect(dryJson).toMatchObject({ pruning: 'on', dryRun: true, keepDays: 7, bytes: oldBytes });
    expect(dryJson.exports).toEqual([
      { id: old.id, title: 'Last year’s agents', finishedAt: old.finishedAt, bytes: oldBytes },
    ]);
    expect(existsSync(spoolOf(old))).toBe(true);

    const real = await prune();
    expect(real.code, real.err).toBe(0);
    expect(real.out).toContain(`Removed the data of 1 export, ${formatBytes(oldBytes)} freed (keep 7 days):`);
    expect(real.out).toContain(`  Last year’s agents — finished 2024-01-01 00:00 UTC`);
    expect(real.out).not.toContain('recent');
    expect(existsSync(spoolOf(old))).toBe(false);
    expect(existsSync(spoolOf(recent))).toBe(true);
    // The record stays, marked, so the export is still listed.
    expect((await app.jobs.load(old.id))?.dataRemovedAt).toBe(new Date(clock.now()).toISOString());

    const again = await prune();
    expect(again.out).toBe('Nothing is past the saved bounds (keep 7 days): nothing was removed.\n');
    const json = JSON.parse((await prune('--json')).out) as Report;
    expect(json).toMatchObject({ pruning: 'on', dryRun: false, bytes: 0, exports: [] });
  });

  it('removes the oldest first while all the rows take more than the size bound', async () => {
    const first = await exported('first');
    await clock.advance(60_000);
    const second = await exported('second');
    const [a, b] = await Promise.all([folderBytes(spoolOf(first)), folderBytes(spoolOf(second))]);
    await app.setSettings({ keepGb: (a + b - 1) / 1024 ** 3 });
    const json = JSON.parse((await prune('--json')).out) as Report;
    expect(json.exports.map((e) => e.id)).toEqual([first.id]);
    expect(json.bytes).toBe(a);
    expect([existsSync(spoolOf(first)), existsSync(spoolOf(second))]).toEqual([false, true]);
  });

  it('never touches a running export or one another process runs', async () => {
    const old = await exported('old');
    const elsewhere = await exported('elsewhere');
    await clock.advance(2 * DAY);
    // The vendor asks to wait a minute: the export stays running until the clock moves.
    sim.injectFaults({ kind: 'status', status: 429, retryAfter: 60 });
    const running = await app.runner.start({
      version: 1,
      connection: 'Acme',
      provider: 'omniq',
      query: { index: 'agents' },
      output: OutputOptionsSchema.parse({}),
    } as Recipe);
    await vi.waitFor(() => expect(clock.nextWakeAt()).toBeDefined());
    // A live process (the one that started this test) holds the export's running mark.
    writeFileSync(path.join(app.jobs.jobDir(elsewhere.id), 'running.pid'), String(process.ppid));
    await app.setSettings({ keepGb: 0.01, keepDays: 1 });

    const dry = JSON.parse((await prune('--dry-run', '--json')).out) as Report;
    expect(dry.exports.map((e) => e.id)).toEqual([old.id]);
    const real = JSON.parse((await prune('--json')).out) as Report;
    expect(real.exports.map((e) => e.id)).toEqual([old.id]);
    expect(existsSync(spoolOf(elsewhere))).toBe(true);
    expect((await app.jobs.load(running.id))?.dataRemovedAt).toBeUndefined();
    app.runner.cancel(running.id);
    await app.runner.wait(running.id);
  });

  it('leaves an export the window looked at in the last half hour, though the window is another process', async () => {
    const shown = await exported('shown');
    await clock.advance(2 * DAY);
    await app.setSettings({ keepDays: 1 });
    await app.handle('preview.page', { jobId: shown.id, offset: 0, limit: 10 });
    await vi.waitFor(() => expect(existsSync(path.join(app.jobs.jobDir(shown.id), 'in-use'))).toBe(true));
    // The command line: an app of its own on the same data folder, which never saw the window's pages.
    const window = app;
    app = await AppService.open({
      dataDir: dir,
      clock,
      secrets: new MemorySecretStore('Secrets are kept for this run only (test).'),
      pruneAtStart: false,
    });
    try {
      await clock.advance(IN_USE_MS - 1);
      expect(JSON.parse((await prune('--json')).out)).toMatchObject({ exports: [] });
      expect(existsSync(spoolOf(shown))).toBe(true);
      await clock.advance(1);
      const r = JSON.parse((await prune('--json')).out) as Report;
      expect(r.exports.map((e) => e.id)).toEqual([shown.id]);
      expect(existsSync(spoolOf(shown))).toBe(false);
    } finally {
      await app.close();
      app = window;
    }
  });

  it('removes nothing on a dry run through the real command, which does not prune as it opens', async () => {
    // Finished in 2024 on the test's clock: years past a 7-day bound on the real one.
    const old = await exported('old');
    await app.setSettings({ keepDays: 7 });
    await app.close();
    const dry = await runBin(['prune', '--dry-run'], { cwd: dir, home: dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^Would remove the data of 1 export, freeing .+ \(keep 7 days\):\n/);
    expect(existsSync(spoolOf(old))).toBe(true);
    const real = await runBin(['prune'], { cwd: dir, home: dir });
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/^Removed the data of 1 export, .+ freed \(keep 7 days\):\n/);
    expect(existsSync(spoolOf(old))).toBe(false);
    app = await open();
  });
});
