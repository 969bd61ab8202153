/**
 * The Exports list and an export's page in the windows analysts actually use: everything fits, the actions
 * are on screen, long status lines are read whole.
 */
import type { Locator, Page } from '@playwright/test';
import { startCxoneSimulator, type CxoneSimulator } from '../simulators/cxone.ts';
import type { FastClock } from './fast-clock.ts';
import { expect, screen, test } from './fixtures.ts';
import { addOmniqConnection, finishedExport, jobDetail, openDesk } from './helpers.ts';

const LONG_MESSAGE =
  "Waiting for Omni's limit of 60 requests a minute on this key: the next page is asked for in 40 seconds, " +
  'and every export on this key shares the same limit';

/** What finishedExport's export is called: vendor, object and dates. */
const FINISHED_TITLE = 'OmniQ communications 2025-01-01–2025-12-31';

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
    const finished = await finishedExport(desk, 'Acme');
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
    await withinViewport(page, /^Run again /);
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

    // A finished export's page: its title is read whole, however many buttons share its row.
    await page.getByRole('button', { name: '← All exports' }).click();
    await page
      .locator(`[data-testid="job-row"][data-job-id="${finished.id}"]`)
      .getByRole('button', { name: /^Open / })
      .click();
    await expect(jobDetail(page, 'ready')).toBeVisible();
    const title = jobDetail(page).getByRole('heading', { level: 2, name: FINISHED_TITLE });
    await expect(title).toHaveAttribute('title', FINISHED_TITLE);
    const cut = await title.evaluate(
      (node) => node.scrollWidth > node.clientWidth || node.scrollHeight > node.clientHeight + 1,
    );
    expect(cut, 'the title is cut short').toBe(false);
    await withinViewport(page, /^Schedule/);
    await withinViewport(page, /^Run again /);
    await withinViewport(page, 'Save recipe');
    await noHorizontalScroll(page);
    await screen(page, `export-page-${viewport.width}`);
  });
}

test('a running export shows its progress against the total, a rate and ETA once they mean something', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'Acme', pageSize: 100 });
  // The first page takes 6 s (no total known yet), the second 8 s (one page is not yet a rate), the
  // next three 0.6 s each; then the pages take minutes, so the export is still running, some seconds and
  // some pages on, however slow the machine is.
  desk.omniq.injectFaults(
    { kind: 'slow', delayMs: 6000 },
    { kind: 'slow', delayMs: 8000 },
    ...Array.from({ length: 3 }, () => ({ kind: 'slow' as const, delayMs: 600 })),
    ...Array.from({ length: 4 }, () => ({ kind: 'slow' as const, delayMs: 600_000 })),
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
  // One page is no rate yet, and no ETA.
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

async function centreOf(button: Locator): Promise<{ x: number; y: number }> {
  const box = await button.boundingBox();
  if (!box) throw new Error('The button is not laid out');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Remove (which deletes the rows) is not where the pointer still rests after Cancel. */
async function removeNotAt(remove: Locator, point: { x: number; y: number }): Promise<void> {
  await expect(remove).toBeVisible();
  const box = await remove.boundingBox();
  if (!box) throw new Error('Remove is not laid out');
  const under =
    point.x >= box.x && point.x <= box.x + box.width && point.y >= box.y && point.y <= box.y + box.height;
  expect(under, `Remove at ${JSON.stringify(box)} is under the pointer at ${JSON.stringify(point)}`).toBe(
    false,
  );
}

test('cancelling a plain export leaves no Remove under the pointer, in the list and on its page', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'Acme', pageSize: 100 });
  desk.omniq.injectFaults(...Array.from({ length: 40 }, () => ({ kind: 'slow' as const, delayMs: 1500 })));
  const recipe = desk.app.parseRecipe({
    version: 1,
    connection: 'Acme',
    provider: 'omniq',
    query: { index: 'communications' },
  });
  const first = await desk.app.runner.start(recipe);
  const second = await desk.app.runner.start(recipe);
  await openDesk(page, desk);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Exports' }).click();

  const row = page.locator(`[data-testid="job-row"][data-job-id="${first.id}"]`);
  const cancelInRow = row.getByRole('button', { name: /^Cancel / });
  const atRow = await centreOf(cancelInRow);
  await cancelInRow.click();
  await expect(row).toHaveAttribute('data-state', 'cancelled');
  await removeNotAt(row.getByRole('button', { name: /^Remove / }), atRow);

  await page
    .locator(`[data-testid="job-row"][data-job-id="${second.id}"]`)
    .getByRole('button', { name: /^Open / })
    .click();
  const cancelOnPage = page.getByTestId('job-detail').getByRole('button', { name: /^Cancel / });
  const atPage = await centreOf(cancelOnPage);
  await cancelOnPage.click();
  await expect(jobDetail(page, 'cancelled')).toBeVisible();
  await removeNotAt(page.getByTestId('job-detail').getByRole('button', { name: /^Remove / }), atPage);
});

