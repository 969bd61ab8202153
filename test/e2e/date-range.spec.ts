/**
 * One date-range control for every vendor whose query has dates: the same periods list and fixed-date
 * inputs, presets with plain names, fixed times picked on the user's own clock (here a non-UTC zone) and
 * sent in each vendor's form, relative CXone days running with rows, and no stale example dates.
 */
import { parse } from 'csv-parse/sync';
import type { Page } from '@playwright/test';
import { resolveRelativeDays } from '../../shared/dates.ts';
import { startCxoneSimulator, type CxoneSimulator } from '../simulators/cxone.ts';
import { startMyreportsSimulator, type MyreportsSimulator } from '../simulators/myreports.ts';
import type { FastClock } from './fast-clock.ts';
import { expect, test, type Desk } from './fixtures.ts';
import { addOmniqConnection, go, jobDetail, openDesk } from './helpers.ts';

const NOWHERE = 'http://127.0.0.1:9';

async function addCxone(desk: Desk, name: string, apiUrl = NOWHERE, authUrl = NOWHERE): Promise<void> {
  const c = await desk.app.connections.save({
    name,
    provider: 'cxone',
    settings: { region: 'custom', authBaseUrl: authUrl, apiBaseUrl: apiUrl, accessKeyId: 'AK-DEMO' },
  });
  await desk.app.connections.setSecret(c.id, 'accessKeySecret', 'demo-secret');
}

async function addXarios(desk: Desk, sim?: MyreportsSimulator): Promise<void> {
  const c = await desk.app.connections.save({
    name: 'Xarios',
    provider: 'myreports',
    settings: {
      region: 'custom',
      apiBaseUrl: sim?.apiUrl ?? NOWHERE,
      authority: sim?.authUrl ?? NOWHERE,
      clientId: 'desk-client',
      redirectPort: 0,
    },
  });
  await desk.app.connections.setSecret(c.id, 'clientSecret', 'desk-secret');
  if (sim) await desk.app.connections.setSecret(c.id, 'refreshToken', sim.issueTokens().refreshToken);
}

async function addIntelepeer(desk: Desk): Promise<void> {
  const c = await desk.app.connections.save({
    name: 'IntelePeer',
    provider: 'intelepeer',
    settings: {
      apiBaseUrl: NOWHERE,
      authUrl: NOWHERE,
      username: 'api-user',
      sftpHost: '127.0.0.1',
      sftpUsername: 'u',
    },
  });
  await desk.app.connections.setSecret(c.id, 'password', 'pw');
}

async function toQueryStep(page: Page, connection: string): Promise<void> {
  await go(page, 'New export');
  await page.getByRole('radio', { name: connection }).check();
  await page.getByRole('button', { name: 'Next' }).click();
}

const periodLabels = (page: Page, label: string) =>
  page.getByLabel(`${label}: period`).locator('option').allTextContents();

test('every dated vendor gets the same control: plain period names, fixed dates, no stale examples', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'OmniQ' });
  await addCxone(desk, 'CXone');
  await addXarios(desk);
  await addIntelepeer(desk);
  await openDesk(page, desk);

  const relative = ['Today', 'Yesterday', 'Last 7 days', 'This month', 'Since the last run'];
  for (const [connection, label, first, fixed] of [
    ['OmniQ', 'Created', ['Any time'], 'Fixed dates'],
    ['CXone', 'Days', [], 'Fixed days'],
    ['IntelePeer', 'Time range', [], 'Fixed dates'],
  ] as const) {
    await toQueryStep(page, connection);
    await expect(page.getByTestId('date-range')).toHaveCount(1);
    expect(await periodLabels(page, label)).toEqual([...first, ...relative, fixed]);
    // No example dates of a past year where a date is asked for (the builder's own page, placeholders too).
    const html = await page.locator('main').innerHTML();
    expect(html, connection).not.toMatch(/2025-05|2019-11/);
    await page.getByRole('button', { name: 'Back' }).click();
  }

  await toQueryStep(page, 'Xarios');
  await expect(page.getByTestId('date-range')).toHaveCount(1);
  expect(await periodLabels(page, 'Dates')).toEqual([
    'Today',
    'Yesterday',
    'This week',
    'Last week',
    'This month',
    'Last month',
    'This quarter',
    'Last quarter',
    'This year',
    'Last year',
    'Fixed dates',
  ]);
  await expect(page.getByLabel('Dates: period')).toHaveValue('ThisMonth');
  await expect(page.getByTestId('query-dateFilter-resolved')).toHaveText(
    'Xarios works out these dates in the tenant’s time zone when the report runs.',
  );
});

