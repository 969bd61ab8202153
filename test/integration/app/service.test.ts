import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { JobRecord, Recipe } from '../../../shared/jobs.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { agentsFixture } from './agents-fixture.ts';

const fx = agentsFixture('exportdesk-app-');

const recipe = (until = '2025-12-31T23:59:59.999Z'): Recipe =>
  ({
    version: 1,
    connection: 'Acme',
    provider: 'omniq',
    query: { index: 'agents', filterBy: { createdAt: { from: '2025-01-01T00:00:00.000Z', to: until } } },
    output: OutputOptionsSchema.parse({}),
  }) as Recipe;

async function finished(r: Recipe): Promise<JobRecord> {
  const job = await fx.app.runner.start(r);
  return fx.app.runner.wait(job.id);
}

describe('the application service', () => {
  it('changes only the settings a patch names', async () => {
    await fx.app.handle('settings.set', {
      proxyUrl: 'http://127.0.0.1:3128',
      defaultCsv: { delimiter: ';', bom: true },
    });
    const after = await fx.app.handle('settings.set', { theme: 'dark' });
    expect(after).toMatchObject({
      proxyUrl: 'http://127.0.0.1:3128',
      theme: 'dark',
      defaultCsv: { delimiter: ';', bom: true },
    });
    await expect(fx.app.handle('settings.set', { proxyUrl: 'ftp://x' })).rejects.toThrow(/proxyUrl/);
    expect((await fx.app.settings.get()).proxyUrl).toBe('http://127.0.0.1:3128');
  });

  it('tells the shell about changed settings, so the desktop theme follows the choice', async () => {
    const seen: string[] = [];
    fx.app.hooks.settingsChanged = (s) => seen.push(s.theme);
    await fx.app.handle('settings.set', { theme: 'dark' });
    await expect(fx.app.handle('settings.set', { theme: 'purple' })).rejects.toThrow();
    await fx.app.handle('settings.set', { theme: 'system' });
    expect(seen).toEqual(['dark', 'system']);
  });

  it('fails the export, not the process, when its spool cannot be created', async () => {
    // A folder that cannot exist: its parent is a file (ENOTDIR), as sure a failure as a full disk.
    writeFileSync(path.join(fx.dir, 'not-a-folder'), '');
    vi.spyOn(fx.app.jobs, 'spoolDir').mockReturnValue(path.join(fx.dir, 'not-a-folder', 'spool'));
    const done = await finished(recipe());
    expect(done.state).toBe('failed');
    expect(done.error?.message).toBeTruthy();
    // The service still answers, and a retry is possible.
    expect(fx.app.runner.isActive(done.id)).toBe(false);
  });

  it('lists every save, tells the window, and shows the last file in its folder', async () => {
    const shown: string[] = [];
    fx.app.hooks.revealInFolder = (p) => shown.push(p);
    const events: JobRecord[] = [];
    fx.app.runner.on((r) => events.push(r));
    const done = await finished(recipe());
    expect(done.state).toBe('ready');
    await fx.app.saves.saveTo(
      done.id,
      path.join(fx.dir, 'a.csv'),
      OutputOptionsSchema.parse({ format: 'csv' }),
    );
    await fx.app.saves.saveTo(
      done.id,
      path.join(fx.dir, 'b.json'),
      OutputOptionsSchema.parse({ format: 'json' }),
    );
    const job = (await fx.app.handle('jobs.get', { jobId: done.id })) as JobRecord;
    expect(job.state).toBe('saved');
    expect(job.saves.map((s) => path.basename(s.path))).toEqual(['a.csv', 'b.json']);
    expect(events.at(-1)).toMatchObject({ id: done.id, state: 'saved' });
    expect(await fx.app.handle('exports.reveal', { jobId: done.id })).toEqual({ shown: true });
    expect(shown).toEqual([path.join(fx.dir, 'b.json')]);
    expect(await fx.app.handle('jobs.remove', { jobId: done.id })).toEqual({ removed: true });
    await expect(fx.app.handle('jobs.get', { jobId: done.id })).rejects.toThrow(/No export/);
  });

  it('never moves since-last-run backwards when an older export is saved again', async () => {
    const r = { ...recipe(), name: 'nightly' } as Recipe;
    const older = await finished({ ...r, query: recipe('2025-06-30T23:59:59.999Z').query });
    const newer = await finished(r);
    await fx.app.saves.saveTo(newer.id, path.join(fx.dir, 'new.csv'), OutputOptionsSchema.parse({}));
    await fx.app.saves.saveTo(older.id, path.join(fx.dir, 'old.csv'), OutputOptionsSchema.parse({}));
    const next = await fx.app.runner.start({
      ...r,
      query: { index: 'agents', filterBy: { createdAt: 'since-last-run' } },
    });
    expect((next.resolvedQuery?.filterBy as { createdAt: { from: string } }).createdAt.from).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    await fx.app.runner.wait(next.id);
  });

  it('keeps running exports on their connection when the network settings change', async () => {
    fx.sim.injectFaults({ kind: 'slow', delayMs: 400 });
    const job = await fx.app.runner.start(recipe());
    await fx.app.handle('settings.set', { proxyUrl: 'http://127.0.0.1:9' });
    await fx.app.handle('connections.test', { id: 'Acme' }); // builds the new client, through the (dead) proxy
    const done = await fx.app.runner.wait(job.id);
    expect(done.state, done.error?.message).toBe('ready');
    expect(done.counters.rows).toBe(300);
  });
});