test.describe('an export whose job runs at the vendor', () => {
  test.use({ fastClock: true });
  let sim: CxoneSimulator;
  test.beforeEach(async ({ desk, page }) => {
    const fast = desk.fast as FastClock;
    // The vendor's job runs 10 minutes of vendor time: it is still RUNNING when Cancel is clicked.
    sim = await startCxoneSimulator({ clock: fast.clock, jobRunMs: 10 * 60_000, rowsPerDay: 5 });
    await page.clock.setFixedTime(fast.clock.now());
    fast.onAdvance((now) => page.clock.setFixedTime(now).catch(() => undefined));
  });
  test.afterEach(async () => {
    await sim.close();
  });

  test("Cancel asks first and says the vendor's job runs on; afterwards no vendor status RUNNING", async ({
    page,
    desk,
  }) => {
    const connection = await desk.app.connections.save({
      name: 'Tenant',
      provider: 'cxone',
      settings: {
        region: 'custom',
        authBaseUrl: sim.authUrl,
        apiBaseUrl: sim.apiUrl,
        accessKeyId: 'AK-DEMO',
      },
    });
    await desk.app.connections.setSecret(connection.id, 'accessKeySecret', 'demo-secret');
    const job = await desk.app.runner.start(
      desk.app.parseRecipe({
        version: 1,
        connection: 'Tenant',
        provider: 'cxone',
        query: { entityName: 'qm-workflows', version: '3', startDate: '2025-05-01', endDate: '2025-05-05' },
      }),
    );
    await openDesk(page, desk);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Exports' }).click();
    await page
      .locator(`[data-testid="job-row"][data-job-id="${job.id}"]`)
      .getByRole('button', { name: /^Open / })
      .click();
    await expect(page.getByTestId('job-vendor-status')).toHaveText('RUNNING');
    const remoteId = (await page.getByTestId('job-remote-id').textContent()) ?? '';
    expect(remoteId).not.toBe('—');

    const cancel = page.getByTestId('job-detail').getByRole('button', { name: /^Cancel / });
    const at = await centreOf(cancel);
    await cancel.click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this export?' });
    await expect(dialog).toContainText(`job ${remoteId}`);
    await expect(dialog).toContainText('has no call to stop');
    await expect(dialog).toContainText('Jobs on this tenant');
    // "Keep running" leaves it be.
    await dialog.getByRole('button', { name: 'Keep running' }).click();
    await expect(dialog).toBeHidden();
    await expect(jobDetail(page, 'waiting')).toBeVisible();

    await cancel.click();
    await page
      .getByRole('dialog', { name: 'Cancel this export?' })
      .getByRole('button', { name: 'Cancel export' })
      .click();
    await expect(jobDetail(page, 'cancelled')).toBeVisible();
    await expect(page.getByTestId('job-vendor-status')).toHaveCount(0);
    await expect(page.getByTestId('job-detail')).not.toContainText('RUNNING');
    await expect(page.getByTestId('job-message')).toContainText('Jobs on this tenant');
    await removeNotAt(page.getByTestId('job-detail').getByRole('button', { name: /^Remove / }), at);
    // The record says so too, for the CLI and after a restart.
    const record = await desk.app.runner.get(job.id);
    expect(record.remote.status).toBeUndefined();
    expect(record.remote.jobId).toBe(remoteId);
  });
});
