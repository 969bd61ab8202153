import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, fakeEvent, openedExternally, resetFake, type FakeBrowserWindow } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fake));

const { createMainWindow, BACKGROUNDS } = await import('../../../electron/shell/window.ts');
const { restrictPermissions } = await import('../../../electron/shell/web-security.ts');

let dir: string;
const ORIGIN = 'app://exportdesk';

async function open() {
  const win = await createMainWindow({
    preload: '/app/dist/electron/preload.cjs',
    appOrigin: ORIGIN,
    dataDir: dir,
  });
  return win as unknown as FakeBrowserWindow;
}

/** Closes like a user would and waits until the window is really gone (the state is written first). */
async function closeAndWait(win: FakeBrowserWindow) {
  const closed = new Promise((resolve) => win.once('closed', resolve));
  win.close();
  await closed;
}

beforeEach(async () => {
  resetFake();
  dir = await mkdtemp(path.join(os.tmpdir(), 'exportdesk-window-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('main window', () => {
  it('is created with the secure web preferences and the app title', async () => {
    const win = await open();
    expect(win.options).toMatchObject({ title: 'Export Desk', show: false, width: 1280, height: 800 });
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(win.options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('keeps the page on our origin', async () => {
    const { webContents } = await open();
    expect(webContents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(webContents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(webContents.navigate('will-redirect', 'https://omniq-docs.pages.dev/')).toBe(true);
    expect(webContents.navigate('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(webContents.navigate('will-navigate', 'app://exportdesk/index.html#/jobs')).toBe(false);
    expect(openedExternally()).toEqual([]);
  });

  it('denies new windows, handing only safe vendor links to the system browser', async () => {
    const { webContents } = await open();
    expect(webContents.openWindow('https://omniq-docs.pages.dev/guide')).toEqual({ action: 'deny' });
    expect(webContents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
    expect(webContents.openWindow('app://exportdesk/index.html')).toEqual({ action: 'deny' });
    expect(openedExternally()).toEqual(['https://omniq-docs.pages.dev/guide']);
  });

  it('refuses <webview> and keeps its own title', async () => {
    const win = await open();
    const attach = fakeEvent();
    win.webContents.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
    const title = fakeEvent();
    win.emit('page-title-updated', title, 'Some page');
    expect(title.defaultPrevented).toBe(true);
  });

  it('paints the background in the OS theme and follows it', async () => {
    fake.nativeTheme.shouldUseDarkColors = true;
    const win = await open();
    expect(win.options.backgroundColor).toBe(BACKGROUNDS.dark);
    fake.nativeTheme.shouldUseDarkColors = false;
    fake.nativeTheme.emit('updated');
    expect(win.backgroundColor).toBe(BACKGROUNDS.light);
  });

  it('remembers its size and position, and opens there next time', async () => {
    const first = await open();
    first.bounds = { x: 200, y: 120, width: 1400, height: 900 };
    await closeAndWait(first);
    const saved = JSON.parse(await readFile(path.join(dir, 'window-state.json'), 'utf8'));
    expect(saved).toEqual({ x: 200, y: 120, width: 1400, height: 900, maximized: false });

    const second = await open();
    expect(second.options).toMatchObject({ x: 200, y: 120, width: 1400, height: 900 });
  });

  it('reopens maximized with its normal bounds remembered', async () => {
    const first = await open();
    first.maximized = true;
    first.bounds = { x: 0, y: 0, width: 1920, height: 1040 };
    first.normalBounds = { x: 300, y: 200, width: 1100, height: 700 };
    await closeAndWait(first);
    const second = await open();
    expect(second.options).toMatchObject({ x: 300, y: 200, width: 1100, height: 700 });
    second.emit('ready-to-show');
    expect(second.maximized).toBe(true);
    expect(second.shown).toBe(true);
  });

  it('ignores a position on a screen that is no longer attached', async () => {
    await writeFile(
      path.join(dir, 'window-state.json'),
      JSON.stringify({ x: 2500, y: 100, width: 1200, height: 800, maximized: false }),
    );
    const win = await open();
    expect(win.options).toMatchObject({ width: 1200, height: 800 });
    expect(win.options).not.toHaveProperty('x');
    expect(win.options).not.toHaveProperty('y');
  });

  it('opens at the default size when the saved state is damaged', async () => {
    await writeFile(path.join(dir, 'window-state.json'), '{"x": "left"');
    const win = await open();
    expect(win.options).toMatchObject({ width: 1280, height: 800 });
    expect(win.options).not.toHaveProperty('x');
  });

  it('asks for the quit again once the state is written, when closing was part of a quit', async () => {
    const win = await open();
    fake.app.emit('before-quit');
    const event = fakeEvent();
    win.emit('close', event);
    expect(event.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
  });
});

describe('restrictPermissions', () => {
  it('denies every web permission, except clipboard writing for our own page', () => {
    restrictPermissions(fake.session.defaultSession as never, ORIGIN);
    const request = fake.session.defaultSession.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      ...args: unknown[]
    ) => void;
    const check = fake.session.defaultSession.setPermissionCheckHandler.mock.calls[0]?.[0] as (
      ...args: unknown[]
    ) => boolean;
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen'])
      request({}, permission, (ok: boolean) => answers.push(ok), {
        requestingUrl: 'app://exportdesk/index.html',
      });
    request({}, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), {
      requestingUrl: 'https://evil.example/',
    });
    expect(answers).toEqual([false, false, false, false, false, false]);
    request({}, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), {
      requestingUrl: 'app://exportdesk/index.html',
    });
    expect(answers.at(-1)).toBe(true);
    expect(check(null, 'media', 'app://exportdesk', {})).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'app://exportdesk', {})).toBe(true);
  });
});
