/**
 * Cancelling an export while pages are still coming in: it stops, says so, offers no download, and can be
 * retried from the start.
 */
import { expect, screen, test } from './fixtures.ts';
import { addOmniqConnection, go, jobDetail, openDesk, startExportThroughUi } from './helpers.ts';

const PAGES = 20;

test('cancel mid-export: state cancelled, nothing to download, retry runs it again', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'Acme', pageSize: 2_000 / PAGES });
  // Every page takes 1.5 s: the export is still running when Cancel is clicked.
  desk.omniq.injectFaults(...Array.from({ length: PAGES }, () => ({ kind: 'slow' as const, delayMs: 1500 })));
  await openDesk(page, desk);

  const jobId = await startExportThroughUi(page, { connection: 'Acme', period: '' });
  await expect(jobDetail(page, 'downloading')).toBeVisible();
  await expect(page.getByTestId('job-rows')).toHaveText(/^100 of 2,000$/);
  // No date range: the title says when the export was made.
  const { createdAt } = await desk.app.runner.get(jobId);
  const title = `OmniQ communications ${createdAt.slice(0, 19).replace('T', ' ')}`;
  await page.getByRole('button', { name: `Cancel ${title}` }).click();

  await expect(jobDetail(page, 'cancelled')).toBeVisible();
  await expect(page.getByTestId('job-state')).toHaveText('Cancelled');
  await expect(page.getByRole('button', { name: `Cancel ${title}` })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Download / })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Save' })).toHaveCount(0);
  expect(desk.omniq.requests.length).toBeLessThan(PAGES);
  await screen(page, 'job-cancelled');
  // Not through the window either: the service refuses to prepare a download of a cancelled export.
  await expect(
    desk.app.handle('exports.prepareDownload', { jobId, output: { format: 'csv' } }),
  ).rejects.toThrow(/Only a finished export can be saved; this one is cancelled/);

  await go(page, 'Exports');
  const row = page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`);
  await expect(row).toHaveAttribute('data-state', 'cancelled');
  await expect(row.getByTestId('job-state')).toHaveText('Cancelled');

  desk.omniq.clearFaults();
  await row.getByRole('button', { name: `Retry ${title}` }).click();
  const retried = jobDetail(page, 'ready');
  await expect(retried).toBeVisible();
  expect(await retried.getAttribute('data-job-id')).not.toBe(jobId);
  await expect(page.getByTestId('job-rows')).toHaveText('2,000 of 2,000');
  await expect(page.getByRole('button', { name: 'Download CSV' })).toBeEnabled();
});
