/**
 * The shape of the data before the file is saved: rows per day of the export's date column, with a day the
 * vendor sent nothing for shown and named, and each column's profile from its header.
 */
import { expect, test } from './fixtures.ts';
import { addOmniqConnection, go, omniqExport, openDesk } from './helpers.ts';

const MAY = { start: Date.UTC(2025, 4, 1), end: Date.UTC(2025, 4, 6) };

test.use({
  omniqOptions: { counts: { communications: 2_000 }, period: MAY, skipDays: ['2025-05-03'] },
});

test('an export whose vendor data lacks a day charts its rows per day and names the missing day', async ({
  page,
  desk,
}) => {
  const acme = await addOmniqConnection(desk, { name: 'Acme' });
  const done = await omniqExport(desk, acme.name, {
    index: 'communications',
    filterBy: { createdAt: { from: '2025-05-01T00:00:00.000Z', to: '2025-05-05T23:59:59.999Z' } },
  });
  const records = desk.omniq.records('communications');
  expect(done.counters.rows).toBe(records.length);

  await openDesk(page, desk);
  await go(page, 'Exports');
  await page.locator(`[data-testid="job-row"][data-job-id="${done.id}"]`).getByRole('button').first().click();
  await expect(page.getByTestId('preview-grid')).toBeVisible();

  const chart = page.getByRole('img', { name: /^Rows per day of createdAt/ });
  await expect(chart).toHaveAttribute('aria-label', /2025-05-01 to 2025-05-05: .* No rows on 2025-05-03\.$/);
  // Five days drawn, the third as a gap.
  await expect(chart.locator('rect')).toHaveCount(5);
  await expect(chart.locator('rect[data-gap]')).toHaveAttribute('data-gap', '2025-05-03');
  await expect(page.getByTestId('rows-over-time-gaps')).toHaveText('No rows on 2025-05-03.');

  // The header's profile of the date column: its kind and its earliest and latest values.
  const created = records.map((r) => String(r.createdAt)).sort();
  await page.getByRole('button', { name: 'Profile of column createdAt' }).click();
  const profile = page.getByRole('dialog', { name: /createdAt/ });
  await expect(profile).toBeVisible();
  await expect(profile.locator('dt')).toHaveText([
    'Type',
    'Empty cells',
    'Distinct values',
    'Earliest',
    'Latest',
  ]);
  await expect(profile.locator('dd')).toHaveText([
    'Date and time',
    `0 of ${records.length.toLocaleString('en-US')}`,
    new Set(created).size.toLocaleString('en-US'),
    created[0] as string,
    created.at(-1) as string,
  ]);
  await page.keyboard.press('Escape');
  await expect(profile).toBeHidden();
  await expect(page.getByRole('button', { name: 'Profile of column createdAt' })).toBeFocused();
});
