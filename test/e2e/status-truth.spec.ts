/**
 * What an export says while it waits or fails, on fast vendor time: whose limit holds it back (the vendor's
 * rule, with a countdown, or another export ahead of it on the same tenant), and the real cause of a
 * failure.
 */
import type { Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startCxoneSimulator, type CxoneSimulator } from '../simulators/cxone.ts';
import { startIntelepeerSimulator } from '../simulators/intelepeer.ts';
import { startOmniSimulator } from '../simulators/omni.ts';
import type { FastClock } from './fast-clock.ts';
import { expect, screen, test } from './fixtures.ts';
import { formatBytes } from '../../renderer/ui/format.ts';
import {
  addOmniqConnection,
  download,
  finishedExport,
  go,
  jobDetail,
  openDesk,
  startExportThroughUi,
  YEAR_2025,
} from './helpers.ts';

test.use({ fastClock: true });

/** What the open export's page says about its state, read at one moment (two exports take turns). */
function statusNow(page: Page) {
  return page.evaluate(() => {
    const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;
    const wait = document.querySelector('[data-testid="job-wait"]');
    return {
      message: text('job-message'),
      wait: wait?.textContent ?? null,
      waitKind: wait?.getAttribute('data-wait') ?? null,
      nextAt: wait?.getAttribute('data-next-at') ?? null,
      nextPoll: text('job-next-poll'),
      now: Date.now(),
    };
  });
}

async function openExport(page: Page, id: string): Promise<void> {
  await go(page, 'Exports');
  await page
    .locator(`[data-testid="job-row"][data-job-id="${id}"]`)
    .getByRole('button', { name: /^Open / })
    .click();
  await expect(page.locator(`[data-testid="job-detail"][data-job-id="${id}"]`)).toBeVisible();
}

