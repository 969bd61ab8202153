/**
 * Places in the window have addresses (reload keeps the place, Back and Forward move between places), and
 * recipes are saved, listed, opened and imported in one place.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { addOmniqConnection, download, finishedExport, jobDetail, openDesk } from './helpers.ts';

type Screen = 'Connections' | 'New export' | 'Exports' | 'Settings' | 'Recipes';

async function goTo(page: Page, screen: Screen): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: screen, exact: true })
    .click();
  await expectScreen(page, screen);
}

async function expectScreen(page: Page, screen: Screen): Promise<void> {
  await expect(page.getByRole('heading', { level: 2, name: screen, exact: true })).toBeVisible();
}

test('each page and each export has an address: reload keeps it, Back and Forward move between them', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  const job = await finishedExport(desk, 'Acme');
  await openDesk(page, desk);

  for (const [screen, hash] of [
    ['Connections', '#/connections'],
    ['New export', '#/new-export'],
    ['Settings', '#/settings'],
    ['Exports', '#/exports'],
  ] as const) {
    await goTo(page, screen);
    expect(new URL(page.url()).hash).toBe(hash);
    await page.reload();
    await expectScreen(page, screen);
  }

  await page
    .getByRole('button', { name: /^Open / })
    .first()
    .click();
  await expect(jobDetail(page)).toHaveAttribute('data-job-id', job.id);
  expect(new URL(page.url()).hash).toBe(`#/exports/${job.id}`);
  await page.reload();
  await expect(jobDetail(page)).toHaveAttribute('data-job-id', job.id);

  await page.goBack();
  await expectScreen(page, 'Exports');
  await expect(jobDetail(page)).toHaveCount(0);
  await page.goBack();
  await expectScreen(page, 'Settings');
  await page.goForward();
  await expectScreen(page, 'Exports');
  await page.goForward();
  await expect(jobDetail(page)).toHaveAttribute('data-job-id', job.id);
  await page.getByRole('button', { name: '← All exports' }).click();
  await expectScreen(page, 'Exports');
  expect(new URL(page.url()).hash).toBe('#/exports');
});

test('an export that does not exist says so plainly, with a way back to the list', async ({ page, desk }) => {
  await page.goto(`${desk.server.url}#/exports/20250101-gone-0000`);
  await expect(page.getByText('This export no longer exists')).toBeVisible();
  await page.getByRole('button', { name: 'Back to exports' }).click();
  await expectScreen(page, 'Exports');
  expect(new URL(page.url()).hash).toBe('#/exports');

  // Removed while it was open elsewhere: the same note, not an empty page.
  await addOmniqConnection(desk, { name: 'Acme' });
  const job = await finishedExport(desk, 'Acme');
  await desk.app.jobs.remove(job.id);
  await page.goto(`${desk.server.url}#/exports/${job.id}`);
  await expect(page.getByText('This export no longer exists')).toBeVisible();
});

/** Saves the builder's recipe; returns the file's name and text. */
async function saveRecipe(page: Page): Promise<{ name: string; text: string }> {
  return download(page, 'Save recipe');
}

/** Walks the New export flow up to the Output step. */
async function buildUpToOutput(page: Page, c: { period: string; range?: { from: string; to: string } }) {
  await goTo(page, 'New export');
  await page.getByRole('radio', { name: 'Acme' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  const index = page.locator('input#query-index');
  await index.fill('communications');
  await index.press('Escape');
  await page.getByLabel('Created: period').selectOption(c.period);
  if (c.range) {
    await page.getByLabel('Created from (UTC)').fill(c.range.from);
    await page.getByLabel('Created to (UTC, inclusive)').fill(c.range.to);
  }
  await page.getByRole('button', { name: 'Next' }).click();
}

test('Save recipe names the file after the export: vendor, object and range, or the recipe name', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  await openDesk(page, desk);
  await buildUpToOutput(page, {
    period: 'custom',
    range: { from: '2025-01-01T00:00', to: '2025-01-31T23:59' },
  });
  expect((await saveRecipe(page)).name).toBe('OmniQ-communications-2025-01-01_2025-01-31.recipe.json');

  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByLabel('Created: period').selectOption('last-7-days');
  await page.getByRole('button', { name: 'Next' }).click();
  expect((await saveRecipe(page)).name).toBe('OmniQ-communications-last-7-days.recipe.json');

  await page.getByLabel('Recipe name (optional)').fill('Weekly calls: Acme');
  expect((await saveRecipe(page)).name).toBe('Weekly-calls-Acme.recipe.json');
});
