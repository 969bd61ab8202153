/**
 * Each end-to-end test gets its own world: a temporary data folder, an OmniQ simulator, the app service
 * and the browser-mode server on 127.0.0.1 serving the built renderer (dist/renderer, built by `npm run build`).
 */
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppService } from '../../electron/app/service.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { startWebServer, type WebServer } from '../../electron/web/server.ts';
import { startOmniqSimulator, type OmniqSimulator, type OmniqSimulatorOptions } from '../simulators/omniq.ts';
import { startFastClock, type FastClock } from './fast-clock.ts';
import '../security/capture-secrets.ts';
import { setFramesLabel, watchContext } from '../security/renderer-frames.ts';
import { removeTempDir } from '../helpers/temp-dir.ts';

export interface Desk {
  dir: string;
  app: AppService;
  server: WebServer;
  omniq: OmniqSimulator;
  /** With `test.use({ fastClock: true })`: the app's clock, moving fast whenever something waits on it. */
  fast?: FastClock;
}

const STATIC_DIR = path.resolve('dist/renderer');

/** The simulator every test gets unless it says otherwise. */
export const DEFAULT_OMNIQ: OmniqSimulatorOptions = { counts: { communications: 2_000, agents: 60 } };

/**
 * Playwright's test with what every end-to-end test records for the suite-wide leak scan: each page's
 * received WebSocket messages (the default page, and contexts a test opens itself), and every value
 * given to a secret store (test/security/capture-secrets.ts, imported above).
 */
export const recorded = base.extend<{ context: BrowserContext; framesLabel: void }, { watchContexts: void }>({
  framesLabel: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring pattern.
    async ({}, use, testInfo) => {
      setFramesLabel(`${path.basename(testInfo.file)}-${testInfo.title}`);
      await use();
    },
    { auto: true },
  ],
  context: async ({ context }, use) => {
    watchContext(context);
    await use(context);
  },
  watchContexts: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const context = await newContext(...args);
        watchContext(context);
        return context;
      };
      await use();
      browser.newContext = newContext;
    },
    { scope: 'worker', auto: true },
  ],
});

export const test = recorded.extend<{
  desk: Desk;
  omniqOptions: OmniqSimulatorOptions;
  fastClock: boolean;
  appEnv: NodeJS.ProcessEnv | undefined;
}>({
  /** Overrides of the simulator's options, merged over DEFAULT_OMNIQ: `test.use({ omniqOptions: {…} })`. */
  omniqOptions: [{}, { option: true }],
  /** Vendor time that runs fast (rate limits of 30 s pass in about a second); see fast-clock.ts. */
  fastClock: [false, { option: true }],
  /** The environment the app reads (secrets given as EXPORTDESK_SECRET_…); the test runner's by default. */
  appEnv: [undefined, { option: true }],
  desk: async ({ omniqOptions, fastClock, appEnv }, use) => {
    if (!existsSync(path.join(STATIC_DIR, 'index.html')))
      throw new Error('dist/renderer is missing: run "npm run build" before the end-to-end tests.');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-e2e-'));
    const omniq = await startOmniqSimulator({ ...DEFAULT_OMNIQ, ...omniqOptions });
    const fast = fastClock ? startFastClock() : undefined;
    const app = await AppService.open({
      dataDir: path.join(dir, 'data'),
      secrets: new MemorySecretStore('Secrets are kept for this run only (test).'),
      ...(fast ? { clock: fast.clock } : {}),
      ...(appEnv ? { env: appEnv } : {}),
    });
    const server = await startWebServer({ app, staticDir: STATIC_DIR, port: 0, host: '127.0.0.1' });
    await use({ dir, app, server, omniq, ...(fast ? { fast } : {}) });
    await server.close();
    await app.close();
    await fast?.stop();
    await omniq.close();
    removeTempDir(dir);
  },
});

export { expect };

/** Saves a screenshot of the whole screen as a test artifact (test-results/e2e/screens/NAME.png). */
export async function screen(page: Page, name: string): Promise<void> {
  await screenshotTo(page, path.join('test-results', 'e2e', 'screens', `${name}.png`));
}

/**
 * The whole screen as a PNG at `file`. The window scrolls inside <main>, not the document, so a full-page
 * shot would stop at the window's edge: the viewport grows by what <main> hides (a narrow window's
 * navigation bar sits above it) for the shot, and is put back after.
 */
export async function screenshotTo(page: Page, file: string): Promise<void> {
  const size = page.viewportSize();
  const hidden = await page.evaluate(() => {
    const main = document.querySelector('main');
    return main ? main.scrollHeight - main.clientHeight : 0;
  });
  const grow = !!size && hidden > 0;
  if (grow) await page.setViewportSize({ width: size.width, height: size.height + hidden });
  try {
    await page.screenshot({ path: file, fullPage: true });
  } finally {
    if (grow) await page.setViewportSize(size);
  }
}
