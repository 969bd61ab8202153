/**
 * Steps the end-to-end specs share: opening the window, a connection made behind the UI's back (for specs
 * about something else), the guided export flow, and reading a browser download.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from '@playwright/test';
import type { Connection } from '../../shared/api.ts';
import type { JobRecord, JobState } from '../../shared/jobs.ts';
import { expect, type Desk } from './fixtures.ts';

export const TENANT = 'ACME-TENANT01';
/** The simulator's records are all from 2025: this range holds every one of them. */
export const YEAR_2025 = { from: '2025-01-01T00:00', to: '2025-12-31T23:59' };

export async function openDesk(page: Page, desk: Desk): Promise<void> {
  await page.goto(desk.server.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByText('Browser mode')).toBeVisible();
}

export async function go(page: Page, screen: 'Connections' | 'New export' | 'Exports' | 'Settings') {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: screen, exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: screen, exact: true })).toBeVisible();
}

/** An OmniQ connection to the test's simulator, saved through the service (not the form). */
export async function addOmniqConnection(
  desk: Desk,
  opts: { name?: string; pageSize?: number; apiKey?: string } = {},
): Promise<Connection> {
  const saved = await desk.app.connections.save({
    name: opts.name ?? 'Acme',
    provider: 'omniq',
    settings: { baseUrl: desk.omniq.url, tenantId: TENANT, pageSize: opts.pageSize ?? 500 },
  });
  return opts.apiKey === undefined ? saved : desk.app.connections.setSecret(saved.id, 'apiKey', opts.apiKey);
}

/** A finished export made through the service, for specs that only need one to look at. */
export async function finishedExport(desk: Desk, connection: string): Promise<JobRecord> {
  return omniqExport(desk, connection, {
    index: 'communications',
    filterBy: { createdAt: { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' } },
  });
}

/** Runs an OmniQ export of `query` on `connection` to its end, which must be `state`. */
export async function omniqExport(
  desk: Desk,
  connection: string,
  query: Record<string, unknown>,
  state: JobState = 'ready',
): Promise<JobRecord> {
  const job = await desk.app.runner.start(
    desk.app.parseRecipe({ version: 1, connection, provider: 'omniq', query }),
  );
  const done = await desk.app.runner.wait(job.id);
  expect(done.state).toBe(state);
  return done;
}

export interface ExportChoices {
  connection: string;
  index?: string;
  /** A value of the "Created: period" select; with 'custom', `range` gives its ends (UTC, minutes). */
  period?: string;
  range?: { from: string; to: string };
  filters?: string;
  format?: 'CSV' | 'JSON' | 'NDJSON (one object a line)';
}

/** Walks the New export flow and starts it; returns the job id the window then shows. */
export async function startExportThroughUi(page: Page, c: ExportChoices): Promise<string> {
  await go(page, 'New export');
  await page.getByRole('radio', { name: c.connection }).check();
  await page.getByRole('button', { name: 'Next' }).click();

  const index = page.locator('input#query-index');
  await index.fill(c.index ?? 'communications');
  await index.press('Escape'); // close the suggestions
  await page.getByLabel('Created: period').selectOption(c.period ?? '');
  if (c.range) {
    await page.getByLabel('Created from (UTC)').fill(c.range.from);
    await page.getByLabel('Created to (UTC, inclusive)').fill(c.range.to);
  }
  if (c.filters !== undefined) await page.getByLabel('Filters (field = value)').fill(c.filters);
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('radio', { name: c.format ?? 'CSV', exact: true }).check();
  await page.getByRole('button', { name: 'Start export' }).click();
  const detail = page.getByTestId('job-detail');
  await expect(detail).toBeVisible();
  const id = await detail.getAttribute('data-job-id');
  expect(id).toBeTruthy();
  return id as string;
}

export function jobDetail(page: Page, state?: JobState): Locator {
  return page.locator(`[data-testid="job-detail"]${state ? `[data-state="${state}"]` : ''}`);
}

/** Clicks a download button and returns what the browser received. */
export async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  return { name: file.suggestedFilename(), text: await downloadedText(file) };
}

async function downloadedText(file: Download): Promise<string> {
  const failure = await file.failure();
  if (failure) throw new Error(`The download failed: ${failure}`);
  return readFile(await file.path(), 'utf8');
}
