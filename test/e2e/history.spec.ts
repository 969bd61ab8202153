import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { OutputOptionsSchema } from '../../shared/output.ts';
import { expect, screen, test } from './fixtures.ts';
import { addOmniqConnection, finishedExport, go, omniqExport, openDesk } from './helpers.ts';

test.use({ omniqOptions: { counts: { communications: 40, agents: 30 } } });

const DAY = 24 * 60 * 60 * 1000;

test('finds past exports by vendor, text and state, shows runs and files, runs again, and prunes old data', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk);
  const agents = { index: 'agents' };
  const named = async () => {
    const job = await desk.app.runner.start(
      desk.app.parseRecipe({
        version: 1,
        name: 'Agents daily',
        connection: 'Acme',
        provider: 'omniq',
        query: agents,
      }),
    );
    return desk.app.runner.wait(job.id);
  };
  const olderAgents = await named();
  const newerAgents = await named();
  const comms = await finishedExport(desk, 'Acme');
  await omniqExport(desk, 'Acme', { index: 'communications' });
  // An export from another vendor, kept from earlier: its record is all history needs.
  const now = new Date().toISOString();
  await desk.app.jobs.save({
    ...comms,
    id: '20250101T000000-cx000001',
    recipe: {
      version: 1,
      connection: 'Tenant EU',
      provider: 'cxone',
      query: {},
      output: comms.recipe.output,
    },
    state: 'failed',
    error: { vendor: 'NICE CXone', step: 'submitting', message: 'The tenant refused the job.' },
    saves: [],
    createdAt: now,
    updatedAt: now,
  });
  // Two files saved from one export; one of them was deleted since.
  const kept = path.join(desk.dir, 'comms.csv');
  const gone = path.join(desk.dir, 'comms-old.csv');
  await desk.app.saves.saveTo(comms.id, gone, OutputOptionsSchema.parse({ format: 'csv' }));
  await desk.app.saves.saveTo(comms.id, kept, OutputOptionsSchema.parse({ format: 'csv' }));
  rmSync(gone);

  await openDesk(page, desk);
  await go(page, 'Exports');
  const count = page.getByTestId('jobs-count');
  await expect(count).toHaveText('5 exports');
  await page.getByLabel('Vendor').selectOption({ label: 'NICE CXone' });
  await expect(count).toHaveText('1 of 5 exports');
  await expect(page.getByTestId('job-row')).toHaveAttribute('data-state', 'failed');
  await page.getByLabel('Vendor').selectOption({ label: 'OmniQ' });
  await expect(count).toHaveText('4 of 5 exports');
  await page.getByLabel('Search').fill('agents daily');
  await expect(count).toHaveText('2 of 5 exports');
  await page.getByLabel('State').selectOption({ label: 'Failed' });
  await expect(page.getByTestId('jobs-none-match')).toContainText('No export matches these filters.');
  await page.getByTestId('jobs-none-match').getByRole('button', { name: 'Clear filters' }).click();
  await expect(count).toHaveText('5 exports');
  await page.getByLabel('Search').fill('agents daily');
  await screen(page, 'history-filtered');

  // The newest run of the recipe, its runs, and Back to the same filtered list.
  await page
    .locator(`[data-testid="job-row"][data-job-id="${newerAgents.id}"]`)
    .getByRole('button', { name: /^Open / })
    .click();
  const detail = page.getByTestId('job-detail');
  await expect(detail).toHaveAttribute('data-job-id', newerAgents.id);
  await page.getByRole('button', { name: 'Runs of this recipe (2)' }).click();
  const runs = page.getByTestId('job-run');
  await expect(runs).toHaveCount(2);
  await expect(runs.nth(0)).toHaveAttribute('data-job-id', newerAgents.id);
  await expect(runs.nth(1)).toHaveAttribute('data-job-id', olderAgents.id);
  await page.getByRole('button', { name: 'Recipe', exact: true }).click();
  await expect(page.getByTestId('job-recipe-json')).toContainText('"name": "Agents daily"');
  await page.goBack();
  await expect(count).toHaveText('2 of 5 exports');
  await expect(page.getByLabel('Search')).toHaveValue('agents daily');

  // The files saved from an export, one of them gone; then Run again.
  await page.getByLabel('Search').fill('');
  await page
    .locator(`[data-testid="job-row"][data-job-id="${comms.id}"]`)
    .getByRole('button', { name: /^Open / })
    .click();
  await page.getByRole('button', { name: 'Files saved (2)' }).click();
  const files = page.getByTestId('job-file');
  await expect(files).toHaveCount(2);
  await expect(files.nth(0)).toContainText(kept);
  await expect(files.nth(0)).toHaveAttribute('data-exists', 'true');
  await expect(files.nth(1)).toContainText(gone);
  await expect(files.nth(1)).toContainText('No longer on disk');
  await page.getByRole('button', { name: /^Run again / }).click();
  await expect(detail).not.toHaveAttribute('data-job-id', comms.id);
  await expect(detail).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('job-rows')).toHaveText('40 of 40');

  // The older run finished a month ago: a bound of 7 days removes its rows, and only its rows.
  const older = await desk.app.jobs.load(olderAgents.id);
  await desk.app.jobs.save({ ...older!, finishedAt: new Date(Date.now() - 30 * DAY).toISOString() });
  await go(page, 'Settings');
  await expect(page.getByTestId('storage-usage')).toContainText('of export data');
  await page.getByLabel('Keep export data for (days)').fill('7');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('storage-prunable')).toContainText('from 1 export');
  await page.getByTestId('storage-prune').click();
  await expect(page.getByTestId('storage-pruned')).toContainText('Removed the data of 1 export');
  expect(existsSync(desk.app.jobs.spoolDir(olderAgents.id))).toBe(false);
  expect(existsSync(desk.app.jobs.spoolDir(newerAgents.id))).toBe(true);

  await go(page, 'Exports');
  await expect(count).toHaveText('6 exports');
  const row = page.locator(`[data-testid="job-row"][data-job-id="${olderAgents.id}"]`);
  await expect(row.getByTestId('job-row-data-removed')).toHaveText(
    'Data removed to save space — Run again to fetch it.',
  );
  await row.getByRole('button', { name: /^Open / }).click();
  await expect(page.getByTestId('job-data-removed')).toContainText('Run again to fetch it');
  await expect(page.getByRole('grid')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Run again / })).toBeVisible();
});