test('a fixed range that ends before it starts is refused with words saying what to fix', async ({
  page,
  desk,
}) => {
  await addCxone(desk, 'CXone');
  await openDesk(page, desk);
  await toQueryStep(page, 'CXone');
  const next = page.getByRole('button', { name: 'Next' });
  await expect(next).toBeEnabled();
  await page.getByLabel('Days: period').selectOption('Fixed days');
  await expect(next).toBeDisabled();
  await page.getByLabel('Days from (UTC day)').fill('2025-09-10');
  await expect(page.locator('#query-period-error')).toHaveText(
    'Choose both the first and the last day, or a period.',
  );
  await page.getByLabel('Days to (UTC day, inclusive)').fill('2025-09-01');
  await expect(page.locator('#query-period-error')).toHaveText(
    'The last day (2025-09-01) is before the first day (2025-09-10): choose a last day on or after the first.',
  );
  await expect(next).toBeDisabled();
  await page.getByLabel('Days to (UTC day, inclusive)').fill('2025-09-30');
  await expect(page.locator('#query-period-error')).toHaveCount(0);
  await expect(page.getByTestId('query-period-wire')).toHaveText(
    'Sent to CXone as 2025-09-10 … 2025-09-30 (UTC days)',
  );
  // CXone's own limits still apply: three weeks are two jobs.
  await next.click();
  await expect(page.getByTestId('builder-estimate')).toContainText('21 days → 2 CXone jobs');
});

