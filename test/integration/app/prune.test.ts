import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { folderBytes, GB, IN_USE_MS } from '../../../electron/app/prune.ts';
import { DATA_REMOVED } from '../../../shared/job-text.ts';
import type { JobRecord, Recipe } from '../../../shared/jobs.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { agentsFixture } from './agents-fixture.ts';

const DAY = 24 * 60 * 60 * 1000;
const fx = agentsFixture('exportdesk-prune-', Date.UTC(2030, 0, 1));

const recipe = (name: string): Recipe =>
  ({
    version: 1,
    name,
    connection: 'Acme',
    provider: 'omniq',
    query: { index: 'agents' },
    output: OutputOptionsSchema.parse({}),
  }) as Recipe;

async function exported(name: string): Promise<JobRecord> {
  const job = await fx.app.runner.start(recipe(name));
  const done = await fx.app.runner.wait(job.id);
  expect(done.state).toBe('ready');
  return done;
}

const spoolOf = (job: JobRecord) => fx.app.jobs.spoolDir(job.id);

async function record(job: JobRecord): Promise<JobRecord | undefined> {
  return fx.app.jobs.load(job.id);
}

describe('pruning old export data', () => {
  it('is off by default: nothing is removed however old', async () => {
    const old = await exported('old');
    await fx.clock.advance(3650 * DAY);
    expect(await fx.app.handle('storage.prune', {})).toEqual({ exports: 0, bytes: 0 });
    expect(existsSync(spoolOf(old))).toBe(true);
  });

  it('removes the rows of exports finished more than N days ago and keeps their records', async () => {
    const old = await exported('old');
    await fx.clock.advance(10 * DAY);
    const recent = await exported('recent');
    await fx.clock.advance(2 * DAY);
    await fx.app.handle('settings.set', { keepDays: 7 });
    const oldBytes = await folderBytes(spoolOf(old));
    expect(oldBytes).toBeGreaterThan(0);

    const usage = (await fx.app.handle('storage.usage', {})) as { prunable: unknown };
    expect(usage.prunable).toEqual({ exports: 1, bytes: oldBytes });
    expect(await fx.app.handle('storage.prune', {})).toEqual({ exports: 1, bytes: oldBytes });

    expect(existsSync(spoolOf(old))).toBe(false);
    expect(existsSync(spoolOf(recent))).toBe(true);
    const kept = await record(old);
    expect(kept?.state).toBe('ready');
    expect(kept?.dataRemovedAt).toBe(new Date(fx.clock.now()).toISOString());
    expect((await fx.app.jobs.list()).map((j) => j.id)).toContain(old.id);

    // Its preview and its save say so, and the recent one still pages.
    await expect(fx.app.handle('preview.page', { jobId: old.id, offset: 0, limit: 10 })).rejects.toThrow(
      DATA_REMOVED,
    );
    await expect(
      fx.app.saves.saveTo(old.id, path.join(fx.dir, 'out.csv'), OutputOptionsSchema.parse({})),
    ).rejects.toThrow(DATA_REMOVED);
    expect(existsSync(path.join(fx.dir, 'out.csv'))).toBe(false);
    const page = (await fx.app.handle('preview.page', { jobId: recent.id, offset: 0, limit: 10 })) as {
      total: number;
    };
    expect(page.total).toBe(300);
  });

  it('removes the oldest rows first while all of them take more than N GB', async () => {
    const jobs: JobRecord[] = [];
    for (const name of ['first', 'second', 'third']) {
      jobs.push(await exported(name));
      await fx.clock.advance(60_000);
    }
    const sizes = await Promise.all(jobs.map((j) => folderBytes(spoolOf(j))));
    const [first, second, third] = sizes as [number, number, number];
    // Room for the two newest and a byte less than the oldest as well.
    await fx.app.handle('settings.set', { keepGb: (second + third + first - 1) / GB });
    expect(await fx.app.handle('storage.prune', {})).toEqual({ exports: 1, bytes: first });
    expect(jobs.map((j) => existsSync(spoolOf(j)))).toEqual([false, true, true]);
    await fx.app.handle('settings.set', { keepGb: third / GB });
    expect(await fx.app.handle('storage.prune', {})).toEqual({ exports: 1, bytes: second });
    expect(jobs.map((j) => existsSync(spoolOf(j)))).toEqual([false, false, true]);
    expect((await record(jobs[1] as JobRecord))?.dataRemovedAt).toBeDefined();
  });

  it('never touches a running export or one another process runs', async () => {
    const old = await exported('old');
    const elsewhere = await exported('elsewhere');
    await fx.clock.advance(2 * DAY);
    // The vendor asks to wait a minute: the export stays running until the clock moves.
    fx.sim.injectFaults({ kind: 'status', status: 429, retryAfter: 60 });
    const running = await fx.app.runner.start(recipe('running'));
    await vi.waitFor(() => expect(fx.clock.nextWakeAt()).toBeDefined());
    // A live process (the one that started this test) holds the export's running mark.
    writeFileSync(path.join(fx.app.jobs.jobDir(elsewhere.id), 'running.pid'), String(process.ppid));
    await fx.app.handle('settings.set', { keepGb: 0.01, keepDays: 1 });

    expect(await fx.app.handle('storage.prune', {})).toMatchObject({ exports: 1 });
    expect([old, elsewhere].map((j) => existsSync(spoolOf(j)))).toEqual([false, true]);
    expect(fx.app.runner.isActive(running.id)).toBe(true);
    expect((await record(running))?.dataRemovedAt).toBeUndefined();
    fx.app.runner.cancel(running.id);
    await fx.app.runner.wait(running.id);
  });

  it('leaves an export the window looked at in the last half hour', async () => {
    const shown = await exported('shown');
    await fx.clock.advance(2 * DAY);
    await fx.app.handle('settings.set', { keepDays: 1 });
    await fx.app.handle('preview.page', { jobId: shown.id, offset: 0, limit: 10 });
    await fx.clock.advance(IN_USE_MS - 1);
    expect(await fx.app.handle('storage.prune', {})).toEqual({ exports: 0, bytes: 0 });
    expect(existsSync(spoolOf(shown))).toBe(true);
    await fx.clock.advance(1);
    expect(await fx.app.handle('storage.prune', {})).toMatchObject({ exports: 1 });
    expect(existsSync(spoolOf(shown))).toBe(false);
  });

  it('prunes at start and after each export finishes', async () => {
    const old = await exported('old');
    await fx.app.handle('settings.set', { keepDays: 5 });
    await fx.clock.advance(6 * DAY);
    await fx.app.close();
    fx.app = await fx.open();
    await vi.waitFor(async () => expect((await record(old))?.dataRemovedAt).toBeDefined());
    expect(existsSync(spoolOf(old))).toBe(false);

    const second = await exported('second');
    await fx.clock.advance(6 * DAY);
    const third = await exported('third');
    await vi.waitFor(async () => expect((await record(second))?.dataRemovedAt).toBeDefined());
    expect(existsSync(spoolOf(third))).toBe(true);
  });

  it('counts the data folder as the rows of every export and everything else, from the files', async () => {
    await exported('one');
    await exported('two');
    const sizes = (folder: string): number =>
      readdirSync(folder, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .reduce((sum, e) => sum + statSync(path.join(e.parentPath, e.name)).size, 0);
    const jobsDir = path.join(fx.dir, 'jobs');
    const spools = readdirSync(jobsDir).reduce((sum, id) => sum + sizes(path.join(jobsDir, id, 'spool')), 0);
    const usage = (await fx.app.handle('storage.usage', {})) as {
      dataDir: string;
      spoolBytes: number;
      otherBytes: number;
    };
    expect(usage.dataDir).toBe(fx.dir);
    expect(usage.spoolBytes).toBe(spools);
    expect(usage.spoolBytes).toBeGreaterThan(0);
    expect(usage.otherBytes).toBe(sizes(fx.dir) - spools);
    expect(usage.otherBytes).toBeGreaterThan(0);
  });
});
