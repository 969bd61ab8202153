/**
 * Connections an analyst can trust: deleting one says what happens to the exports that use it, and a
 * retry after that says what to do in the window's words; test results say when they were made.
 */
import { expect, test } from './fixtures.ts';
import { addOmniqConnection, finishedExport, go, openDesk } from './helpers.ts';

test.use({ omniqOptions: { counts: { communications: 40 } } });

test('deleting a connection used by exports says so, and their Retry says what to do', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  await finishedExport(desk, 'Acme');
  await finishedExport(desk, 'Acme');
  await openDesk(page, desk);
  await go(page, 'Connections');

  await page.getByRole('button', { name: 'Delete Acme' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete connection?' });
  await expect(dialog).toContainText('2 exports use “Acme”');
  await expect(dialog).toContainText('Retry');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('No connections yet')).toBeVisible();

  await go(page, 'Exports');
  await page
    .getByRole('button', { name: /^Retry / })
    .first()
    .click();
  const alert = page.getByRole('alert').filter({ hasText: 'deleted' });
  await expect(alert).toHaveText(
    'The connection “Acme” was deleted. Add it again under Connections (named “Acme”), then Retry.',
  );
  await expect(page.getByText(/exportdesk/)).toHaveCount(0);
});
