/**
 * NICE CXone in the window, on fast vendor time: add the connection through the form, export 20 days (two
 * extraction jobs, one call per 30 s on the tenant, counted down on screen), look at the rows, download
 * one CSV; then list the tenant's jobs and fetch the file of one of them without submitting anything.
 */
import { parse } from 'csv-parse/sync';
import { startCxoneSimulator, type CxoneSimulator } from '../simulators/cxone.ts';
import type { FastClock } from './fast-clock.ts';
import { expect, screen, test } from './fixtures.ts';
import { download, go, jobDetail, openDesk } from './helpers.ts';

test.use({ fastClock: true });

let sim: CxoneSimulator;
test.beforeEach(async ({ desk, page }) => {
  const fast = desk.fast as FastClock;
  sim = await startCxoneSimulator({ clock: fast.clock, jobRunMs: 40_000, rowsPerDay: 5 });
  // The window tells time by the app's clock, so its countdowns read as the app counts.
  await page.clock.setFixedTime(fast.clock.now());
  fast.onAdvance((now) => page.clock.setFixedTime(now).catch(() => undefined));
});
test.afterEach(async () => {
  await sim.close();
});

const RANGE = { entityName: 'qm-workflows', version: '3', startDate: '2025-05-01', endDate: '2025-05-20' };

test('a 20-day CXone export runs as two jobs, counts down to each call, and saves one CSV', async ({
  page,
  desk,
}) => {
  await openDesk(page, desk);
  await go(page, 'Connections');
  await page.getByRole('button', { name: 'Add connection' }).click();
  const form = page.getByRole('form', { name: 'New connection' });
  await form.getByLabel('Provider').selectOption('cxone');
  await form.getByLabel('Name').fill('Tenant');
  await form.getByLabel('Region').selectOption('custom');
  await form.getByLabel('Authentication address (custom)').fill(sim.authUrl);
  await form.getByLabel('API address (custom)').fill(sim.apiUrl);
  await form.getByLabel('Access key id').fill('AK-DEMO');
  await form.getByLabel('Access key secret').fill('demo-secret');
  await form.getByRole('button', { name: 'Save connection' }).click();
  await page.getByRole('button', { name: 'Test Tenant' }).click();
  await expect(page.getByTestId('connection-test-result')).toContainText('Signed in to NICE CXone');

  await go(page, 'New export');
  await page.getByRole('radio', { name: 'Tenant' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  const { startDate, endDate, ...entity } = RANGE;
  for (const [id, value] of Object.entries(entity)) {
    const input = page.locator(`input#query-${id}`);
    if (id === 'version') {
      // The versions known for the chosen entity are offered.
      await input.fill(''); // the default query's version would filter the list
      await input.click();
      const offered = page.getByRole('listbox').getByRole('option');
      await expect(offered).toHaveText(['1', '3', '4']);
      await offered.getByText(value, { exact: true }).click();
      await expect(input).toHaveValue(value);
      continue;
    }
    await input.fill(value);
    await input.press('Escape');
  }
  await page.getByLabel('Days: period').selectOption('Fixed days');
  await page.getByLabel('Days from (UTC day)').fill(startDate);
  await page.getByLabel('Days to (UTC day, inclusive)').fill(endDate);
  await expect(page.getByTestId('query-period-wire')).toHaveText(
    'Sent to CXone as 2025-05-01 … 2025-05-20 (UTC days)',
  );
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'CSV', exact: true }).check();
  await page.getByRole('button', { name: 'Start export' }).click();

  // The test connection's call was moments ago: the first job waits its turn, and the window counts down.
  await expect(jobDetail(page)).toBeVisible();
  await expect(page.getByTestId('job-message')).toContainText('job 1 of 2');
  // 30 s from the last call as CXone counts, plus the second the app keeps for the call's travel.
  await expect(page.getByTestId('job-next-poll')).toHaveText(/^in (3[01]|[12]?\d)s$/);
  await screen(page, 'cxone-countdown');
  await expect(page.getByTestId('job-message')).toContainText('job 2 of 2', { timeout: 60_000 });
  await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 60_000 });

  const expected = sim.expectedCsv('qm-workflows', '3', '2025-05-01', '2025-05-20').slice(1);
  const rows = (parse(expected) as string[][]).length - 1;
  await expect(page.getByTestId('preview-row-count')).toContainText(`${rows} rows`);
  await expect(page.getByTestId('job-pages')).toHaveText('2');
  await screen(page, 'cxone-ready');

  // The vendor's values exactly: turn the formula guard off, as a user who wants them unchanged would.
  await page.getByLabel(/^Formula guard/).uncheck();
  const csv = await download(page, 'Download CSV');
  expect(csv.text).toBe(expected);
  expect(sim.posts()).toBe(2);
  expect(sim.violations()).toBe(0);
});

test('the jobs on the tenant are listed, and a succeeded one’s file is fetched without a new job', async ({
  page,
  desk,
}) => {
  const connection = await desk.app.connections.save({
    name: 'Tenant',
    provider: 'cxone',
    settings: { region: 'custom', authBaseUrl: sim.authUrl, apiBaseUrl: sim.apiUrl, accessKeyId: 'AK-DEMO' },
  });
  await desk.app.connections.setSecret(connection.id, 'accessKeySecret', 'demo-secret');
  const job = await desk.app.runner.start(
    desk.app.parseRecipe({ version: 1, connection: 'Tenant', provider: 'cxone', query: RANGE }),
  );
  expect((await desk.app.runner.wait(job.id)).state).toBe('ready');

  await openDesk(page, desk);
  await go(page, 'Connections');
  await page.getByRole('button', { name: 'Jobs on this tenant: Tenant' }).click();
  const panel = page.getByTestId('tenant-jobs');
  // The export's last call was just now: the list waits its turn, and says for how long.
  await expect(panel.getByTestId('tenant-jobs-wait')).toContainText('one call per 30 seconds');
  const rows = panel.getByTestId('tenant-job');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(rows.first()).toContainText('qm-workflows v3, 2025-05-15 to 2025-05-20');
  await expect(rows.nth(1)).toContainText('qm-workflows v3, 2025-05-01 to 2025-05-14');
  await screen(page, 'cxone-tenant-jobs');

  await rows
    .first()
    .getByRole('button', { name: /^Fetch file/ })
    .click();
  await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 60_000 });
  const part = sim.expectedCsv('qm-workflows', '3', '2025-05-15', '2025-05-20').slice(1);
  await expect(page.getByTestId('preview-row-count')).toContainText(
    `${(parse(part) as string[][]).length - 1} rows`,
  );
  expect(sim.posts()).toBe(2);
  expect(sim.violations()).toBe(0);
});
