/**
 * An OmniQ export through the guided flow: pick the connection, the entity and a date range (or a filter),
 * start it, and watch its live status until every row is in.
 */
import { expect, screen, test } from './fixtures.ts';
import { addOmniqConnection, go, jobDetail, openDesk, startExportThroughUi, YEAR_2025 } from './helpers.ts';

test('exports 2,000 communications of 2025 and shows the live status until ready', async ({ page, desk }) => {
  await addOmniqConnection(desk, { name: 'Acme', pageSize: 500 });
  // Slow answers for the first two pages, so the running state can be seen, not just the end.
  desk.omniq.injectFaults({ kind: 'slow', delayMs: 300 }, { kind: 'slow', delayMs: 1500 });
  await openDesk(page, desk);

  const jobId = await startExportThroughUi(page, { connection: 'Acme', period: 'custom', range: YEAR_2025 });
  await expect(jobDetail(page, 'downloading')).toBeVisible();
  await expect(page.getByTestId('job-state')).toHaveText('Downloading');
  await expect(page.getByTestId('job-rows')).toHaveText('500 of 2,000');
  await screen(page, 'job-running');

  await expect(jobDetail(page, 'ready')).toBeVisible();
  await expect(page.getByTestId('job-state')).toHaveText('Ready to save');
  await expect(page.getByTestId('job-rows')).toHaveText('2,000 of 2,000');
  await expect(page.getByTestId('job-pages')).toHaveText('4');
  await expect(page.getByTestId('preview-row-count')).toContainText('2,000 rows');
  await expect(page.getByTestId('preview-grid')).toHaveAttribute('aria-rowcount', '2001');

  // What was asked of the vendor: the chosen index and the whole year, inclusive to the millisecond.
  const bodies = desk.omniq.requests.map((r) => r.body as { index: string; filterBy: unknown; from: number });
  expect(bodies.at(-1)).toMatchObject({
    index: 'communications',
    filterBy: { createdAt: { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' } },
  });
  expect(bodies.map((b) => b.from)).toEqual([0, 500, 1000, 1500]);

  await go(page, 'Exports');
  const row = page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`);
  await expect(row).toHaveAttribute('data-state', 'ready');
  await expect(row).toContainText('OmniQ communications 2025-01-01–2025-12-31');
  await expect(row).toContainText('2,000 of 2,000');
  await screen(page, 'exports');
  await row.getByRole('button', { name: 'Open OmniQ communications 2025-01-01–2025-12-31' }).click();
  await expect(jobDetail(page, 'ready')).toHaveAttribute('data-job-id', jobId);
});

test('a filter typed as JSON narrows the export to the matching records', async ({ page, desk }) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  await openDesk(page, desk);
  const wanted = desk.omniq.records('communications').filter((r) => r.platform === 'whatsapp').length;
  expect(wanted).toBeGreaterThan(0);

  await startExportThroughUi(page, { connection: 'Acme', period: '', filters: '{"platform": "whatsapp"}' });
  await expect(jobDetail(page, 'ready')).toBeVisible();
  await expect(page.getByTestId('preview-row-count')).toContainText(`${wanted.toLocaleString('en-US')} rows`);
  expect(desk.omniq.requests.at(-1)?.body).toMatchObject({ filterBy: { platform: 'whatsapp' } });
});
