/**
 * Saving an Excel workbook from the window: the format is offered in Save, the download is a workbook
 * whose cells hold the records' values, typed, in the columns as arranged in the preview.
 */
import { parse } from 'csv-parse/sync';
import readXlsxFile from 'read-excel-file/node';
import { expectedCsv } from '../helpers/expected-output.ts';
import { expectWorkbookLikeCsvText } from '../helpers/workbook-readback.ts';
import { expect, test } from './fixtures.ts';
import { addOmniqConnection, finishedExport, go, jobDetail, openDesk } from './helpers.ts';

test('downloads an Excel workbook of the records, typed, in the arranged columns', async ({ page, desk }) => {
  const records = desk.omniq.records('communications');
  await finishedExport(desk, (await addOmniqConnection(desk)).name);
  await openDesk(page, desk);
  await go(page, 'Exports');
  await page.getByRole('button', { name: 'Open OmniQ communications 2025-01-01–2025-12-31' }).click();
  await expect(jobDetail(page, 'ready')).toBeVisible();
  const grid = page.getByTestId('preview-grid');
  await expect(grid).toHaveAttribute('aria-rowcount', '2001');

  // Arrange: scid hidden.
  await page.getByRole('button', { name: /^Columns \(/ }).click();
  await page.getByRole('checkbox', { name: 'Show column scid' }).uncheck();
  await page.keyboard.press('Escape');
  await expect(grid.locator('[data-column="scid"]')).toHaveCount(0);

  const radio = page.getByRole('radio', { name: 'Excel workbook', exact: true });
  await radio.check();
  await expect(radio).toHaveAccessibleDescription('Typed cells, IDs as text.');
  await expect(page.getByTestId('save-file-name')).toHaveText(/\.xlsx$/);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download XLSX', exact: true }).click(),
  ]);
  expect(await file.failure()).toBeNull();
  expect(file.suggestedFilename()).toBe(await page.getByTestId('save-file-name').textContent());
  await expect(page.getByTestId('save-result')).toContainText(
    `Your browser is downloading ${file.suggestedFilename()}`,
  );
  // 2,000 rows fit one sheet: nothing to say about further sheets.
  await expect(page.getByTestId('save-notice')).toHaveCount(0);

  const path = await file.path();
  const sheets = await readXlsxFile(path, { trim: false });
  expect(sheets.map((s) => s.sheet)).toEqual(['communications']);
  // The CSV of the records without the hidden column: what every cell must hold.
  const [header = [], ...rows] = parse(expectedCsv(records)) as string[][];
  const keep = header.map((_, i) => i).filter((i) => header[i] !== 'scid');
  const csvOf = (cells: string[]): string =>
    cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
  const expected = [header, ...rows].map((r) => csvOf(keep.map((i) => r[i] ?? ''))).join('\r\n');
  const counts = await expectWorkbookLikeCsvText(path, expected);
  expect(counts.number).toBeGreaterThan(0);
  expect(counts.date).toBeGreaterThan(0);
  expect(counts.text).toBeGreaterThan(0);
});
