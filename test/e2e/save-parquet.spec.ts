/**
 * Saving Parquet from the window: the format offered in the Save panel, the file downloaded with the
 * columns as arranged in the preview, and read back with DuckDB, value for value the CSV download of the
 * same arrangement, with typed columns.
 */
import { writeFile } from 'node:fs/promises';
import { compareParquetWithCsv } from '../helpers/parquet-vs-csv.ts';
import { expect, test } from './fixtures.ts';
import { addOmniqConnection, download, finishedExport, go, jobDetail, openDesk } from './helpers.ts';

test('downloads a Parquet file of the arranged columns that DuckDB reads as the CSV download', async ({
  page,
  desk,
}, testInfo) => {
  await finishedExport(desk, (await addOmniqConnection(desk)).name);
  await openDesk(page, desk);
  await go(page, 'Exports');
  await page.getByRole('button', { name: 'Open OmniQ communications 2025-01-01–2025-12-31' }).click();
  await expect(jobDetail(page, 'ready')).toBeVisible();
  const grid = page.getByTestId('preview-grid');
  await expect(grid).toHaveAttribute('aria-rowcount', '2001');

  // Arranged: campaign one to the left, scid hidden.
  await grid.getByRole('button', { name: 'Move column campaign left' }).click();
  await page.getByRole('button', { name: /^Columns \(/ }).click();
  await page.getByRole('checkbox', { name: 'Show column scid' }).uncheck();
  await page.keyboard.press('Escape');
  await expect(grid.locator('[data-column="scid"]')).toHaveCount(0);

  const csv = await download(page, 'Download CSV');
  const csvFile = testInfo.outputPath('arranged.csv');
  await writeFile(csvFile, csv.text);

  await page.getByRole('radio', { name: 'Parquet (typed columns)', exact: true }).check();
  await expect(page.getByTestId('save-file-name')).toHaveText(/\.parquet$/);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download Parquet', exact: true }).click(),
  ]);
  expect(await file.failure()).toBeNull();
  expect(file.suggestedFilename()).toBe(await page.getByTestId('save-file-name').textContent());
  const parquetFile = testInfo.outputPath(file.suggestedFilename());
  await file.saveAs(parquetFile);

  const compared = await compareParquetWithCsv(parquetFile, csvFile);
  expect(compared.mismatches).toEqual([]);
  expect(compared.rows).toBe(2000);
  expect(compared.columns.slice(0, 3)).toEqual(['_id', 'campaign', 'botModule']);
  expect(compared.columns).not.toContain('scid');
  expect(compared.types).toEqual({
    __v: 'BIGINT',
    _id: 'VARCHAR',
    agentTotalTime: 'BIGINT',
    bot: 'VARCHAR',
    botModule: 'VARCHAR',
    botStartedAt: 'TIMESTAMP WITH TIME ZONE',
    botTotalTime: 'DOUBLE',
    campaign: 'VARCHAR',
    client: 'VARCHAR',
    createdAt: 'TIMESTAMP WITH TIME ZONE',
    externalRef: 'BIGINT',
    instance: 'VARCHAR',
    isNewClient: 'BOOLEAN',
    platform: 'VARCHAR',
    poolTotalTime: 'BIGINT',
    step: 'VARCHAR',
    tenantId: 'VARCHAR',
    tenantIdKey: 'VARCHAR',
    updatedAt: 'TIMESTAMP WITH TIME ZONE',
    'workflow.attrs.clientFromTemplate': 'BOOLEAN',
    'workflow.attrs.contact.email': 'VARCHAR',
    'workflow.attrs.contact.firstName': 'VARCHAR',
    'workflow.attrs.contact.number1': 'VARCHAR',
    'workflow.attrs.contact.question': 'VARCHAR',
    'workflow.attrs.templateId': 'VARCHAR',
  });
});
