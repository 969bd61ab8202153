/**
 * The preview grid as an analyst reads it: it keeps most of the window, its row numbers and cells show
 * their whole value, its columns are easy to find, and every row of a very long export can be reached.
 */
import type { Locator, Page } from '@playwright/test';
import type { Row } from '../../shared/records.ts';
import { writeReadyExport } from '../helpers/ready-export.ts';
import { startMyreportsSimulator, WORKSPACES } from '../simulators/myreports.ts';
import { expect, screen, test, type Desk } from './fixtures.ts';
import { go, jobDetail, openDesk } from './helpers.ts';

async function height(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  expect(box).toBeTruthy();
  return box?.height ?? 0;
}

/** Opens the export shown in the Exports list with this id. */
async function openExport(page: Page, jobId: string): Promise<void> {
  await go(page, 'Exports');
  await page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`).getByRole('button').first().click();
}

/**
 * A finished export of `rows` small rows (`n` is the row's number, 1-based), written straight into the
 * desk's data folder as if it had been fetched: a million rows take a few seconds this way.
 */
function bigExport(
  desk: Desk,
  rows: number,
  make: (n: number) => Row = (n) => ({ n, text: `row ${n}` }),
  name = 'Many rows',
): Promise<string> {
  return writeReadyExport(desk.app, { name, rows, row: make });
}

/** A Xarios report the vendor cut at its row limit: the export has a warning and the report's totals. */
async function cappedReport(desk: Desk, sim: Awaited<ReturnType<typeof startMyreportsSimulator>>) {
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
  await desk.app.connections.setSecret(c.id, 'refreshToken', sim.issueTokens().refreshToken);
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
  const done = await desk.app.runner.wait(job.id);
  expect(done.state).toBe('ready');
  expect(done.warnings.length).toBeGreaterThan(0);
  expect(done.resultInfo?.summary?.length).toBeGreaterThan(0);
  return done;
}

test('warnings and report totals take one line each, with details on demand, and the preview keeps the height', async ({
  page,
  desk,
}) => {
  const sim = await startMyreportsSimulator({ requestRunMs: 0, cappedLimit: 30 });
  try {
    const job = await cappedReport(desk, sim);
    await openDesk(page, desk);
    await openExport(page, job.id);
    await expect(jobDetail(page, 'ready')).toBeVisible();
    await expect(page.getByTestId('preview-row-count')).toContainText('30 rows');

    const warnings = page.getByRole('region', { name: 'Warnings' });
    const totals = page.getByRole('region', { name: 'Report totals' });
    const warningDetails = warnings.getByRole('button', { name: 'Details of the warnings' });
    const totalsDetails = totals.getByRole('button', { name: 'Details of the report totals' });
    await expect(warningDetails).toHaveAttribute('aria-expanded', 'false');
    await expect(totalsDetails).toHaveAttribute('aria-expanded', 'false');
    // One line each: the warning's start is readable, the totals table waits behind its button.
    expect(await height(warnings)).toBeLessThanOrEqual(44);
    expect(await height(totals)).toBeLessThanOrEqual(44);
    await expect(warnings.getByTestId('job-warning')).toBeVisible();
    await expect(page.getByTestId('summary-table')).toBeHidden();
    // The whole view fits the 1280x800 window (it does not scroll) and the grid has what the status lines
    // leave: more than all of them (and the window's test-only keychain banner) together.
    const grid = page.getByTestId('preview-grid');
    const gridBox = await grid.boundingBox();
    const detailBox = await jobDetail(page).boundingBox();
    expect(gridBox && detailBox).toBeTruthy();
    if (gridBox && detailBox) {
      expect(gridBox.y + gridBox.height).toBeLessThanOrEqual(800);
      expect(gridBox.height).toBeGreaterThan(gridBox.y - detailBox.y);
    }

    await warningDetails.click();
    await expect(warningDetails).toHaveAttribute('aria-expanded', 'true');
    const warning = warnings.getByTestId('job-warning');
    await expect(warning).toContainText('narrow the dates');
    // Expanded, the warning is shown whole: it wraps instead of being cut off.
    expect(await warning.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await warningDetails.click();
    await expect(warningDetails).toHaveAttribute('aria-expanded', 'false');

    await totalsDetails.click();
    await expect(totalsDetails).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByTestId('summary-table')).toBeVisible();
    await expect(page.getByTestId('summary-table')).toContainText('duration');
    await totalsDetails.press('Enter');
    await expect(totalsDetails).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('summary-table')).toBeHidden();
  } finally {
    await sim.close();
  }
});

test('row numbers of seven digits are shown whole', async ({ page, desk }) => {
  const id = await bigExport(desk, 1_250_000);
  await openDesk(page, desk);
  await openExport(page, id);
  const grid = page.getByTestId('preview-grid');
  await expect(grid).toHaveAttribute('aria-rowcount', '1250001');
  await page.getByRole('button', { name: 'Go to last row' }).click();
  const numbers = grid.locator('.ed-grid-numbers .ed-grid-rownum');
  await expect(numbers.last()).toHaveText(/^1,\d{3},\d{3}$/);
  const clipped = await numbers.evaluateAll((els) =>
    els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent),
  );
  expect(clipped).toEqual([]);
  // The widest digits too: every number is as wide as any other of its length.
  await expect(numbers.last()).toHaveCSS('font-variant-numeric', 'tabular-nums');
});

/** The cell of a column in a data row (1-based, as the grid numbers them). */
async function cell(grid: Locator, row: number, column: string): Promise<Locator> {
  const col = await grid
    .locator(`[role="columnheader"][data-column="${column}"]`)
    .getAttribute('aria-colindex');
  expect(col).toBeTruthy();
  return grid.locator(`[role="row"][data-row="${row}"] [role="gridcell"][aria-colindex="${col}"]`);
}

const LONG_VALUE = `A note far longer than its column: ${'every word of it matters to the analyst, '.repeat(8)}end.`;

test('a cell’s whole value shows on hover and in the cell inspector, by mouse and by keyboard', async ({
  page,
  context,
  desk,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const id = await bigExport(desk, 30, (n) => ({
    n,
    note: n === 3 ? LONG_VALUE : `note ${n}`,
    // Twenty wide letters: too wide for the column although few.
    code: 'W'.repeat(20),
  }));
  await openDesk(page, desk);
  await openExport(page, id);
  const grid = page.getByTestId('preview-grid');
  await expect(grid).toHaveAttribute('aria-rowcount', '31');

  // Hover: whatever is cut off carries its whole value as a tooltip.
  await expect(await cell(grid, 3, 'note')).toHaveAttribute('title', LONG_VALUE);
  await expect(await cell(grid, 1, 'code')).toHaveAttribute('title', 'W'.repeat(20));

  // Double-click: the inspector names the row and column and shows the value whole, with Copy.
  await (await cell(grid, 3, 'note')).dblclick();
  const inspector = page.getByRole('dialog', { name: 'Row 3, column note' });
  await expect(inspector).toBeVisible();
  await expect(inspector.getByTestId('cell-value')).toHaveText(LONG_VALUE);
  await screen(page, 'preview-cell-inspector');
  await inspector.getByRole('button', { name: 'Copy value' }).click();
  await expect(inspector.getByRole('status')).toHaveText('Copied to the clipboard.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(LONG_VALUE);
  await page.keyboard.press('Escape');
  await expect(inspector).toBeHidden();

  // The focus is back on the grid, whose active cell is the one inspected.
  await expect(grid).toBeFocused();
  await expect(await cell(grid, 3, 'note')).toHaveAttribute('aria-selected', 'true');

  // Keyboard: the arrows move the active cell; Enter opens it, Escape closes it.
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(await cell(grid, 1, 'n')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  const active = await cell(grid, 3, 'note');
  await expect(active).toHaveAttribute('aria-selected', 'true');
  await expect(grid.locator('[aria-selected="true"]')).toHaveCount(1);
  await expect(grid).toHaveAttribute('aria-activedescendant', (await active.getAttribute('id')) ?? 'missing');
  await page.keyboard.press('Enter');
  await expect(inspector).toBeVisible();
  await expect(inspector.getByTestId('cell-value')).toHaveText(LONG_VALUE);
  await page.keyboard.press('Escape');
  await expect(inspector).toBeHidden();
  await expect(grid).toBeFocused();
  // Further down than the view shows: the grid scrolls to the active cell.
  for (let i = 0; i < 26; i++) await page.keyboard.press('ArrowDown');
  const last = await cell(grid, 29, 'note');
  await expect(last).toHaveAttribute('aria-selected', 'true');
  await expect(last).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('dialog', { name: 'Row 29, column note' }).getByTestId('cell-value'),
  ).toHaveText('note 29');
  await page.keyboard.press('Escape');
});

test('the Columns menu finds columns by name, and hides or shows all those it lists', async ({
  page,
  desk,
}) => {
  const id = await bigExport(desk, 10, (n) => ({
    id: n,
    agent: { name: `Agent ${n}`, team: 'Sales' },
    contact: { email: `user${n}@example.com`, phone: '+15550000000' },
    amount: n * 1.5,
  }));
  await openDesk(page, desk);
  await openExport(page, id);
  const grid = page.getByTestId('preview-grid');
  await expect(grid).toHaveAttribute('aria-rowcount', '11');
  const button = page.getByRole('button', { name: /^Columns \(/ });
  await expect(button).toHaveText('Columns (6/6)');
  await button.click();
  const list = page.getByRole('list', { name: 'Columns' });
  const search = page.getByRole('searchbox', { name: 'Find a column' });
  await expect(search).toBeFocused();

  await search.fill('AGENT');
  await expect(list.getByRole('checkbox')).toHaveCount(2);
  await expect(list.getByRole('checkbox', { name: 'Show column agent.name' })).toBeVisible();
  await expect(list.getByRole('checkbox', { name: 'Show column agent.team' })).toBeVisible();
  // Hide all hides the columns listed, and only those.
  await page.getByRole('button', { name: 'Hide all' }).click();
  await expect(button).toHaveText('Columns (4/6)');
  await expect(list.getByRole('checkbox', { name: 'Show column agent.name' })).not.toBeChecked();

  await search.fill('nothing like it');
  await expect(list.getByRole('checkbox')).toHaveCount(0);
  await expect(page.getByText('No column matches “nothing like it”.')).toBeVisible();

  await search.fill('');
  await expect(list.getByRole('checkbox')).toHaveCount(6);
  await page.getByRole('button', { name: 'Hide all' }).click();
  await expect(button).toHaveText('Columns (0/6)');
  await expect(grid.locator('[role="columnheader"][data-column]')).toHaveCount(0);
  await page.getByRole('button', { name: 'Show all' }).click();
  await expect(button).toHaveText('Columns (6/6)');
  await page.keyboard.press('Escape');
  await expect(grid.locator('[role="columnheader"][data-column="agent.name"]')).toBeVisible();
});

test('every row of an export past 1.1 million rows can be scrolled to, the last one included', async ({
  page,
  desk,
}) => {
  const total = 1_250_000;
  const id = await bigExport(desk, total);
  await openDesk(page, desk);
  await openExport(page, id);
  const grid = page.getByTestId('preview-grid');
  await expect(grid).toHaveAttribute('aria-rowcount', String(total + 1));
  // The content stays under the browser's height limit, rows keep their height.
  expect(await grid.evaluate((el) => el.scrollHeight)).toBeLessThan(33_000_000);

  await page.getByRole('button', { name: 'Go to last row' }).click();
  const last = await cell(grid, total, 'n');
  await expect(last).toHaveText(String(total));
  await expect(last).toBeInViewport();
  await expect(grid.locator('.ed-grid-numbers .ed-grid-rownum').last()).toHaveText('1,250,000');
  expect((await last.boundingBox())?.height).toBe(30);
  await screen(page, 'preview-last-of-many-rows');

  // Halfway down the scrollbar is halfway through the rows.
  await grid.evaluate((el) => {
    el.scrollTop = (el.scrollHeight - el.clientHeight) / 2;
  });
  // The rows follow on the next frame after the scroll event, not at once.
  const shownRow = async () =>
    Number(await grid.locator('[role="row"][data-row]').nth(5).getAttribute('data-row'));
  await expect.poll(async () => Math.abs((await shownRow()) - total / 2)).toBeLessThan(50);
  await expect(grid.locator('[role="row"][aria-busy="true"]')).toHaveCount(0);
  const middle = await shownRow();
  await expect(await cell(grid, middle, 'n')).toHaveText(String(middle));
  await screen(page, 'preview-middle-of-many-rows');

  // The wheel reaches the very end too, and the keyboard moves row by row from there.
  await grid.hover();
  await page.mouse.wheel(0, 40_000_000);
  await expect(await cell(grid, total, 'n')).toBeInViewport();
  await (await cell(grid, total, 'n')).click();
  await page.keyboard.press('ArrowUp');
  await expect(await cell(grid, total - 1, 'n')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+Home');
  await expect(await cell(grid, 1, 'n')).toBeInViewport();
  await expect(await cell(grid, 1, 'n')).toHaveAttribute('aria-selected', 'true');
});
