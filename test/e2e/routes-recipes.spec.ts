/**
 * Places in the window have addresses (reload keeps the place, Back and Forward move between places), and
 * recipes are saved, listed, opened and imported in one place.
 */
import type { Locator, Page } from '@playwright/test';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expectedColumns } from '../helpers/expected-output.ts';
import { axe, describe } from './axe.ts';
import { expect, screen, test, type Desk } from './fixtures.ts';
import { addOmniqConnection, finishedExport, jobDetail, openDesk } from './helpers.ts';

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

/** Saves the builder's recipe (into the recipes folder); returns the file's name and text. */
async function saveRecipe(page: Page, desk: Desk): Promise<{ name: string; text: string }> {
  const notice = page.getByTestId('builder-notice');
  await expect(notice).toHaveCount(0);
  await page.getByRole('button', { name: 'Save recipe', exact: true }).click();
  await expect(notice).toHaveAttribute('role', 'status');
  const name = /Saved as (\S+\.json)/.exec((await notice.textContent()) ?? '')?.[1];
  expect(name, 'the notice names the file').toBeTruthy();
  const text = await readFile(path.join(desk.app.paths.recipes, name as string), 'utf8');
  // The next save waits for its own notice.
  await page.getByRole('button', { name: 'Dismiss' }).click();
  return { name: name as string, text };
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
  expect((await saveRecipe(page, desk)).name).toBe('OmniQ-communications-2025-01-01_2025-01-31.recipe.json');

  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByLabel('Created: period').selectOption('last-7-days');
  await page.getByRole('button', { name: 'Next' }).click();
  expect((await saveRecipe(page, desk)).name).toBe('OmniQ-communications-last-7-days.recipe.json');

  await page.getByLabel('Recipe name (optional)').fill('Weekly calls: Acme');
  expect((await saveRecipe(page, desk)).name).toBe('Weekly-calls-Acme.recipe.json');
});

test('Save recipe keeps it in the recipes folder; the Recipes page lists it and opens it with every field restored', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  await openDesk(page, desk);
  await buildUpToOutput(page, {
    period: 'custom',
    range: { from: '2025-02-01T00:00', to: '2025-02-28T23:59' },
  });
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByLabel('Filters (field = value)').fill('{"platform": "whatsapp"}');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Delimiter').selectOption(';');
  await page.getByLabel('UTF-8 BOM (for Excel)').check();
  await page.getByLabel('Recipe name (optional)').fill('February calls');
  const { name, text } = await saveRecipe(page, desk);
  expect(name).toBe('February-calls.recipe.json');
  expect(JSON.parse(text)).toMatchObject({
    name: 'February calls',
    connection: 'Acme',
    provider: 'omniq',
    output: { format: 'csv', csv: { delimiter: ';', bom: true } },
  });

  // A fresh window: nothing of the builder is left but the saved file.
  await page.reload();
  await goTo(page, 'Recipes');
  expect(new URL(page.url()).hash).toBe('#/recipes');
  const row = page.getByRole('row', { name: /February calls/ });
  await expect(row).toContainText('February-calls.recipe.json');
  await expect(row).toContainText('Acme');
  await row.getByRole('button', { name: 'Open February calls' }).click();

  await expectScreen(page, 'New export');
  await expect(page.locator('input#query-index')).toHaveValue('communications');
  await expect(page.getByLabel('Created: period')).toHaveValue('custom');
  await expect(page.getByLabel('Created from (UTC)')).toHaveValue('2025-02-01T00:00');
  await expect(page.getByLabel('Created to (UTC, inclusive)')).toHaveValue('2025-02-28T23:59');
  await expect(page.getByLabel('Filters (field = value)')).toHaveValue(/"platform": "whatsapp"/);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('radio', { name: 'CSV', exact: true })).toBeChecked();
  await expect(page.getByLabel('Delimiter')).toHaveValue(';');
  await expect(page.getByLabel('UTF-8 BOM (for Excel)')).toBeChecked();
  await expect(page.getByLabel('Recipe name (optional)')).toHaveValue('February calls');
  // Saving it again does not overwrite the first file.
  expect((await saveRecipe(page, desk)).name).toBe('February-calls-2.recipe.json');
});

