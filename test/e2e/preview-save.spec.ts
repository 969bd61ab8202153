/**
 * The preview of a finished export and saving it: scrolling the virtualized grid to its last row, arranging
 * columns, and downloading CSV and JSON that match the records the vendor holds, in the arranged order.
 */
import { parse } from 'csv-parse/sync';
import type { Locator, Page } from '@playwright/test';
import { expectedColumns, expectedCsv, expectedJson } from '../helpers/expected-output.ts';
import { expect, screen, test } from './fixtures.ts';
import {
  addOmniqConnection,
  download,
  finishedExport,
  go,
  jobDetail,
  omniqExport,
  openDesk,
} from './helpers.ts';

/** The cell of a column in a data row (1-based, as the grid numbers them). */
async function cell(grid: Locator, row: number, column: string): Promise<Locator> {
  const col = await grid
    .locator(`[role="columnheader"][data-column="${column}"]`)
    .getAttribute('aria-colindex');
  expect(col).toBeTruthy();
  return grid.locator(`[role="row"][data-row="${row}"] [role="gridcell"][aria-colindex="${col}"]`);
}

async function headerOrder(grid: Locator): Promise<string[]> {
  return grid
    .locator('[role="columnheader"][data-column]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-column') ?? ''));
}

async function openOnlyExport(page: Page): Promise<Locator> {
  await go(page, 'Exports');
  await page.getByRole('button', { name: 'Open OmniQ communications 2025-01-01–2025-12-31' }).click();
  await expect(jobDetail(page, 'ready')).toBeVisible();
  const grid = page.getByTestId('preview-grid');
  await expect(grid).toHaveAttribute('aria-rowcount', '2001');
  return grid;
}

test('scrolls the preview to the last row, by button and by wheel', async ({ page, desk }) => {
  const records = desk.omniq.records('communications');
  await finishedExport(desk, (await addOmniqConnection(desk)).name);
  await openDesk(page, desk);
  const grid = await openOnlyExport(page);
  const idOf = (n: number) => String(records[n - 1]?._id);

  await expect(await cell(grid, 1, '_id')).toHaveText(idOf(1));
  await page.getByRole('button', { name: 'Go to last row' }).click();
  await expect(await cell(grid, 2000, '_id')).toHaveText(idOf(2000));
  await expect(grid.locator('[role="row"][data-row="2000"]')).toHaveAttribute('aria-rowindex', '2001');
  // Wholly on screen in a 1280x800 window (top to bottom: the row is wider than the grid), and so is the
  // button that saves the rows.
  const lastRow = await grid.locator('[role="row"][data-row="2000"]').boundingBox();
  const gridBox = await grid.boundingBox();
  expect(lastRow && gridBox).toBeTruthy();
  if (lastRow && gridBox) {
    expect(lastRow.y + lastRow.height).toBeLessThanOrEqual(gridBox.y + gridBox.height);
    expect(gridBox.y + gridBox.height).toBeLessThanOrEqual(page.viewportSize()?.height ?? 0);
  }
  await expect(page.getByRole('button', { name: 'Download CSV' })).toBeInViewport({ ratio: 1 });
  await screen(page, 'job-detail-last-row');
  await page.getByRole('button', { name: 'Go to first row' }).click();
  await expect(await cell(grid, 1, '_id')).toHaveText(idOf(1));

  // The wheel, as a user scrolls: halfway first (rows fetched on the way), then to the very end.
  await grid.hover();
  await page.mouse.wheel(0, 30 * 1000);
  await expect.poll(() => grid.evaluate((el) => el.scrollTop)).toBeGreaterThan(20_000);
  await expect(grid.locator('[role="row"][aria-busy="true"]')).toHaveCount(0);
  const middle = Number(await grid.locator('[role="row"][data-row]').nth(15).getAttribute('data-row'));
  expect(middle).toBeGreaterThan(600);
  expect(middle).toBeLessThan(2000);
  await expect(await cell(grid, middle, '_id')).toHaveText(idOf(middle));

  await page.mouse.wheel(0, 200_000);
  await expect(await cell(grid, 2000, '_id')).toHaveText(idOf(2000));
  await expect(grid.locator('[role="row"][data-row="2000"]')).toBeInViewport();
  expect(
    await grid.evaluate((el) => Math.abs(el.scrollHeight - el.clientHeight - el.scrollTop)),
  ).toBeLessThan(2);
});

