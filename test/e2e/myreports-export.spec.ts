/**
 * Xarios reports in the window: sign in through the vendor's page (a real redirect to the app's loopback
 * listener), pick the workspace and report from the vendor's lists, run the report, and see its rows,
 * time zone, totals and row-limit warning.
 */
import type { Page } from '@playwright/test';
import { startMyreportsSimulator, WORKSPACES, type MyreportsSimulator } from '../simulators/myreports.ts';
import { expect, screen, test, type Desk } from './fixtures.ts';
import { download, go, jobDetail, openDesk } from './helpers.ts';

let sim: MyreportsSimulator;
test.beforeEach(async () => {
  sim = await startMyreportsSimulator({ requestRunMs: 1500, cappedLimit: 30 });
});
test.afterEach(async () => {
  await sim.close();
});

async function addConnection(desk: Desk): Promise<void> {
  const c = await desk.app.connections.save({
    name: 'Xarios UK',
    provider: 'myreports',
    settings: {
      region: 'custom',
      apiBaseUrl: sim.apiUrl,
      authority: sim.authUrl,
      clientId: 'desk-client',
      redirectPort: 0,
    },
  });
  await desk.app.connections.setSecret(c.id, 'clientSecret', 'desk-secret');
}

/** Connections → Sign in: the vendor's page opens in a new tab; the user answers there. */
async function signIn(page: Page, decision: 'Approve' | 'Deny'): Promise<void> {
  await go(page, 'Connections');
  const row = page.getByRole('listitem', { name: 'Xarios UK' });
  const [tab] = await Promise.all([
    page.waitForEvent('popup'),
    row.getByRole('button', { name: 'Sign in Xarios UK' }).click(),
  ]);
  await expect(tab.getByRole('heading', { name: 'Sign in to Xarios' })).toBeVisible();
  await expect(tab.getByText('desk-client')).toBeVisible();
  await screen(tab, 'myreports-consent');
  await tab.getByRole('button', { name: decision }).click();
  // The vendor redirected the tab to the app's one-shot listener on 127.0.0.1.
  await expect(tab).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/\?/);
  await expect(
    tab.getByRole('heading', { name: decision === 'Approve' ? 'Signed in' : 'Sign-in cancelled' }),
  ).toBeVisible();
  await tab.close();
}

/** New export: the Xarios connection, the "Call list by user" report picked from the lists, a date preset. */
async function chooseCallList(page: Page, presetName: string): Promise<void> {
  await go(page, 'New export');
  await page.getByRole('radio', { name: 'Xarios UK' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('combobox', { name: 'Workspace' }).click();
  await page.getByRole('option', { name: 'Sales (default)' }).click();
  await page.getByRole('combobox', { name: 'Report' }).click();
  await page.getByRole('option', { name: 'Call list by user' }).click();
  // The vendor's preset by its wire name; the list shows it by its plain one.
  await page.getByLabel('Dates: period').selectOption(presetName);
}

test('signs in on the vendor’s page and exports a report picked from the vendor’s lists', async ({
  page,
  desk,
}) => {
  await addConnection(desk);
  await openDesk(page, desk);
  await go(page, 'Connections');
  await expect(page.getByTestId('sign-in-status')).toHaveText('Not signed in');

  await signIn(page, 'Deny');
  const row = page.getByRole('listitem', { name: 'Xarios UK' });
  await expect(row.getByTestId('sign-in-result')).toContainText('declined');
  await expect(row.getByTestId('sign-in-status')).toHaveText('Not signed in');

  await signIn(page, 'Approve');
  await expect(row.getByTestId('sign-in-result')).toContainText('Signed in');
  await expect(row.getByTestId('sign-in-status')).toHaveText('Signed in');
  await screen(page, 'myreports-signed-in');

  await chooseCallList(page, 'ThisMonth');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'CSV', exact: true }).check();
  await page.getByRole('button', { name: 'Start export' }).click();

  await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('preview-row-count')).toContainText('120 rows');
  // Columns in the report's display order, the extra docId last.
  const headers = page.getByTestId('preview-grid').getByRole('columnheader');
  await expect(headers.nth(1)).toContainText('connId');
  await expect(headers.nth(2)).toContainText('start');
  await expect(page.getByTestId('job-time-zone')).toContainText('Europe/London');
  await expect(page.getByTestId('summary-table')).toContainText('duration');
  // The JSON file carries the vendor's notes beside the rows, and the Save panel says what it will hold.
  const json = page.getByRole('radio', { name: 'JSON', exact: true });
  await json.check();
  await expect(json).toHaveAccessibleDescription(
    /an object: the vendor’s notes on the result, then the rows/i,
  );
  await screen(page, 'myreports-ready');
  expect(sim.posted.at(-1)).toEqual({
    reportId: '00000000-0000-0000-0000-000000000001',
    body: { reportId: '00000000-0000-0000-0000-000000000001', dateFilter: { presetName: 'ThisMonth' } },
  });

  const [totals] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save totals (CSV)' }).click(),
  ]);
  // Named after the report and the month the preset stood for, though the query gave neither.
  const month = /^Xarios reports CallListByUserSegmented (\d{4}-\d{2})-01–\1-\d{2}$/;
  await expect(jobDetail(page).getByRole('heading', { level: 2 })).toHaveText(month);
  expect(totals.suggestedFilename()).toMatch(
    /^Xarios-reports-CallListByUserSegmented-(\d{4}-\d{2})-01_\1-\d{2}-totals\.csv$/,
  );
});

