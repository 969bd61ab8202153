/**
 * Sorting and filtering the preview as an analyst checks an export before saving it: "the rows where the
 * agent is Zed", "the longest call first". Both cover every row of the export, not the rows the window
 * happens to have loaded, and the row numbers stay those of the export.
 */
import type { Locator, Page } from '@playwright/test';
import type { Row } from '../../shared/records.ts';
import { writeReadyExport } from '../helpers/ready-export.ts';
import { axe, describe } from './axe.ts';
import { expect, screen, test } from './fixtures.ts';
import { go, openDesk } from './helpers.ts';

const TOTAL = 20_000;
/** The rows whose agent is Zed: one in the first block the window loads, the others far beyond it. */
const ZED_ROWS = [5, 12_345, 19_999];
/** The longest call, far from the first rows. */
const LONGEST = { row: 17_777, seconds: 99_999 };

function call(n: number): Row {
  return {
    n,
    agent: ZED_ROWS.includes(n) ? `Zed ${n}` : `Agent ${n % 50}`,
    queue: n % 2 ? 'Sales' : 'Support',
    // Made-up durations, all shorter than the longest; a few calls have none.
    duration: n === LONGEST.row ? LONGEST.seconds : n % 97 === 0 ? null : (n * 7919) % 5000,
  };
}

