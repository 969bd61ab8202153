import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import type { JobRecord, Recipe } from '../../../shared/jobs.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';

let sim: OmniqSimulator;
let dir: string;
let app: AppService;

beforeAll(async () => {
  sim = await startOmniqSimulator({ counts: { agents: 300 } });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-app-'));
  app = await AppService.open({
    dataDir: dir,
    secrets: new MemorySecretStore('Secrets are kept for this run only (test).'),
  });
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

const recipe = (until = '2025-12-31T23:59:59.999Z'): Recipe =>
  ({
    version: 1,
    connection: 'Acme',
    provider: 'omniq',
    query: { index: 'agents', filterBy: { createdAt: { from: '2025-01-01T00:00:00.000Z', to: until } } },
    output: OutputOptionsSchema.parse({}),
  }) as Recipe;

async function finished(r: Recipe): Promise<JobRecord> {
  const job = await app.runner.start(r);
  return app.runner.wait(job.id);
}

describe('the application service', () => {
  it('changes only the settings a patch names', async () => {
    await app.handle('settings.set', {
      proxyUrl: 'http://127.0.0.1:3128',
      defaultCsv: { delimiter: ';', bom: true },
    });
    const after = await app.handle('settings.set', { theme: 'dark' });
    expect(after).toMatchObject({
      proxyUrl: 'http://127.0.0.1:3128',
      theme: 'dark',
      defaultCsv: { delimiter: ';', bom: true },
    });
    await expect(app.handle('settings.set', { proxyUrl: 'ftp://x' })).rejects.toThrow(/proxyUrl/);
    expect((await app.settings.get()).proxyUrl).toBe('http://127.0.0.1:3128');
  });

  it('tells the shell about changed settings, so the desktop theme follows the choice', async () => {
    const seen: string[] = [];
    app.hooks.settingsChanged = (s) => seen.push(s.theme);
    await app.handle('settings.set', { theme: 'dark' });
    await expect(app.handle('settings.set', { theme: 'purple' })).rejects.toThrow();
    await app.handle('settings.set', { theme: 'system' });
    expect(seen).toEqual(['dark', 'system']);
  });

  it('fails the export, not the process, when its spool cannot be created', async () => {
    // A folder that cannot exist: its parent is a file (ENOTDIR), as sure a failure as a full disk.
    writeFileSync(path.join(dir, 'not-a-folder'), '');
    vi.spyOn(app.jobs, 'spoolDir').mockReturnValue(path.join(dir, 'not-a-folder', 'spool'));
    const done = await finished(recipe());
    expect(done.state).toBe('failed');
    expect(done.error?.message).toBeTruthy();
    // The service still answers, and a retry is possible.
    expect(app.runner.isActive(done.id)).toBe(false);
  });

  it('lists every save, tells the window, and shows the last file in its folder', async () => {
    const shown: string[] = [];
    app.hooks.revealInFolder = (p) => shown.push(p);
    const events: JobRecord[] = [];
    app.runner.on((r) => events.push(r));
    const done = await finished(recipe());
    expect(done.state).toBe('ready');
    await app.saves.saveTo(done.id, path.join(dir, 'a.csv'), OutputOptionsSchema.parse({ format: 'csv' }));
    await app.saves.saveTo(done.id, path.join(dir, 'b.json'), OutputOptionsSchema.parse({ format: 'json' }));
    const job = (await app.handle('jobs.get', { jobId: done.id })) as JobRecord;
    expect(job.state).toBe('saved');
    expect(job.saves.map((s) => path.basename(s.path))).toEqual(['a.csv', 'b.json']);
    expect(events.at(-1)).toMatchObject({ id: done.id, state: 'saved' });
    expect(await app.handle('exports.reveal', { jobId: done.id })).toEqual({ shown: true });
    expect(shown).toEqual([path.join(dir, 'b.json')]);
    expect(await app.handle('jobs.remove', { jobId: done.id })).toEqual({ removed: true });
    await expect(app.handle('jobs.get', { jobId: done.id })).rejects.toThrow(/No export/);
  });

  it('never moves since-last-run backwards when an older export is saved again', async () => {
    const r = { ...recipe(), name: 'nightly' } as Recipe;
    const older = await finished({ ...r, query: recipe('2025-06-30T23:59:59.999Z').query });
    const newer = await finished(r);
    await app.saves.saveTo(newer.id, path.join(dir, 'new.csv'), OutputOptionsSchema.parse({}));
    await app.saves.saveTo(older.id, path.join(dir, 'old.csv'), OutputOptionsSchema.parse({}));
    const next = await app.runner.start({
      ...r,
      query: { index: 'agents', filterBy: { createdAt: 'since-last-run' } },
    });
    expect((next.resolvedQuery?.filterBy as { createdAt: { from: string } }).createdAt.from).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    await app.runner.wait(next.id);
  });

  it('keeps running exports on their connection when the network settings change', async () => {
    sim.injectFaults({ kind: 'slow', delayMs: 400 });
    const job = await app.runner.start(recipe());
    await app.handle('settings.set', { proxyUrl: 'http://127.0.0.1:9' });
    await app.handle('connections.test', { id: 'Acme' }); // builds the new client, through the (dead) proxy
    const done = await app.runner.wait(job.id);
    expect(done.state, done.error?.message).toBe('ready');
    expect(done.counters.rows).toBe(300);
  });
});
