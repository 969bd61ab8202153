/**
 * The Exports list and an export's page in the windows analysts actually use: everything fits, the actions
 * are on screen, long status lines are read whole.
 */
import type { Page } from '@playwright/test';
import { expect, screen, test } from './fixtures.ts';
import { addOmniqConnection, finishedExport, jobDetail, openDesk } from './helpers.ts';

const LONG_MESSAGE =
  "Waiting for Omni's limit of 60 requests a minute on this key: the next page is asked for in 40 seconds, " +
  'and every export on this key shares the same limit';

async function noHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const main = document.querySelector('main');
    return {
      doc: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      main: main ? main.scrollWidth - main.clientWidth : 0,
    };
  });
  expect(overflow).toEqual({ doc: 0, main: 0 });
}

async function withinViewport(page: Page, name: string | RegExp): Promise<void> {
  const size = page.viewportSize();
  const buttons = page.getByRole('button', { name });
  const count = await buttons.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i += 1) {
    const box = await buttons.nth(i).boundingBox();
    expect(box, `${String(name)} #${i} is laid out`).not.toBeNull();
    if (!box || !size) continue;
    expect(box.x, `${String(name)} #${i} starts on screen`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${String(name)} #${i} ends on screen`).toBeLessThanOrEqual(size.width);
  }
}

/** The text is on screen whole: not cut by an ellipsis nor clipped by its box. */
async function shownWhole(page: Page, testId: string): Promise<void> {
  const el = page.getByTestId(testId).first();
  await expect(el).toHaveText(LONG_MESSAGE);
  const clipped = await el.evaluate(
    (node) => node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1,
  );
  expect(clipped, `${testId} is clipped`).toBe(false);
}

for (const viewport of [
  { width: 1024, height: 700 },
  { width: 1366, height: 850 },
]) {
  test(`the Exports list fits a ${viewport.width}x${viewport.height} window, actions and status in sight`, async ({
    page,
    desk,
  }) => {
    await page.setViewportSize(viewport);
    await addOmniqConnection(desk, { name: 'Acme', pageSize: 100 });
    await finishedExport(desk, 'Acme');
    desk.omniq.injectFaults(...Array.from({ length: 20 }, () => ({ kind: 'slow' as const, delayMs: 1500 })));
    const running = await desk.app.runner.start(
      desk.app.parseRecipe({
        version: 1,
        connection: 'Acme',
        provider: 'omniq',
        query: { index: 'communications' },
      }),
    );
    await openDesk(page, desk);
    const nav = page.getByRole('navigation', { name: 'Main' });
    if (viewport.width < 1100) {
      // Narrow: the sidebar folds away behind a menu button, leaving the width to the screen.
      await expect(nav.getByRole('button', { name: 'Exports', exact: true })).toBeHidden();
      await page.getByRole('button', { name: 'Show navigation' }).click();
    }
    await nav.getByRole('button', { name: 'Exports', exact: true }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Exports', exact: true })).toBeVisible();
    if (viewport.width < 1100) await expect(nav.getByRole('button', { name: 'Exports' })).toBeHidden();

    await expect(page.getByTestId('job-row')).toHaveCount(2);
    await expect(page.locator(`[data-testid="job-row"][data-job-id="${running.id}"]`)).toHaveAttribute(
      'data-state',
      'downloading',
    );
    desk.app.runner.update(running.id, { message: LONG_MESSAGE });

    await noHorizontalScroll(page);
    await withinViewport(page, /^Open /);
    await withinViewport(page, /^Cancel /);
    await withinViewport(page, /^Retry /);
    await withinViewport(page, /^Remove /);
    await shownWhole(page, 'job-row-message');
    await screen(page, `exports-list-${viewport.width}`);

    await page
      .locator(`[data-testid="job-row"][data-job-id="${running.id}"]`)
      .getByRole('button', { name: /^Open / })
      .click();
    await expect(jobDetail(page, 'downloading')).toBeVisible();
    await noHorizontalScroll(page);
    await withinViewport(page, /^Cancel /);
    await shownWhole(page, 'job-message');
  });
}

test('a running export shows its progress against the total, a rate and ETA once they mean something', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'Acme', pageSize: 100 });
  // The first page takes 4 s (no total known yet), the rest 1.2 s each: 20 pages in all.
  desk.omniq.injectFaults(
    { kind: 'slow', delayMs: 4000 },
    ...Array.from({ length: 19 }, () => ({ kind: 'slow' as const, delayMs: 1200 })),
  );
  await openDesk(page, desk);
  const running = await desk.app.runner.start(
    desk.app.parseRecipe({
      version: 1,
      connection: 'Acme',
      provider: 'omniq',
      query: { index: 'communications' },
    }),
  );
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Exports' }).click();
  const row = page.locator(`[data-testid="job-row"][data-job-id="${running.id}"]`);

  // Before the vendor has said how many: a bar without a value, named for the phase.
  const bar = row.getByRole('progressbar');
  await expect(bar).toBeVisible();
  await expect(bar).not.toHaveAttribute('aria-valuenow', /.*/);
  await expect(bar).toHaveAccessibleName(/Downloading/);

  // Once the total is known: how far along, out of 100.
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '5');
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuemax', '100');
  await row.getByRole('button', { name: /^Open / }).click();
  await expect(page.getByTestId('job-rows')).toHaveText('100 of 2,000');
  // One page in a second or so is no rate yet, and no ETA.
  await expect(page.getByTestId('job-rate')).toHaveText('—');
  await expect(page.getByTestId('job-eta')).toHaveCount(0);
  const detailBar = page.getByTestId('job-detail').getByRole('progressbar');
  await expect(detailBar).toHaveAttribute('aria-valuenow', '5');
  await expect(detailBar).toHaveAccessibleName(/100 of 2,000 rows/);

  // The preview counts the rows the header counts, page by page.
  await expect
    .poll(async () => {
      const header = (await page.getByTestId('job-rows').textContent())?.split(' of ')[0];
      const preview = (await page.getByTestId('preview-row-count').textContent())?.split(' ')[0];
      return { header, preview, same: header === preview && header !== '100' };
    })
    .toMatchObject({ same: true });

  // Some seconds and some pages on: a rate, and how long is left.
  await expect(page.getByTestId('job-rate')).toHaveText(/^\d[\d,]* rows\/s$/, { timeout: 30_000 });
  await expect(page.getByTestId('job-eta')).toHaveText(/^about (\d+m )?\d+s left$/);
  desk.app.runner.cancel(running.id);
});