test.describe('CXone', () => {
  let sim: CxoneSimulator;
  test.beforeEach(async ({ desk, page }) => {
    const fast = desk.fast as FastClock;
    sim = await startCxoneSimulator({ clock: fast.clock, jobRunMs: 20 * 60_000, rowsPerDay: 5 });
    await page.clock.setFixedTime(fast.clock.now());
    fast.onAdvance((now) => page.clock.setFixedTime(now).catch(() => undefined));
  });
  test.afterEach(async () => {
    await sim.close();
  });

  const QUERY = { entityName: 'qm-workflows', version: '3', startDate: '2025-05-01', endDate: '2025-05-05' };

  test('a CXone export waiting for its call names CXone’s rule and counts down; one behind it says it waits its turn', async ({
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
    const recipe = desk.app.parseRecipe({
      version: 1,
      connection: 'Tenant',
      provider: 'cxone',
      query: QUERY,
    });
    const first = await desk.app.runner.start(recipe);
    // Submitted at once (the tenant was idle); its first status call waits CXone's 30 s.
    await expect.poll(async () => (await desk.app.runner.get(first.id)).remote.jobId).toBeTruthy();
    const second = await desk.app.runner.start(
      desk.app.parseRecipe({
        ...recipe,
        query: { ...QUERY, startDate: '2025-05-06', endDate: '2025-05-08' },
      }),
    );

    await openDesk(page, desk);
    await openExport(page, second.id);
    // Behind the first export at the tenant's gate: it says so, and gives no countdown of someone else's call.
    await expect
      .poll(async () => {
        const s = await statusNow(page);
        if (s.waitKind !== 'turn') return s.waitKind;
        return { submitting: /Submitting/.test(s.message ?? ''), wait: s.wait, nextPoll: s.nextPoll };
      })
      .toEqual({
        submitting: false,
        wait: "Waiting for the tenant's slot, behind another export on this tenant: CXone allows one call per 30 s per tenant.",
        nextPoll: 'after its turn',
      });
    await screen(page, 'status-cxone-turn');

    // Waiting for CXone's spacing: the rule, and the seconds left by the window's clock (the app's).
    await expect
      .poll(async () => {
        const s = await statusNow(page);
        if (s.waitKind !== 'pace' || !s.nextAt) return s.waitKind;
        const left = Math.max(1, Math.ceil((Date.parse(s.nextAt) - s.now) / 1000));
        return s.wait === `CXone allows one call per 30 s per tenant — next call in ${left} s` && left <= 31
          ? 'counts down'
          : s.wait;
      })
      .toBe('counts down');
    await screen(page, 'status-cxone-pace');

    // Both in the list, each with what holds it back. The seconds were checked against the clock above; the
    // page's clock follows the app's fast one asynchronously, so the list's count is matched as any count.
    await go(page, 'Exports');
    await expect
      .poll(async () =>
        (await page.getByTestId('job-row-wait').allTextContents())
          .map((t) => t.replace(/^CXone allows one call per 30 s per tenant — next call in \d+ s$/, 'pace'))
          .sort(),
      )
      .toEqual([
        "Waiting for the tenant's slot, behind another export on this tenant: CXone allows one call per 30 s per tenant.",
        'pace',
      ]);
    expect(sim.violations()).toBe(0);
    desk.app.runner.cancel(first.id);
    desk.app.runner.cancel(second.id);
    await desk.app.runner.wait(first.id);
    await desk.app.runner.wait(second.id);
  });
});

test('an Omni export out of the key’s requests for the minute names Omni’s limit and counts down', async ({
  page,
  desk,
}) => {
  const fast = desk.fast as FastClock;
  const sim = await startOmniSimulator({
    clock: fast.clock,
    documents: 200,
    keys: ['omni-key'],
    limitPerMinute: 2,
  });
  try {
    await page.clock.setFixedTime(fast.clock.now());
    fast.onAdvance((now) => page.clock.setFixedTime(now).catch(() => undefined));
    const saved = await desk.app.connections.save({
      name: 'Blob Org',
      provider: 'omni',
      settings: { baseUrl: sim.url, apiVersion: 'v1', requestsPerMinute: 2 },
    });
    await desk.app.connections.setSecret(saved.id, 'apiKey', 'omni-key');
    const job = await desk.app.runner.start(
      desk.app.parseRecipe({
        version: 1,
        connection: 'Blob Org',
        provider: 'omni',
        query: { sortField: 'name', sortDirection: 'asc', pageSize: 5 },
      }),
    );
    await openDesk(page, desk);
    await openExport(page, job.id);
    await expect
      .poll(async () => {
        const s = await statusNow(page);
        if (s.waitKind !== 'pace' || !s.nextAt) return s.waitKind;
        const left = Math.max(1, Math.ceil((Date.parse(s.nextAt) - s.now) / 1000));
        return s.wait === `Omni allows 2 requests a minute per key — next call in ${left} s` && left <= 61
          ? 'counts down'
          : s.wait;
      })
      .toBe('counts down');
    desk.app.runner.cancel(job.id);
    await desk.app.runner.wait(job.id);
  } finally {
    await sim.close();
  }
});

test('an IntelePeer query behind the account’s two running ones says it waits for a slot', async ({
  page,
  desk,
}) => {
  const fast = desk.fast as FastClock;
  const files = path.join(desk.dir, 'files');
  mkdirSync(files);
  const sim = await startIntelepeerSimulator({
    clock: fast.clock,
    filesDir: files,
    queryRunMs: 60_000,
    shards: 1,
  });
  try {
    const saved = await desk.app.connections.save({
      name: 'Insights',
      provider: 'intelepeer',
      settings: {
        apiBaseUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        username: 'api-user',
        sftpHost: '127.0.0.1',
        sftpPort: 9,
        sftpUsername: 'nobody',
        sftpBaseDir: files,
      },
    });
    await desk.app.connections.setSecret(saved.id, 'password', 'api-secret');
    const recipe = desk.app.parseRecipe({
      version: 1,
      connection: 'Insights',
      provider: 'intelepeer',
      query: {
        timestamp: { $gte: '2019-11-25T00:00:00Z', $lte: '2019-11-26T00:00:00Z' },
        data: { DtmfEvent: { fields: ['DtmfInput'] } },
      },
    });
    sim.hold(true);
    const jobs = [];
    for (let i = 0; i < 3; i++) jobs.push(await desk.app.runner.start(recipe));
    await openDesk(page, desk);
    await openExport(page, (jobs[2] as { id: string }).id);
    await expect(page.getByTestId('job-wait')).toHaveText(
      'Waiting for a free slot: IntelePeer runs at most 2 queries at once per account.',
    );
    await expect(page.getByTestId('job-next-poll')).toHaveText(/^(—|after its turn)$/);
    for (const job of jobs) desk.app.runner.cancel(job.id);
    for (const job of jobs) await desk.app.runner.wait(job.id);
  } finally {
    await sim.close();
  }
});

test.describe('a proxy that cannot be reached', () => {
  // Real time: the export must fail promptly, not after retrying as if the vendor were failing.
  test.use({ fastClock: false });

  // Test traffic stays on loopback: a proxy host name that is not found would ask the system's DNS.
  for (const [proxy, says] of [
    ['http://127.0.0.1:9', 'the proxy 127.0.0.1:9 refused the connection'],
  ] as const) {
    test(`an export through ${proxy} fails at once, naming the proxy, not the vendor`, async ({
      page,
      desk,
    }) => {
      await addOmniqConnection(desk);
      await openDesk(page, desk);
      await go(page, 'Settings');
      await page.getByLabel('Proxy').fill(proxy);
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect(page.getByText('Settings saved and in use.')).toBeVisible();

      await startExportThroughUi(page, { connection: 'Acme', period: 'custom', range: YEAR_2025 });
      await expect(jobDetail(page, 'failed')).toBeVisible({ timeout: 10_000 });
      const error = page.getByTestId('job-error');
      await expect(error).toContainText(says);
      await expect(error).toContainText(
        'What to do: Check the proxy in Settings (its address, its port and that it is running), or clear it to connect directly, then retry the export.',
      );
      await expect(error).not.toContainText('kept failing');
      expect(desk.omniq.requests.length).toBe(0);
      await screen(page, 'status-proxy-refused');
    });
  }
});

test('the size shown says what it measures: the spooled data, then the saved file', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk);
  await openDesk(page, desk);
  await startExportThroughUi(page, { connection: 'Acme', period: 'custom', range: YEAR_2025 });
  await expect(jobDetail(page, 'ready')).toBeVisible({ timeout: 30_000 });
  const spooled = page.locator('.ed-stat').filter({ has: page.getByTestId('job-bytes') });
  await expect(spooled.locator('dt')).toHaveText('Spooled data');
  await expect(page.getByTestId('job-saved-bytes')).toHaveCount(0);

  const csv = await download(page, 'Download CSV');
  await expect(jobDetail(page, 'saved')).toBeVisible();
  const saved = page.locator('.ed-stat').filter({ has: page.getByTestId('job-saved-bytes') });
  await expect(saved.locator('dt')).toHaveText('Saved file');
  await expect(saved.locator('dd')).toHaveText(formatBytes(Buffer.byteLength(csv.text)));

  await go(page, 'Exports');
  await expect(page.getByTestId('jobs-table').getByRole('columnheader')).toContainText(['Spooled data']);
});

test('an export is titled by its vendor, object and date range in the list and on its page', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk);
  const job = await finishedExport(desk, 'Acme');
  const title = 'OmniQ communications 2025-01-01–2025-12-31';
  await openDesk(page, desk);
  await go(page, 'Exports');
  const row = page.locator(`[data-testid="job-row"][data-job-id="${job.id}"]`);
  await expect(row.locator('td').first().locator('p').first()).toHaveText(title);
  await row.getByRole('button', { name: `Open ${title}`, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: title, exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: `Run again ${title}`, exact: true })).toBeVisible();
});