async function openExport(page: Page, jobId: string): Promise<void> {
  await go(page, 'Exports');
  await page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`).getByRole('button').first().click();
}

/** The numbers the frozen column shows for the rows rendered, from the top. */
async function rowNumbers(grid: Locator): Promise<string[]> {
  return grid.locator('.ed-grid-numbers .ed-grid-rownum').allTextContents();
}

/** The texts of a column in the rows rendered, from the top. */
async function columnTexts(grid: Locator, column: string): Promise<string[]> {
  const col = await grid
    .locator(`[role="columnheader"][data-column="${column}"]`)
    .getAttribute('aria-colindex');
  return grid.locator(`[role="row"][data-row] [role="gridcell"][aria-colindex="${col}"]`).allTextContents();
}

test('the quick filter and a column’s sort cover every row of the export, and clearing them restores it', async ({
  page,
  desk,
}) => {
  const id = await writeReadyExport(desk.app, { name: 'Calls', rows: TOTAL, row: call });
  await openDesk(page, desk);
  await openExport(page, id);
  const grid = page.getByTestId('preview-grid');
  await expect(grid).toHaveAttribute('aria-rowcount', String(TOTAL + 1));
  const status = page.getByTestId('preview-row-count');
  await expect(status).toHaveText(`${TOTAL.toLocaleString('en-US')} rows`);

  // Filter: the three Zed rows, wherever they are in the export, with their own row numbers.
  const filter = page.getByRole('textbox', { name: 'Filter rows' });
  await filter.fill('zed');
  await expect(status).toHaveText(`3 of ${TOTAL.toLocaleString('en-US')} rows match`);
  await expect(grid).toHaveAttribute('aria-rowcount', '4');
  await expect.poll(() => rowNumbers(grid)).toEqual(['5', '12,345', '19,999']);
  await expect.poll(() => columnTexts(grid, 'agent')).toEqual(['Zed 5', 'Zed 12345', 'Zed 19999']);
  // The export's own count is unchanged, and saving is said to write every row.
  await expect(page.getByTestId('job-rows')).toHaveText(TOTAL.toLocaleString('en-US'));
  await expect(page.getByTestId('save-rows-note')).toHaveText(
    /saving writes all rows in their original order/,
  );
  await screen(page, 'preview-filtered');

  // The inspector names the row by its number in the export.
  const cell = grid.locator('[role="row"][data-row="2"] [role="gridcell"]').first();
  await cell.dblclick();
  await expect(page.getByRole('dialog', { name: /^Row 12,345, column / })).toBeVisible();
  await page.keyboard.press('Escape');

  // One column only: "Sales" is a queue, not in any agent's name.
  await page.getByRole('combobox', { name: 'Columns to filter' }).selectOption('agent');
  await filter.fill('sales');
  await expect(status).toHaveText(`0 of ${TOTAL.toLocaleString('en-US')} rows match`);
  await page.getByRole('combobox', { name: 'Columns to filter' }).selectOption('queue');
  await expect(status).toHaveText(
    `${(TOTAL / 2).toLocaleString('en-US')} of ${TOTAL.toLocaleString('en-US')} rows match`,
  );

  // Escape clears the filter: every row again, in the export's order.
  await filter.focus();
  await page.keyboard.press('Escape');
  await expect(filter).toHaveValue('');
  await expect(grid).toHaveAttribute('aria-rowcount', String(TOTAL + 1));
  await expect.poll(async () => (await rowNumbers(grid)).slice(0, 3)).toEqual(['1', '2', '3']);

  // Sort: a click on the title sorts ascending, a second descending: the longest call of all comes first.
  const header = grid.locator('[role="columnheader"][data-column="duration"]');
  const sortButton = header.getByRole('button', { name: 'duration', exact: true });
  await sortButton.click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => (await columnTexts(grid, 'duration'))[0]).toBe('0');
  await sortButton.click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(header.getByTestId('sort-arrow')).toHaveText('▼');
  await expect.poll(async () => (await columnTexts(grid, 'duration'))[0]).toBe(String(LONGEST.seconds));
  await expect.poll(async () => (await rowNumbers(grid))[0]).toBe(LONGEST.row.toLocaleString('en-US'));
  await expect(status).toHaveText(`${TOTAL.toLocaleString('en-US')} rows, sorted by duration`);
  // Calls without a duration are last, also in descending order.
  await page.getByRole('button', { name: 'Go to last row' }).click();
  await expect.poll(async () => (await columnTexts(grid, 'duration')).at(-1)).toBe('');
  await expect.poll(async () => (await rowNumbers(grid)).at(-1)).toBe((97 * 206).toLocaleString('en-US'));
  await screen(page, 'preview-sorted');

  // A filter and the sort together, over every column again.
  await page.getByRole('combobox', { name: 'Columns to filter' }).selectOption({ label: 'All columns' });
  await filter.fill('zed');
  await expect(status).toHaveText(`3 of ${TOTAL.toLocaleString('en-US')} rows match`);
  const durations = [5, 12_345, 19_999].map((n) => (n * 7919) % 5000).sort((a, b) => b - a);
  await expect.poll(() => columnTexts(grid, 'duration')).toEqual(durations.map(String));

  // The third press (Enter on the focused title) gives the export's order back.
  await sortButton.focus();
  await page.keyboard.press('Enter');
  await expect(header).not.toHaveAttribute('aria-sort');
  await expect(header.getByTestId('sort-arrow')).toHaveCount(0);
  await expect.poll(() => rowNumbers(grid)).toEqual(['5', '12,345', '19,999']);
  await page.getByRole('button', { name: 'Clear the filter' }).click();
  await expect(grid).toHaveAttribute('aria-rowcount', String(TOTAL + 1));
  await expect(status).toHaveText(`${TOTAL.toLocaleString('en-US')} rows`);
  await expect(page.getByTestId('save-rows-note')).toBeHidden();
  await expect.poll(async () => (await rowNumbers(grid)).slice(0, 3)).toEqual(['1', '2', '3']);
  await expect.poll(async () => (await columnTexts(grid, 'n')).slice(0, 3)).toEqual(['1', '2', '3']);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a filtered and sorted preview passes axe in the ${scheme} theme`, async ({ browser, desk }) => {
    const id = await writeReadyExport(desk.app, { name: 'Calls', rows: 500, row: call });
    // The page's CSP forbids injected scripts: this context bypasses it to load axe.
    const context = await browser.newContext({ bypassCSP: true, colorScheme: scheme });
    const page = await context.newPage();
    try {
      await openDesk(page, desk);
      await openExport(page, id);
      const grid = page.getByTestId('preview-grid');
      await page.getByRole('textbox', { name: 'Filter rows' }).fill('sales');
      await expect(page.getByTestId('preview-row-count')).toHaveText('250 of 500 rows match');
      const header = grid.locator('[role="columnheader"][data-column="duration"]');
      await header.getByRole('button', { name: 'duration', exact: true }).click();
      await expect(header).toHaveAttribute('aria-sort', 'ascending');
      await expect(grid.locator('[role="row"][aria-busy="true"]')).toHaveCount(0);
      expect(describe(`preview-sorted-filtered-${scheme}`, await axe(page))).toEqual([]);
    } finally {
      await context.close();
    }
  });
}