test('a recipe file is imported through the file picker; a bad one says what to fix', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  await openDesk(page, desk);
  await goTo(page, 'Recipes');
  await expect(page.getByText('No recipes saved yet')).toBeVisible();

  const pick = async (name: string, content: string) => {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Import recipe…' }).click(),
    ]);
    await chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
  };

  await pick('broken.json', '{"version": 1, "connection": "Acme",');
  const notice = page.getByTestId('recipes-notice');
  await expect(notice).toHaveAttribute('role', 'alert');
  await expect(notice).toContainText('broken.json is not valid JSON');
  await pick(
    'wrong.json',
    JSON.stringify({ version: 1, provider: 'omniq', query: { index: 'calls and chats' } }),
  );
  const wrong = notice;
  await expect(wrong).toContainText('wrong.json is not a recipe Export Desk can run');
  await expect(wrong).toContainText('connection: missing');
  await expect(wrong).toContainText('query.index: An index name has only letters');
  await pick(
    'vendor.json',
    JSON.stringify({ version: 1, connection: 'Acme', provider: 'zendesk', query: {} }),
  );
  await expect(notice).toContainText('provider: Export Desk has no vendor “zendesk”');

  const good = {
    $schema: '../docs/recipe.schema.json',
    version: 1,
    name: 'Agents',
    connection: 'Acme',
    provider: 'omniq',
    query: { index: 'agents' },
    output: { format: 'json' },
  };
  await pick('agents.json', JSON.stringify(good));
  await expect(notice).toHaveAttribute('role', 'status');
  await expect(notice).toContainText('Imported agents.json');
  const row = page.getByRole('row', { name: /Agents/ });
  await expect(row).toContainText('agents.json');
  await row.getByRole('button', { name: 'Open Agents' }).click();
  await expect(page.locator('input#query-index')).toHaveValue('agents');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('radio', { name: 'JSON', exact: true })).toBeChecked();
});

test('a recipe is removed from the Recipes page after a confirmation, its file with it', async ({
  page,
  desk,
}) => {
  await mkdir(desk.app.paths.recipes, { recursive: true });
  const recipe = { version: 1, connection: 'Acme', provider: 'omniq', query: { index: 'agents' } };
  await writeFile(
    path.join(desk.app.paths.recipes, 'weekly.recipe.json'),
    JSON.stringify({ ...recipe, name: 'Weekly' }),
  );
  await writeFile(path.join(desk.app.paths.recipes, 'notes.json'), '{"version": 2}');
  await openDesk(page, desk);
  await goTo(page, 'Recipes');
  await expect(page.getByTestId('recipe-row')).toHaveCount(2);

  // Cancel keeps it; the dialog gives focus back to the button that opened it.
  const remove = page.getByRole('button', { name: 'Remove Weekly' });
  await remove.click();
  const dialog = page.getByRole('dialog', { name: 'Remove recipe?' });
  await expect(dialog).toContainText('weekly.recipe.json is deleted from the recipes folder');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(remove).toBeFocused();
  await expect(page.getByTestId('recipe-row')).toHaveCount(2);

  await remove.click();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('recipes-notice')).toContainText('Removed weekly.recipe.json');
  await expect(page.getByTestId('recipe-row')).toHaveCount(1);
  expect(await readdir(desk.app.paths.recipes)).toEqual(['notes.json']);
  // A file that is not a recipe can be removed too.
  await page.getByRole('button', { name: 'Remove notes.json' }).click();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByText('No recipes saved yet')).toBeVisible();
  expect(await readdir(desk.app.paths.recipes)).toEqual([]);
});

async function headerOrder(grid: Locator): Promise<string[]> {
  return grid
    .locator('[role="columnheader"][data-column]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-column') ?? ''));
}

