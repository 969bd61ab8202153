/**
 * The window is React's production build wherever it is served from: the desk's dist/renderer (made by
 * `npm run build`), and a build run from a shell that sets NODE_ENV=development, as a developer's often does.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  buildRenderer,
  isDevelopmentBuild,
  REACT_DEVELOPMENT_MARKER,
} from '../../electron/web/renderer-build.ts';
import { startWebServer } from '../../electron/web/server.ts';
import { removeTempDir } from '../helpers/temp-dir.ts';
import { expect, test } from './fixtures.ts';

/** The text of every script the page at `url` loads, as the browser received it. */
async function servedScripts(page: Page, url: string): Promise<string[]> {
  await page.goto(url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  const sources = await page.evaluate(() => [...document.scripts].map((s) => s.src).filter(Boolean));
  expect(sources.length).toBeGreaterThan(0);
  return Promise.all(sources.map(async (src) => (await page.request.get(src)).text()));
}

test('the window is served as React’s production build', async ({ page, desk }) => {
  for (const script of await servedScripts(page, desk.server.url))
    expect(script.includes(REACT_DEVELOPMENT_MARKER), 'the served page is React’s development build').toBe(
      false,
    );
});

test('a build run with NODE_ENV=development is still React’s production build', async ({ page, desk }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-build-'));
  const outDir = path.join(dir, 'renderer');
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  try {
    await buildRenderer(path.resolve('.'), outDir);
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
  const server = await startWebServer({ app: desk.app, staticDir: outDir, port: 0, host: '127.0.0.1' });
  try {
    expect(isDevelopmentBuild(outDir), 'the built page is React’s development build').toBe(false);
    for (const script of await servedScripts(page, server.url))
      expect(script.includes(REACT_DEVELOPMENT_MARKER), 'the served page is React’s development build').toBe(
        false,
      );
  } finally {
    await server.close();
    removeTempDir(dir);
  }
});
