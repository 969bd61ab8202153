/**
 * The desktop app itself, driven through Playwright's Electron support. Needs the Electron binary (an
 * optional dependency) and a build (`npm run build`); skipped with the reason where there is none.
 */
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { removeTempDirAsync } from '../helpers/temp-dir.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function electronInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('electron');
    return true;
  } catch {
    return false;
  }
}

test.skip(
  !electronInstalled(),
  'no Electron binary installed (electron is an optional dependency; its binary download is unavailable here)',
);

test('opens the window with the contract exposed to the page', async () => {
  // Its own data folder: never the user's connections, and nothing left behind.
  const home = await mkdtemp(path.join(os.tmpdir(), 'exportdesk-electron-'));
  const app = await electron.launch({
    args: [path.join(root, 'dist/electron/main.cjs')],
    env: { ...process.env, EXPORTDESK_HOME: home },
  });
  try {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle());
    expect(title).toBe('Export Desk');
    const bridge = await page.evaluate(() => {
      const api = (window as unknown as { exportDesk?: Record<string, unknown> }).exportDesk;
      return {
        kind: api?.kind,
        connectionsList: typeof api?.connectionsList,
        ipcRenderer: api ? 'ipcRenderer' in api : undefined,
        require: typeof (window as unknown as { require?: unknown }).require,
      };
    });
    expect(bridge).toEqual({
      kind: 'desktop',
      connectionsList: 'function',
      ipcRenderer: false,
      require: 'undefined',
    });
    const connections = await page.evaluate(() =>
      (
        window as unknown as { exportDesk: { connectionsList(i: object): Promise<unknown> } }
      ).exportDesk.connectionsList({}),
    );
    expect(connections).toEqual([]);
  } finally {
    await app.close();
    await removeTempDirAsync(home);
  }
});