test('an export keeps its column layout, after a reload too, and its saved recipe writes those columns', async ({
  page,
  desk,
}) => {
  const columns = expectedColumns(desk.omniq.records('communications'));
  await addOmniqConnection(desk, { name: 'Acme' });
  const job = await finishedExport(desk, 'Acme');
  await page.goto(`${desk.server.url}#/exports/${job.id}`);
  const grid = page.getByTestId('preview-grid');
  await expect(grid).toHaveAttribute('aria-rowcount', '2001');

  // Arrange: campaign one to the left, scid hidden, _id a little wider.
  await grid.getByRole('button', { name: 'Move column campaign left' }).click();
  await page.getByRole('button', { name: /^Columns \(/ }).click();
  await page.getByRole('checkbox', { name: 'Show column scid' }).uncheck();
  await page.keyboard.press('Escape');
  const resize = grid.getByRole('separator', { name: 'Resize column _id' });
  const width = Number(await resize.getAttribute('aria-valuenow')) + 20;
  await resize.focus();
  await page.keyboard.press('ArrowRight');
  await expect(resize).toHaveAttribute('aria-valuenow', String(width));
  const order = [
    '_id',
    'campaign',
    'botModule',
    ...columns.filter((c) => !['_id', 'campaign', 'botModule'].includes(c)),
  ];

  // Kept with the export by the main process.
  await expect
    .poll(async () => (await desk.app.runner.get(job.id)).layout)
    .toEqual({ order, hidden: ['scid'], widths: { _id: width } });

  const arranged = async () => {
    await expect(grid).toHaveAttribute('aria-rowcount', '2001');
    expect((await headerOrder(grid)).slice(0, 3)).toEqual(['_id', 'campaign', 'botModule']);
    await expect(grid.locator('[data-column="scid"]')).toHaveCount(0);
    await expect(grid.getByRole('separator', { name: 'Resize column _id' })).toHaveAttribute(
      'aria-valuenow',
      String(width),
    );
  };
  await page.getByRole('button', { name: '← All exports' }).click();
  await page
    .getByRole('button', { name: /^Open / })
    .first()
    .click();
  await arranged();
  await page.reload();
  await arranged();

  await page.getByRole('button', { name: 'Save recipe', exact: true }).click();
  const notice = page.getByTestId('job-notice');
  await expect(notice).toHaveAttribute('role', 'status');
  const name = /Saved as (\S+\.json)/.exec((await notice.textContent()) ?? '')?.[1] ?? '';
  expect(name).toBe('OmniQ-communications-2025-01-01_2025-12-31.recipe.json');
  const saved = JSON.parse(await readFile(path.join(desk.app.paths.recipes, name), 'utf8')) as {
    output: { columns?: string[] };
  };
  expect(saved.output.columns).toEqual(order.filter((c) => c !== 'scid'));
});

test('an export run from a recipe that names its columns shows those columns, in that order', async ({
  page,
  desk,
}) => {
  const columns = expectedColumns(desk.omniq.records('communications'));
  await addOmniqConnection(desk, { name: 'Acme' });
  const started = await desk.app.runner.start(
    desk.app.parseRecipe({
      version: 1,
      connection: 'Acme',
      provider: 'omniq',
      query: { index: 'communications' },
      output: { format: 'csv', columns: ['campaign', '_id'] },
    }),
  );
  await desk.app.runner.wait(started.id);
  await page.goto(`${desk.server.url}#/exports/${started.id}`);
  const grid = page.getByTestId('preview-grid');
  await expect(grid).toHaveAttribute('aria-rowcount', '2001');
  expect(await headerOrder(grid)).toEqual(['campaign', '_id']);
  await expect(page.getByRole('button', { name: /^Columns \(/ })).toHaveText(`Columns (2/${columns.length})`);
  await expect(page.getByText('Columns: 2 as arranged in the preview')).toBeVisible();
});

test('the Recipes page, with a recipe and a file that is not one, passes axe', async ({ browser, desk }) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  await mkdir(desk.app.paths.recipes, { recursive: true });
  await writeFile(
    path.join(desk.app.paths.recipes, 'weekly.recipe.json'),
    JSON.stringify({
      version: 1,
      name: 'Weekly agents',
      connection: 'Acme',
      provider: 'omniq',
      query: { index: 'agents' },
    }),
  );
  await writeFile(path.join(desk.app.paths.recipes, 'notes.json'), '{"version": 2}');
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    await openDesk(page, desk);
    await goTo(page, 'Recipes');
    await expect(page.getByRole('row', { name: /Weekly agents/ })).toBeVisible();
    await expect(page.getByRole('row', { name: /notes\.json/ })).toContainText(
      'notes.json is not a recipe Export Desk can run',
    );
    const problems = describe('recipes', await axe(page));
    await screen(page, 'recipes');
    expect(problems, `axe found violations:\n${problems.join('\n')}`).toEqual([]);
  } finally {
    await context.close();
  }
});
