/**
 * Measurement 8, the renderer: Debian's Chromium (through Playwright) opens the built renderer in browser
 * mode on a finished export of 100,000 rows × 40 columns (spool-fixture.ts) and scrolls the preview grid
 * from the first row to the last in a fixed number of steps, one step per animation frame. The page itself
 * records requestAnimationFrame timestamps: frames per second over the whole trip, and the longest frame.
 * Needs `npm run build` first (dist/renderer).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { AppService } from '../../electron/app/service.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { startWebServer } from '../../electron/web/server.ts';
import { scaled } from './args.ts';
import { fixed, int, runsText, type BenchItem } from './items.ts';
import { writeBenchExport } from './spool-fixture.ts';
import { series } from './stats.ts';

const STATIC_DIR = path.resolve('dist/renderer');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const COLUMNS = 40;
const STEPS = 600;
const FPS_TARGET = 50;
const LONGEST_TARGET_MS = 50;

interface Trip {
  frames: number;
  ms: number;
  longestMs: number;
  reachedEnd: boolean;
}

/**
 * Runs in the page: scrolls the grid top to bottom, one step per frame, timing every frame. Plain script
 * text, since the TypeScript loader would add helpers to a compiled function that the page does not have.
 */
const SCROLL_TRIP = `(steps) => {
  const grid = document.querySelector('[data-testid="preview-grid"]');
  if (!grid) throw new Error('no preview grid');
  grid.scrollTop = 0;
  return new Promise((resolve) => {
    const stamps = [];
    let step = 0;
    const frame = (t) => {
      stamps.push(t);
      if (step >= steps) {
        let longest = 0;
        for (let i = 1; i < stamps.length; i++) longest = Math.max(longest, stamps[i] - stamps[i - 1]);
        const bottom = grid.scrollHeight - grid.clientHeight;
        resolve({
          frames: stamps.length - 1,
          ms: stamps[stamps.length - 1] - stamps[0],
          longestMs: longest,
          reachedEnd: Math.abs(grid.scrollTop - bottom) <= 2,
        });
        return;
      }
      step++;
      grid.scrollTop = ((grid.scrollHeight - grid.clientHeight) * step) / steps;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}`;

export const rendererItem: BenchItem = {
  n: 8,
  key: 'renderer',
  title: 'Renderer: scrolling the preview',
  async run({ opts, workDir, log }) {
    if (!existsSync(path.join(STATIC_DIR, 'index.html'))) {
      throw new Error('dist/renderer is missing: run "npm run build" before this measurement.');
    }
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM} (apt-get install chromium).`);
    const rows = scaled(opts, 100_000, 1000);
    const app = await AppService.open({
      dataDir: path.join(workDir, 'data'),
      secrets: new MemorySecretStore('The bench keeps secrets in memory.'),
    });
    log(`Writing an export of ${int(rows)} rows × ${COLUMNS} columns…`);
    await writeBenchExport(app, rows, COLUMNS);
    const server = await startWebServer({ app, staticDir: STATIC_DIR, port: 0, host: '127.0.0.1' });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const trips: Trip[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(server.url);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: 'Exports', exact: true })
        .click();
      await page
        .getByRole('button', { name: /^Open / })
        .first()
        .click();
      await page.waitForSelector(`[data-testid="preview-grid"][aria-rowcount="${rows + 1}"]`);
      for (let i = 0; i < opts.runs; i++) {
        const trip = (await page.evaluate(`(${SCROLL_TRIP})(${STEPS})`)) as Trip;
        if (!trip.reachedEnd) throw new Error('The scroll did not reach the last row of the preview.');
        trips.push(trip);
        log(
          `  ${i + 1}/${opts.runs}: ${fixed((trip.frames * 1000) / trip.ms, 1)} fps, longest frame ${fixed(trip.longestMs, 1)} ms`,
        );
      }
    } finally {
      await browser.close();
      await server.close();
      await app.close();
    }
    const fps = series(trips.map((t) => (t.frames * 1000) / t.ms));
    const longest = series(trips.map((t) => t.longestMs));
    const worst = Math.max(...longest.runs);
    return {
      data: { rows, columns: COLUMNS, steps: STEPS, trips, fps, longestMs: longest },
      tables: [
        {
          title: `8. Renderer: Chromium scrolling the preview of ${int(rows)} rows × ${COLUMNS} columns top to bottom in ${STEPS} frames, median of ${opts.runs}`,
          header: ['', 'median', 'runs'],
          rows: [
            ['frames per second', fixed(fps.median, 1), runsText(fps.runs, 1)],
            ['longest frame, ms', fixed(longest.median, 1), runsText(longest.runs, 1)],
          ],
          leftColumns: 1,
        },
      ],
      verdicts: [
        {
          what: '8. Renderer, frames per second',
          figure: fixed(fps.median, 1),
          target: `≥ ${FPS_TARGET}`,
          met: fps.median >= FPS_TARGET,
        },
        {
          what: '8. Renderer, longest frame (worst run)',
          figure: `${fixed(worst, 1)} ms`,
          target: `≤ ${LONGEST_TARGET_MS} ms`,
          met: worst <= LONGEST_TARGET_MS,
        },
      ],
    };
  },
};