test('a report cut at its row limit says so and how to get the rest', async ({ page, desk }) => {
  await addConnection(desk);
  const c = await desk.app.connections.get('Xarios UK');
  await desk.app.connections.setSecret(c.id, 'refreshToken', sim.issueTokens().refreshToken);
  await openDesk(page, desk);
  const job = await desk.app.runner.start(
    desk.app.parseRecipe({
      version: 1,
      connection: 'Xarios UK',
      provider: 'myreports',
      query: {
        workspaceId: WORKSPACES[1].id,
        reportId: '00000000-0000-0000-0000-000000000003',
        dateFilter: { start: '2025-09-01T00:00:00+01:00', end: '2025-09-08T00:00:00+01:00' },
      },
    }),
  );
  await go(page, 'Exports');
  await page.locator(`[data-testid="job-row"][data-job-id="${job.id}"]`).getByRole('button').first().click();
  await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('job-warning')).toContainText('cut at 30 rows');
  await expect(page.getByTestId('job-warning')).toContainText('narrow the dates');
  await expect(page.getByTestId('preview-row-count')).toContainText('30 rows');
});

test('asks to sign in again when the vendor refuses the stored sign-in, and the retry then works', async ({
  page,
  desk,
}) => {
  await addConnection(desk);
  const c = await desk.app.connections.get('Xarios UK');
  await desk.app.connections.setSecret(c.id, 'refreshToken', sim.issueTokens().refreshToken);
  sim.revokeRefreshTokens();
  await openDesk(page, desk);
  const job = await desk.app.runner.start(
    desk.app.parseRecipe({
      version: 1,
      connection: 'Xarios UK',
      provider: 'myreports',
      query: {
        workspaceId: WORKSPACES[0].id,
        reportId: '00000000-0000-0000-0000-000000000001',
        dateFilter: { presetName: 'LastMonth' },
      },
    }),
  );
  await go(page, 'Exports');
  await page.locator(`[data-testid="job-row"][data-job-id="${job.id}"]`).getByRole('button').first().click();
  const error = page.getByTestId('job-error');
  await expect(error).toContainText('no longer accepts the stored sign-in');
  await expect(error).toContainText('Sign in again');
  await screen(page, 'myreports-sign-in-again');

  const [tab] = await Promise.all([
    page.waitForEvent('popup'),
    error.getByRole('button', { name: 'Sign in again' }).click(),
  ]);
  await tab.getByRole('button', { name: 'Approve' }).click();
  await expect(tab.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await tab.close();
  await expect(page.getByTestId('job-sign-in-result')).toContainText('Retry the export');

  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('preview-row-count')).toContainText('120 rows');
});

/** The day before `ms` in London, as the vendor writes local dates (2025-06-14). */
function londonYesterday(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(ms - 86_400_000));
}

test('a date preset and a condition change the rows the report returns', async ({ page, desk }) => {
  await addConnection(desk);
  const [c] = await desk.app.connections.list();
  // As if the user had signed in earlier: the refresh token is in the keychain.
  await desk.app.connections.setSecret(c?.id ?? '', 'refreshToken', sim.issueTokens().refreshToken);
  await openDesk(page, desk);
  await chooseCallList(page, 'Yesterday');
  await page
    .getByRole('textbox', { name: 'Additional conditions' })
    .fill('[{"fieldName": "userName", "operator": "=", "values": ["Test User 3"]}]');
  const before = Date.now();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'CSV', exact: true }).check();
  await page.getByRole('button', { name: 'Start export' }).click();

  await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 20_000 });
  // Of the report's 120 calls, one in nine is Test User 3's.
  await expect(page.getByTestId('preview-row-count')).toContainText('14 rows');
  const csv = await download(page, 'Download CSV');
  const [header = '', ...lines] = csv.text.trim().split('\r\n');
  const columns = header.split(',');
  const rows = lines.map((line) => line.split(','));
  expect(rows).toHaveLength(14);
  const at = (name: string) => columns.indexOf(name);
  expect(new Set(rows.map((r) => r[at('userName')]))).toEqual(new Set(['Test User 3']));
  // Every call is on yesterday's date in the tenant's time zone.
  const days = new Set([londonYesterday(before), londonYesterday(Date.now())]);
  for (const r of rows) expect(days).toContain(r[at('start')]?.slice(0, 10));
});