test('downloads CSV and JSON equal to the records, then CSV in the arranged column order', async ({
  page,
  desk,
}) => {
  const records = desk.omniq.records('communications');
  await finishedExport(desk, (await addOmniqConnection(desk)).name);
  await openDesk(page, desk);
  const grid = await openOnlyExport(page);
  const columns = expectedColumns(records);
  // Only the columns in view are rendered; those are the first ones, in first-seen order.
  const shown = await headerOrder(grid);
  expect(shown).toEqual(columns.slice(0, shown.length));

  const csv = await download(page, 'Download CSV');
  expect(csv.name).toBe(await page.getByTestId('save-file-name').textContent());
  expect(csv.name).toMatch(/\.csv$/);
  expect(csv.text).toBe(expectedCsv(records));
  await expect(page.getByTestId('save-result')).toContainText(`Your browser is downloading ${csv.name}`);

  const jsonRadio = page.getByRole('radio', { name: 'JSON', exact: true });
  await jsonRadio.check();
  // The chosen format says what its file is.
  await expect(jsonRadio).toHaveAccessibleDescription('An array of rows.');
  const json = await download(page, 'Download JSON');
  expect(json.name).toMatch(/\.json$/);
  expect(json.text).toBe(expectedJson(records));

  // Arrange: campaign one to the left, scid hidden, _id a little wider.
  await grid.getByRole('button', { name: 'Move column campaign left' }).click();
  expect((await headerOrder(grid)).slice(0, 3)).toEqual(['_id', 'campaign', 'botModule']);
  await page.getByRole('button', { name: /^Columns \(/ }).click();
  await page.getByRole('checkbox', { name: 'Show column scid' }).uncheck();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: /^Columns \(/ })).toHaveText(
    `Columns (${columns.length - 1}/${columns.length})`,
  );
  await expect(grid.locator('[data-column="scid"]')).toHaveCount(0);
  const resize = grid.getByRole('separator', { name: 'Resize column _id' });
  const before = Number(await resize.getAttribute('aria-valuenow'));
  await resize.focus();
  await page.keyboard.press('ArrowRight');
  await expect(resize).toHaveAttribute('aria-valuenow', String(before + 20));
  await screen(page, 'job-detail-arranged');

  await page.getByRole('radio', { name: 'CSV', exact: true }).check();
  await expect(page.getByText(`Columns: ${columns.length - 1} as arranged in the preview`)).toBeVisible();
  const arranged = await download(page, 'Download CSV');
  const order = [
    '_id',
    'campaign',
    'botModule',
    ...columns.filter((c) => !['_id', 'campaign', 'botModule', 'scid'].includes(c)),
  ];
  const [expectedHeader, ...expectedRows] = parse(expectedCsv(records)) as string[][];
  const at = order.map((c) => (expectedHeader ?? []).indexOf(c));
  const [header, ...rows] = parse(arranged.text) as string[][];
  expect(header).toEqual(order);
  expect(rows).toHaveLength(2000);
  expect(rows).toEqual(expectedRows.map((r) => at.map((i) => r[i])));
});

test('in a 1024×700 window the Save panel shows the Excel preset without scrolling, and its button', async ({
  page,
  desk,
}) => {
  await finishedExport(desk, (await addOmniqConnection(desk)).name);
  await openDesk(page, desk);
  await openOnlyExport(page);
  await page.setViewportSize({ width: 1024, height: 700 });
  const save = page.getByRole('region', { name: 'Save' });
  await expect(save.getByRole('button', { name: 'Excel preset' })).toBeInViewport({ ratio: 1 });
  await expect(save.getByRole('button', { name: 'Download CSV' })).toBeInViewport({ ratio: 1 });
  // The options below it scroll inside the panel; the last of them is reached by scrolling there.
  const header = save.getByRole('switch', { name: 'Header row' });
  await header.scrollIntoViewIfNeeded();
  await expect(header).toBeInViewport();
  await expect(save.getByRole('button', { name: 'Download CSV' })).toBeInViewport({ ratio: 1 });
});

test('an export the vendor answered with no rows says so instead of an empty table', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  await omniqExport(desk, 'Acme', { index: 'communications', filterBy: { platform: 'carrier-pigeon' } });
  await openDesk(page, desk);
  await go(page, 'Exports');
  await page.getByRole('button', { name: /^Open OmniQ communications/ }).click();
  await expect(jobDetail(page, 'ready')).toBeVisible();
  await expect(page.getByTestId('preview-empty')).toContainText('The vendor returned no rows for this query');
  await expect(page.getByTestId('preview-grid')).toHaveCount(0);
});
