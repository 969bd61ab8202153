/**
 * Each end-to-end test gets its own world: a temporary data folder, an OmniQ simulator, the app service
 * and the browser-mode server on 127.0.0.1 serving the built renderer (dist/renderer, built by `npm run build`).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppService } from '../../electron/app/service.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { startWebServer, type WebServer } from '../../electron/web/server.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../simulators/omniq.ts';

export interface Desk {
  dir: string;
  app: AppService;
  server: WebServer;
  omniq: OmniqSimulator;
}

const STATIC_DIR = path.resolve('dist/renderer');

export const test = base.extend<{ desk: Desk }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
  desk: async ({}, use) => {
    if (!existsSync(path.join(STATIC_DIR, 'index.html')))
      throw new Error('dist/renderer is missing: run "npm run build" before the end-to-end tests.');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-e2e-'));
    const omniq = await startOmniqSimulator({ counts: { communications: 2_000, agents: 60 } });
    const app = await AppService.open({
      dataDir: path.join(dir, 'data'),
      secrets: new MemorySecretStore('Secrets are kept for this run only (test).'),
    });
    const server = await startWebServer({ app, staticDir: STATIC_DIR, port: 0, host: '127.0.0.1' });
    await use({ dir, app, server, omniq });
    await server.close();
    await app.close();
    await omniq.close();
    rmSync(dir, { recursive: true, force: true });
  },
});

export { expect };

/** Saves a full-page screenshot as a test artifact (test-results/e2e/screens/NAME.png). */
export async function screen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join('test-results', 'e2e', 'screens', `${name}.png`), fullPage: true });
}
