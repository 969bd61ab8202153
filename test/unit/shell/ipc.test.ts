import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES } from '../../../shared/api-names.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import type { ScheduleEvent } from '../../../electron/schedules/feed.ts';
import { INTERNAL_ERROR_MESSAGE } from '../../../electron/app/requests.ts';
import { AppService } from '../../../electron/app/service.ts';
import { UserError } from '../../../electron/base/user-error.ts';
import { nullLogger } from '../../../electron/http/redact.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import { fake, FakeWebContents, mainFrame, resetFake, subFrame } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fake));

const { forwardJobUpdates, forwardScheduleEvents, registerHandlers, trustedFrame } =
  await import('../../../electron/shell/ipc.ts');

const PAGE = 'app://exportdesk/index.html';
let dir: string;
let app: AppService;

beforeEach(async () => {
  resetFake();
  dir = await mkdtemp(path.join(os.tmpdir(), 'exportdesk-ipc-'));
  app = await AppService.open({ dataDir: dir, secrets: new MemorySecretStore('test') });
  registerHandlers(fake.ipcMain as never, app, trustedFrame('app://exportdesk'));
});

afterEach(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('registerHandlers', () => {
  it('registers one exportdesk:<name> channel per request', () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(
      REQUEST_NAMES.map((n) => `exportdesk:${n}`).sort(),
    );
  });

  it('answers our own page', async () => {
    await expect(fake.ipcMain.invoke('exportdesk:connections.list', mainFrame(PAGE), {})).resolves.toEqual({
      ok: true,
      result: [],
    });
  });

  it.each([
    ['a sub-frame of our page', subFrame(PAGE)],
    ['a foreign origin', mainFrame('https://evil.example/index.html')],
    ['another custom host', mainFrame('app://other/index.html')],
    ['a file: page', mainFrame('file:///tmp/index.html')],
    ['a frame that is gone', null],
  ])('refuses %s', async (_what, frame) => {
    const answer = await fake.ipcMain.invoke('exportdesk:connections.save', frame, {
      name: 'Acme',
      provider: 'omniq',
      settings: { tenantId: 'ACME' },
    });
    expect(answer).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Refused/) } });
    expect(await app.connections.list()).toEqual([]);
  });

  it('refuses invalid input with a message naming the field, and keeps answering', async () => {
    const bad = await fake.ipcMain.invoke('exportdesk:connections.remove', mainFrame(PAGE), { id: 5 });
    expect(bad).toEqual({
      ok: false,
      error: { kind: 'validation', message: expect.stringMatching(/^id: /) },
    });
    const extra = await fake.ipcMain.invoke('exportdesk:jobs.list', mainFrame(PAGE), { path: '/etc/passwd' });
    expect(extra).toMatchObject({ ok: false, error: { kind: 'validation' } });
    await expect(fake.ipcMain.invoke('exportdesk:jobs.list', mainFrame(PAGE), {})).resolves.toEqual({
      ok: true,
      result: [],
    });
  });

  it('passes a user error on as is', async () => {
    const answer = await fake.ipcMain.invoke('exportdesk:jobs.get', mainFrame(PAGE), { jobId: 'nope' });
    expect(answer).toEqual({ ok: false, error: { kind: 'user', message: 'No export with id nope.' } });
  });

  it('hides the details of an unexpected error from the page and logs them', async () => {
    const logged: string[] = [];
    const broken = {
      handle: async () => {
        throw new Error('ECONNRESET at /home/analyst/secret-path token=abc123');
      },
      logger: () => ({
        ...nullLogger,
        error: (msg: string, data?: Record<string, unknown>) => logged.push(`${msg} ${JSON.stringify(data)}`),
      }),
    };
    fake.ipcMain.handlers.clear();
    registerHandlers(fake.ipcMain as never, broken, () => true);
    const answer = await fake.ipcMain.invoke('exportdesk:app.info', mainFrame(PAGE), {});
    expect(answer).toEqual({ ok: false, error: { kind: 'internal', message: INTERNAL_ERROR_MESSAGE } });
    expect(JSON.stringify(answer)).not.toMatch(/abc123|secret-path|at /);
    expect(logged.join('\n')).toContain('ECONNRESET');
  });

  it('keeps user errors from a stand-in app too, and can be removed', async () => {
    fake.ipcMain.handlers.clear();
    const unregister = registerHandlers(
      fake.ipcMain as never,
      {
        handle: async () => Promise.reject(new UserError('Cancel the export first.')),
        logger: () => nullLogger,
      },
      () => true,
    );
    await expect(fake.ipcMain.invoke('exportdesk:jobs.remove', null, { jobId: 'j' })).resolves.toEqual({
      ok: false,
      error: { kind: 'user', message: 'Cancel the export first.' },
    });
    unregister();
    expect(fake.ipcMain.handlers.size).toBe(0);
  });
});

describe('trustedFrame', () => {
  it('accepts the dev server origin only when that is the app origin', () => {
    const dev = trustedFrame('http://localhost:5173');
    expect(dev(mainFrame('http://localhost:5173/') as never)).toBe(true);
    expect(dev(mainFrame('http://localhost:5174/') as never)).toBe(false);
    expect(dev(mainFrame(PAGE) as never)).toBe(false);
  });
});

describe('forwardJobUpdates', () => {
  it("sends each job update as the contract's job.updated event", () => {
    const listeners: Array<(r: JobRecord) => void> = [];
    const runner = {
      on(l: (r: JobRecord) => void) {
        listeners.push(l);
        return () => listeners.splice(listeners.indexOf(l), 1);
      },
    };
    const live = new FakeWebContents();
    const gone = new FakeWebContents();
    gone.destroyed = true;
    const stop = forwardJobUpdates(runner, () => [live, gone] as never);
    const record = { id: 'j1', state: 'downloading' } as JobRecord;
    listeners.forEach((l) => l(record));
    expect(live.sent).toEqual([['exportdesk:event', { event: 'job.updated', payload: record }]]);
    expect(gone.sent).toEqual([]);
    stop();
    expect(listeners).toEqual([]);
  });
});

describe('forwardScheduleEvents', () => {
  it("sends the schedules' updates and notices as the contract's events", () => {
    const listeners: Array<(e: ScheduleEvent) => void> = [];
    const feed = {
      on(l: (e: ScheduleEvent) => void) {
        listeners.push(l);
        return () => listeners.splice(listeners.indexOf(l), 1);
      },
    };
    const live = new FakeWebContents();
    const stop = forwardScheduleEvents(feed, () => [live] as never);
    const notice: ScheduleEvent = {
      event: 'schedules.notice',
      payload: { kind: 'failed', title: 'Schedule “Daily” failed', body: 'The vendor said no.' },
    };
    listeners.forEach((l) => l({ event: 'schedules.updated', payload: [] }));
    listeners.forEach((l) => l(notice));
    expect(live.sent).toEqual([
      ['exportdesk:event', { event: 'schedules.updated', payload: [] }],
      ['exportdesk:event', notice],
    ]);
    stop();
    expect(listeners).toEqual([]);
  });
});