test.describe('on a clock in Berlin', () => {
  test.use({ timezoneId: 'Europe/Berlin' });

  let sim: MyreportsSimulator;
  test.beforeEach(async () => {
    sim = await startMyreportsSimulator({ requestRunMs: 200 });
  });
  test.afterEach(async () => {
    await sim.close();
  });

  test('a fixed Xarios range is picked on the user’s clock and reaches the vendor with its offset', async ({
    page,
    desk,
  }) => {
    await addXarios(desk, sim);
    await openDesk(page, desk);
    await toQueryStep(page, 'Xarios');
    await page.getByRole('combobox', { name: 'Workspace' }).click();
    await page.getByRole('option', { name: 'Sales (default)' }).click();
    await page.getByRole('combobox', { name: 'Report' }).click();
    await page.getByRole('option', { name: 'Call list by user' }).click();
    await page.getByLabel('Dates: period').selectOption('Fixed dates');
    await page.getByLabel('Dates from (Europe/Berlin)').fill('2025-09-01T00:00');
    await page.getByLabel('Dates until (Europe/Berlin, not included)').fill('2025-09-08T00:00');
    await expect(page.getByTestId('query-dateFilter-wire')).toHaveText(
      'Sent to Xarios as 2025-09-01T00:00:00+02:00 … 2025-09-08T00:00:00+02:00',
    );
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Start export' }).click();
    await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 20_000 });
    expect(sim.posted.at(-1)?.body.dateFilter).toEqual({
      start: '2025-09-01T00:00:00+02:00',
      end: '2025-09-08T00:00:00+02:00',
    });
  });

  test('a Xarios preset is listed by its plain name and sent by the vendor’s', async ({ page, desk }) => {
    await addXarios(desk, sim);
    await openDesk(page, desk);
    await toQueryStep(page, 'Xarios');
    await page.getByRole('combobox', { name: 'Workspace' }).click();
    await page.getByRole('option', { name: 'Sales (default)' }).click();
    await page.getByRole('combobox', { name: 'Report' }).click();
    await page.getByRole('option', { name: 'Call list by user' }).click();
    await page.getByLabel('Dates: period').selectOption('Last month');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Start export' }).click();
    await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 20_000 });
    expect(sim.posted.at(-1)?.body.dateFilter).toEqual({ presetName: 'LastMonth' });
  });

  test('an OmniQ range on a Berlin clock reaches OmniQ as the UTC instants it stands for', async ({
    page,
    desk,
  }) => {
    await addOmniqConnection(desk, { name: 'OmniQ' });
    await openDesk(page, desk);
    await toQueryStep(page, 'OmniQ');
    await page.getByLabel('Created: period').selectOption('Fixed dates');
    await page.getByLabel('Created from (Europe/Berlin)').fill('2025-03-01T00:00');
    // Over the spring-forward night: the end is in summer time.
    await page.getByLabel('Created to (Europe/Berlin, inclusive)').fill('2025-03-31T23:59');
    await expect(page.getByTestId('query-filterBy-createdAt-wire')).toHaveText(
      'Sent to OmniQ as 2025-02-28T23:00:00.000Z … 2025-03-31T21:59:59.999Z',
    );
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Start export' }).click();
    await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 20_000 });
    const sent = desk.omniq.requests.map((r) => (r.body as { filterBy?: { createdAt?: unknown } })?.filterBy);
    expect(sent[0]?.createdAt).toEqual({ from: '2025-02-28T23:00:00.000Z', to: '2025-03-31T21:59:59.999Z' });
  });
});

test.describe('CXone on fast vendor time', () => {
  test.use({ fastClock: true });
  let sim: CxoneSimulator;
  test.beforeEach(async ({ desk, page }) => {
    const fast = desk.fast as FastClock;
    sim = await startCxoneSimulator({ clock: fast.clock, jobRunMs: 5_000, rowsPerDay: 3 });
    await page.clock.setFixedTime(fast.clock.now());
    fast.onAdvance((now) => page.clock.setFixedTime(now).catch(() => undefined));
  });
  test.afterEach(async () => {
    await sim.close();
  });

  test('the default query, the last 7 whole UTC days, runs as in the demo and brings rows', async ({
    page,
    desk,
  }) => {
    await addCxone(desk, 'Demo CXone', sim.apiUrl, sim.authUrl);
    await openDesk(page, desk);
    await toQueryStep(page, 'Demo CXone');
    await expect(page.getByLabel('Days: period')).toHaveValue('last-7-days');
    const days = resolveRelativeDays('last-7-days', (desk.fast as FastClock).clock.now());
    if (!days) throw new Error('last-7-days is always some days');
    await expect(page.getByTestId('query-period-resolved')).toHaveText(
      `UTC days ${days.startDate} … ${days.endDate} if the export started now; worked out again when it starts.`,
    );
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByTestId('builder-estimate')).toContainText('7 days → 1 CXone job');
    await page.getByRole('button', { name: 'Start export' }).click();
    await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 60_000 });

    const id = await page.getByTestId('job-detail').getAttribute('data-job-id');
    const record = await desk.app.runner.get(id ?? '');
    expect(record.recipe.query).toEqual({ entityName: 'qm-workflows', version: '3', period: 'last-7-days' });
    expect(record.resolvedQuery).toEqual({ entityName: 'qm-workflows', version: '3', ...days });
    const expected = sim.expectedCsv('qm-workflows', '3', days.startDate, days.endDate).slice(1);
    const rows = (parse(expected) as string[][]).length - 1;
    expect(rows).toBe(21);
    await expect(page.getByTestId('preview-row-count')).toContainText(`${rows} rows`);
  });
});
