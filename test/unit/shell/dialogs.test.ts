import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobRecordSchema } from '../../../shared/jobs.ts';
import { AppService } from '../../../electron/app/service.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import { fake, FakeBrowserWindow, resetFake } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fake));

const { installDialogHooks } = await import('../../../electron/shell/dialogs.ts');

let dir: string;
let app: AppService;
let parent: FakeBrowserWindow;

const job = (saves: Array<{ path: string; format: string; rows: number; at: string }> = []) =>
  JobRecordSchema.parse({
    id: 'job-1',
    recipe: {
      version: 1,
      connection: 'acme',
      provider: 'omniq',
      query: {
        index: 'communications',
        filterBy: { createdAt: { from: '2025-01-01T00:00:00Z', to: '2025-01-31T00:00:00Z' } },
      },
    },
    connectionId: 'c1',
    state: saves.length ? 'saved' : 'ready',
    createdAt: '2025-02-01T00:00:00.000Z',
    updatedAt: '2025-02-01T00:00:00.000Z',
    saves,
  });

beforeEach(async () => {
  resetFake();
  dir = await mkdtemp(path.join(os.tmpdir(), 'exportdesk-dialogs-'));
  app = await AppService.open({ dataDir: dir, secrets: new MemorySecretStore('test') });
  parent = new FakeBrowserWindow();
  installDialogHooks(app, () => parent as never);
});

afterEach(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('save dialog', () => {
  it('offers the suggested name in Downloads with filters for the format; cancel saves nothing', async () => {
    await app.jobs.save(job());
    const result = await app.handle('exports.save', { jobId: 'job-1', output: { format: 'json' } });
    expect(result).toEqual({ saved: false });
    expect(fake.dialog.showSaveDialog).toHaveBeenCalledTimes(1);
    const [win, options] = fake.dialog.showSaveDialog.mock.calls[0] as [unknown, Record<string, unknown>];
    expect(win).toBe(parent);
    expect(options.defaultPath).toBe(
      path.join('/home/analyst/Downloads', 'OmniQ-communications-2025-01-01_2025-01-31.json'),
    );
    expect(options.filters).toEqual([
      { name: 'JSON', extensions: ['json'] },
      { name: 'All files', extensions: ['*'] },
    ]);
    expect((await app.jobs.load('job-1'))?.state).toBe('ready');
  });

  it('has no parent once the window is gone', async () => {
    await app.jobs.save(job());
    parent.destroyed = true;
    await app.handle('exports.save', { jobId: 'job-1', output: { format: 'csv' } });
    const [options] = fake.dialog.showSaveDialog.mock.calls[0] as [Record<string, unknown>];
    expect(options.filters).toContainEqual({ name: 'CSV (comma-separated values)', extensions: ['csv'] });
  });

  it('shows the last saved file in the file manager', async () => {
    await app.jobs.save(
      job([
        { path: '/home/analyst/Downloads/a.csv', format: 'csv', rows: 3, at: '2025-02-01T00:00:00.000Z' },
      ]),
    );
    await expect(app.handle('exports.reveal', { jobId: 'job-1' })).resolves.toEqual({ shown: true });
    expect(fake.shell.showItemInFolder).toHaveBeenCalledWith('/home/analyst/Downloads/a.csv');
  });
});
