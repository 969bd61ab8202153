/**
 * An IntelePeer Insights export in the window: the connection test shows and pins the SFTP host key, the
 * builder fills from the vendor's catalogue and shows the body it sends, the result shards come over a
 * real OpenSSH server into one table, a third query waits in a visible queue, and a vendor 400 is shown
 * beside the field it concerns when the failed export is opened for editing.
 */
import { expect, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppService } from '../../electron/app/service.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { startWebServer, type WebServer } from '../../electron/web/server.ts';
import { FastClock } from '../helpers/fast-clock.ts';
import { startSshd, type Sshd } from '../helpers/sshd.ts';
import { startIntelepeerSimulator, type IntelepeerSimulator } from '../simulators/intelepeer.ts';
import { axe, describe } from './axe.ts';
import { recorded as base, screen } from './fixtures.ts';
import { go, jobDetail } from './helpers.ts';
import { removeTempDir } from '../helpers/temp-dir.ts';

interface InsightsDesk {
  app: AppService;
  server: WebServer;
  sim: IntelepeerSimulator;
}

let sshd: Sshd;
let root: string;
const STATIC_DIR = path.resolve('dist/renderer');

const test = base.extend<{ desk: InsightsDesk }>({
  // Playwright reads a fixture's dependencies from its first parameter, which must be destructured.
  // eslint-disable-next-line no-empty-pattern
  desk: async ({}, use) => {
    if (!existsSync(path.join(STATIC_DIR, 'index.html')))
      throw new Error('dist/renderer is missing: run "npm run build" before the end-to-end tests.');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-e2e-ip-'));
    const files = mkdtempSync(path.join(root, 'files-'));
    chmodSync(files, 0o755);
    // Real time for the browser, but the vendor's 15 s polling takes a fifth of a second.
    const clock = new FastClock(200);
    const sim = await startIntelepeerSimulator({ clock, filesDir: files, queryRunMs: 60_000, shards: 3 });
    const app = await AppService.open({
      dataDir: path.join(dir, 'data'),
      secrets: new MemorySecretStore('Secrets are kept for this run only (test).'),
      clock,
    });
    const saved = await app.connections.save({
      name: 'Insights',
      provider: 'intelepeer',
      settings: {
        apiBaseUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        username: 'api-user',
        sftpHost: '127.0.0.1',
        sftpPort: sshd.port,
        sftpUsername: sshd.user,
        sftpBaseDir: files,
      },
    });
    await app.connections.setSecret(saved.id, 'password', 'api-secret');
    await app.connections.setSecret(saved.id, 'sftpPassword', sshd.password);
    const server = await startWebServer({ app, staticDir: STATIC_DIR, port: 0, host: '127.0.0.1' });
    await use({ app, server, sim });
    await server.close();
    await app.close();
    await sim.close();
    removeTempDir(dir);
  },
});

