/**
 * Settings: what the installation uses (data folder, keychain), validated network settings, default CSV
 * options that the next export's file follows, and a theme applied once saved.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../shared/api.ts';
import { expectedCsv } from '../helpers/expected-output.ts';
import { expect, screen, test } from './fixtures.ts';
import { addOmniqConnection, download, go, jobDetail, openDesk, startExportThroughUi } from './helpers.ts';

// A locale writing 1,5: the Excel preset then separates fields with ';'.
test.use({ locale: 'de-DE', omniqOptions: { counts: { communications: 120 } } });

test('settings are validated, saved, and used by the next export', async ({ page, desk }) => {
  const settings = async () => (await desk.app.handle('settings.get', {})) as Settings;
  await addOmniqConnection(desk, { name: 'Acme' });
  await openDesk(page, desk);
  await go(page, 'Settings');

  await expect(page.getByTestId('settings-data-dir')).toHaveText(path.join(desk.dir, 'data'));
  await expect(page.getByTestId('settings-keychain')).toHaveText('this session only');
  await expect(page.getByTestId('keychain-banner')).toContainText(
    'Secrets are kept for this run only (test).',
  );

  const proxy = page.getByLabel('Proxy');
  const save = page.getByRole('button', { name: 'Save settings' });
  await proxy.fill('proxy.example.com without a scheme');
  await expect(page.getByText('Enter a proxy address such as http://proxy.example.com:8080')).toBeVisible();
  await expect(save).toBeDisabled();
  await proxy.fill('');
  await expect(save).toBeEnabled();

  const ca = page.getByLabel('Extra CA certificate file');
  const notPem = path.join(desk.dir, 'not-a-cert.pem');
  await writeFile(notPem, 'hello\n');
  await ca.fill(notPem);
  await save.click();
  await expect(page.getByText(`Settings: ${notPem} holds no PEM certificate`)).toBeVisible();
  expect((await settings()).caFile).toBe('');
  await ca.fill('');

  await page.getByRole('button', { name: 'Excel preset' }).click();
  await expect(page.getByLabel('Delimiter')).toHaveValue(';');
  await expect(page.getByLabel('UTF-8 BOM (for Excel)')).toBeChecked();
  await save.click();
  await expect(page.getByText('Settings saved and in use.')).toBeVisible();
  expect((await settings()).defaultCsv).toMatchObject({ delimiter: ';', bom: true, formulaGuard: true });
  await screen(page, 'settings-saved');

  await page.getByLabel('Theme').selectOption('dark');
  await save.click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await expect.poll(async () => (await settings()).theme).toBe('dark');
  await screen(page, 'settings-dark');

  // The next export starts from the new defaults, and its file follows them.
  await startExportThroughUi(page, { connection: 'Acme', period: '' });
  await expect(jobDetail(page, 'ready')).toBeVisible();
  const saveSection = page.getByRole('region', { name: 'Save' });
  await expect(saveSection.getByLabel('Delimiter')).toHaveValue(';');
  await expect(saveSection.getByLabel('UTF-8 BOM (for Excel)')).toBeChecked();
  const csv = await download(page, 'Download CSV');
  expect(csv.text).toBe(expectedCsv(desk.omniq.records('communications'), { delimiter: ';', bom: true }));

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
});
