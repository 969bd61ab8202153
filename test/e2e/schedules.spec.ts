/**
 * Schedules from the window: a finished export gets a daily schedule, its next run in words; Run now
 * saves a file into the schedule's folder, the run shows in its history and its export in Exports. Run now
 * needs no clock: nothing waits for a schedule to come due.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { axe, describe } from './axe.ts';
import { expect, screen, test } from './fixtures.ts';
import { addOmniqConnection, finishedExport, jobDetail, openDesk } from './helpers.ts';

// axe is injected as a script, which the page's CSP would refuse.
test.use({ timezoneId: 'Europe/Paris', bypassCSP: true });

const TITLE = 'OmniQ communications 2025-01-01–2025-12-31';

async function noAxeFindings(page: Page, name: string): Promise<void> {
  // Until the dialog's fade-in has ended, so its colours are the ones a user sees.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
    expect(describe(`${name}-${scheme}`, await axe(page))).toEqual([]);
  }
}

test('a finished export gets a daily schedule; Run now saves its file and the run shows with its export', async ({
  page,
  desk,
}) => {
  const acme = await addOmniqConnection(desk, { name: 'Acme' });
  const job = await finishedExport(desk, acme.name);
  const folder = path.join(desk.dir, 'scheduled files');
  await openDesk(page, desk);
  await page.getByRole('button', { name: `Open ${TITLE}` }).click();
  await expect(jobDetail(page, 'ready')).toHaveAttribute('data-job-id', job.id);

  await page.getByRole('button', { name: `Schedule ${TITLE}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Schedule this export' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Name')).toHaveValue('OmniQ communications');
  await expect(dialog.getByLabel('Runs')).toHaveValue('day');
  await expect(dialog.getByRole('combobox', { name: 'Time zone' })).toHaveValue('Europe/Paris');
  // Its fixed dates would export 2025 again on every run: "since the last run" is offered, and on.
  await expect(dialog.getByText('This export has fixed dates')).toBeVisible();
  await expect(dialog.getByRole('switch', { name: 'Export what is new since the last run' })).toBeChecked();
  await dialog.getByLabel('At (24-hour clock)').fill('06:30');
  await expect(dialog.getByTestId('schedule-next-run')).toHaveText(
    /^Next run: (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+( \d{4})? at 06:30 \(Europe\/Paris\)$/,
  );
  // Browser mode has no folder dialog: the path is typed, and checked by Export Desk.
  await dialog.getByLabel('Folder').fill('relative/folder');
  await dialog.getByRole('button', { name: 'Save schedule' }).click();
  await expect(dialog.getByRole('alert')).toContainText('“relative/folder” is not a full path');
  await dialog.getByLabel('Folder').fill(folder);
  await noAxeFindings(page, 'schedule-dialog');
  await dialog.getByRole('button', { name: 'Save schedule' }).click();
  await expect(dialog).toHaveCount(0);

  // The Schedules page (the address names it) shows it with its timing and next run in words.
  await expect(page.getByRole('heading', { level: 2, name: 'Schedules' })).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#/schedules');
  const card = page.getByRole('region', { name: 'OmniQ communications' });
  await expect(card).toContainText('Every day at 06:30 (Europe/Paris)');
  await expect(card.getByTestId('schedule-next')).toHaveText(
    /^Next run: \w+day \d{1,2} \w+( \d{4})? at 06:30 \(Europe\/Paris\)$/,
  );
  await expect(card).toContainText('Last run:none yet');
  await expect(card).toContainText(folder);
  const stored = await desk.app.schedules.get('OmniQ communications');
  expect(stored.recipe.query).toEqual({ index: 'communications', filterBy: { createdAt: 'since-last-run' } });
  await noAxeFindings(page, 'schedules');

  await card.getByRole('button', { name: 'Run now OmniQ communications' }).click();
  const run = card.getByTestId('schedule-run');
  await expect(run).toHaveCount(1);
  await expect(run.getByTestId('run-state')).toHaveText('Succeeded');
  await expect(run).toContainText('Run now');
  await expect(card.getByTestId('schedule-last')).toContainText('2,000 rows saved to');
  // The notice says so, in the window's live region.
  const notices = page.getByRole('status', { name: 'Schedule notices' });
  await expect(notices).toContainText('Schedule “OmniQ communications” ran');
  await expect(notices).toContainText(/Saved .+\.csv: 2,000 rows\./);
  await screen(page, 'schedules-after-run');

  // The file is in the folder on disk, every row in it once.
  const files = readdirSync(folder);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/\.csv$/);
  const text = readFileSync(path.join(folder, files[0] ?? ''), 'utf8');
  // Each record's line starts with its id (cells spanning lines do not).
  const ids = [...text.matchAll(/^([0-9a-f]{24}),/gm)].map((m) => m[1]);
  const all = desk.omniq.records('communications').map((r) => String(r._id));
  expect(ids.sort()).toEqual(all.sort());

  // The run's export is on the Exports page, beside the one it was made from.
  await run.getByRole('button', { name: /^Open the export of the run started/ }).click();
  await expect(jobDetail(page)).toBeVisible();
  const runJobId = (await desk.app.schedules.get('OmniQ communications')).runs[0]?.jobId;
  expect(runJobId).toBeTruthy();
  await expect(jobDetail(page)).toHaveAttribute('data-job-id', runJobId ?? '');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Exports', exact: true })
    .click();
  await expect(page.getByTestId('job-row')).toHaveCount(2);
  await expect(page.locator(`[data-testid="job-row"][data-job-id="${runJobId}"]`)).toBeVisible();
});

test('pause, resume and remove a schedule from its page', async ({ page, desk }) => {
  const acme = await addOmniqConnection(desk, { name: 'Acme' });
  const job = await finishedExport(desk, acme.name);
  await desk.app.schedules.save({
    name: 'Weekly',
    recipe: job.recipe,
    timing: { every: 'week', on: 'mon', at: '07:00' },
    timeZone: 'UTC',
    folder: '',
    paused: false,
  });
  await openDesk(page, desk);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedules' }).click();
  const card = page.getByRole('region', { name: 'Weekly' });
  await expect(card.getByTestId('schedule-next')).toHaveText(
    /^Next run: Monday \d{1,2} \w+( \d{4})? at 07:00 \(UTC\)$/,
  );
  await card.getByRole('button', { name: 'Pause Weekly' }).click();
  await expect(card.getByTestId('schedule-next')).toHaveText('Next run: Paused');
  expect((await desk.app.schedules.get('Weekly')).paused).toBe(true);
  await card.getByRole('button', { name: 'Resume Weekly' }).click();
  await expect(card.getByTestId('schedule-next')).toContainText('Monday');
  await card.getByRole('button', { name: 'Remove Weekly' }).click();
  await page
    .getByRole('dialog', { name: 'Remove this schedule?' })
    .getByRole('button', { name: 'Remove' })
    .click();
  await expect(card).toHaveCount(0);
  await expect(page.getByText('No schedules yet.')).toBeVisible();
  await expect(desk.app.schedules.list()).resolves.toEqual([]);
});