test.beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-e2e-sftp-'));
  sshd = await startSshd(root);
});
test.afterAll(async () => {
  await sshd?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function open(page: Page, desk: InsightsDesk): Promise<void> {
  await page.goto(desk.server.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

async function pick(page: Page, input: string, options: string[]): Promise<void> {
  await page.getByRole('combobox', { name: input, exact: true }).click();
  for (const o of options) await page.getByRole('option', { name: o, exact: true }).click();
  await page.keyboard.press('Escape');
}

async function toQueryStep(page: Page): Promise<void> {
  await go(page, 'New export');
  await page.getByRole('radio', { name: 'Insights' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('insights-builder')).toBeVisible();
}

async function startFromOutputStep(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'CSV', exact: true }).check();
  await page.getByRole('button', { name: 'Start export' }).click();
  const detail = page.getByTestId('job-detail');
  await expect(detail).toBeVisible();
  return (await detail.getAttribute('data-job-id')) ?? '';
}

// axe is injected into the page, which the app's CSP forbids unless this test's browser bypasses it.
test.describe(() => {
  test.use({ bypassCSP: true });
  test('designs a query from the catalogue and gets three SFTP shards as one table', async ({
    page,
    desk,
  }) => {
    await open(page, desk);
    await go(page, 'Connections');
    await page.getByRole('button', { name: 'Test Insights' }).click();
    const result = page.getByTestId('connection-test-result');
    await expect(result).toContainText('Connection works');
    await expect(result).toContainText(`host key ${sshd.fingerprint()} pinned now`);

    await toQueryStep(page);
    // The builder starts from the docs' minimal query (ApplicationExitEvent: FlowId); add to it.
    await pick(page, 'Events', ['CallStartEvent']);
    await pick(page, 'Fields of ApplicationExitEvent', ['SessionId', 'ExitReason']);
    await pick(page, 'Fields of CallStartEvent', ['Ani', 'Direction']);
    // The same date-range control as every vendor's: a fixed range on the user's clock (UTC here).
    await page.getByLabel('Time range: period').selectOption('Fixed dates');
    await page.getByLabel('Time range from (UTC)').fill('2019-11-25T00:00');
    // An included end is the last second of the minute picked.
    await page.getByLabel('Time range to (UTC, inclusive)').fill('2019-11-25T23:59');
    await expect(page.getByTestId('query-timestamp-wire')).toHaveText(
      'Sent to IntelePeer as 2019-11-25T00:00:00Z … 2019-11-25T23:59:59Z',
    );
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('combobox', { name: 'Filter 1 field', exact: true }).click();
    await page.getByRole('option', { name: 'FlowId', exact: true }).click();
    await page.getByLabel('Filter 1 value').fill('5dcf48b453e0ab04386da7d1');
    const body = page.getByTestId('insights-body');
    await expect(body).toContainText('"fields": [');
    await expect(body).toContainText('"$eq": "5dcf48b453e0ab04386da7d1"');
    await screen(page, 'intelepeer-builder');
    // The builder with a filter row and the session scope on passes axe's WCAG 2 A and AA rules.
    await page.getByRole('switch', { name: /^Session scope/ }).check();
    await expect(page.getByRole('combobox', { name: 'Session filter 1 field', exact: true })).toBeVisible();
    expect(describe('IntelePeer builder', await axe(page))).toEqual([]);
    await page.getByRole('switch', { name: /^Session scope/ }).uncheck();

    await startFromOutputStep(page);
    await expect(jobDetail(page, 'ready')).toBeVisible();
    const guid = desk.sim.guids()[0] ?? '';
    const rows = (parse(desk.sim.expectedCsv(guid)) as string[][]).length - 1;
    expect(rows).toBeGreaterThan(0);
    await expect(page.getByTestId('preview-row-count')).toContainText(`${rows} rows`);
    await expect(page.getByTestId('job-pages')).toHaveText('3');
    expect(desk.sim.calls.find((c) => c.method === 'POST')?.body).toEqual({
      timestamp: { $gte: '2019-11-25T00:00:00Z', $lte: '2019-11-25T23:59:59Z' },
      data: {
        ApplicationExitEvent: { fields: ['FlowId', 'SessionId', 'ExitReason'] },
        CallStartEvent: { fields: ['Ani', 'Direction'] },
      },
      filters: { ApplicationExitEvent: { FlowId: { $eq: '5dcf48b453e0ab04386da7d1' } } },
    });
  });
});

test('shows a third query waiting for one of the account’s two slots', async ({ page, desk }) => {
  const recipe = desk.app.parseRecipe({
    version: 1,
    connection: 'Insights',
    provider: 'intelepeer',
    query: {
      timestamp: { $gte: '2019-11-25T00:00:00Z', $lte: '2019-11-26T00:00:00Z' },
      data: { DtmfEvent: { fields: ['DtmfInput'] } },
    },
  });
  // The vendor keeps every query running until the test has looked at the queue.
  desk.sim.hold(true);
  const jobs = [];
  for (let i = 0; i < 3; i++) jobs.push(await desk.app.runner.start(recipe));
  await open(page, desk);
  await go(page, 'Exports');
  const third = page.locator(`[data-testid="job-row"][data-job-id="${jobs[2]?.id}"]`);
  await third.getByRole('button', { name: /^Open / }).click();
  await expect(page.getByTestId('job-message')).toContainText(
    'waiting: 2 queries already running on this account',
  );
  await screen(page, 'intelepeer-queued');
  desk.sim.hold(false);
  await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 60_000 });
  expect(desk.sim.maxRunning()).toBe(2);
});

test('a pasted body the vendor refuses shows its 400 beside the field when edited', async ({
  page,
  desk,
}) => {
  await open(page, desk);
  await toQueryStep(page);
  await page.getByLabel('Paste a query body').fill(
    JSON.stringify({
      timestamp: { $gte: '2019-11-25T00:00:00Z', $lte: '2019-11-26T00:00:00Z' },
      data: { ApplicationExitEvent: { fields: ['FlowId', 'Flow Id'] } },
    }),
  );
  await page.getByRole('button', { name: 'Use this body' }).click();
  await expect(page.getByTestId('insights-body')).toContainText('"Flow Id"');
  await startFromOutputStep(page);
  await expect(jobDetail(page, 'failed')).toBeVisible();
  await expect(page.getByTestId('job-error')).toContainText('Flow Id is not a valid field.');

  await page.getByRole('button', { name: /^Edit query of / }).click();
  await expect(page.getByTestId('insights-builder')).toBeVisible();
  const fields = page.getByRole('combobox', { name: 'Fields of ApplicationExitEvent', exact: true });
  await expect(fields).toHaveAttribute('aria-invalid', 'true');
  const described = await fields.getAttribute('aria-describedby');
  expect(described).toBeTruthy();
  await expect(
    page.locator(`[id="${described?.split(' ').find((id) => id.endsWith('error'))}"]`),
  ).toContainText('Flow Id is not a valid field.');
  await screen(page, 'intelepeer-vendor-error');
});

test('a changed SFTP host key is refused until its fingerprint is entered as trusted', async ({
  page,
  desk,
}) => {
  await open(page, desk);
  await go(page, 'Connections');
  const result = page.getByTestId('connection-test-result');
  await page.getByRole('button', { name: 'Test Insights' }).click();
  await expect(result).toContainText('pinned now');
  const old = sshd.fingerprint();
  await sshd.swapHostKey();
  const fresh = sshd.fingerprint();

  await page.getByRole('button', { name: 'Test Insights' }).click();
  await expect(result).toContainText('Connection failed');
  await expect(result).toContainText(`presented host key ${fresh}, not the pinned ${old}`);
  await screen(page, 'intelepeer-host-key-changed');

  const form = page.getByRole('form', { name: 'Edit connection Insights' });
  await page.getByRole('button', { name: 'Edit Insights' }).click();
  await form.getByLabel('Trusted SFTP host key').fill(fresh);
  await form.getByRole('button', { name: 'Save connection' }).click();
  await expect(form).toBeHidden();
  await page.getByRole('button', { name: 'Test Insights' }).click();
  await expect(result).toContainText('Connection works');
  await expect(result).toContainText(`host key ${fresh} matches the pinned one`);
});
