/**
 * Settings: what the installation uses (data folder, keychain), validated network settings, default CSV
 * options that the next export's file follows, and a theme applied once saved.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../shared/api.ts';
import { expectedCsv } from '../helpers/expected-output.ts';
import { createTestCa } from '../integration/http/tls-fixture.ts';
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

test('the CA file is chosen with a file picker, checked, and kept for the settings', async ({
  page,
  desk,
}) => {
  const settings = async () => (await desk.app.handle('settings.get', {})) as Settings;
  const ca = await createTestCa();
  try {
    await openDesk(page, desk);
    await go(page, 'Settings');
    const choose = async (file: string) => {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Choose CA file…' }).click(),
      ]);
      await chooser.setFiles(file);
    };
    const field = page.getByLabel('Extra CA certificate file');

    // A file that is not a certificate is refused in words that say what to choose.
    const notPem = path.join(desk.dir, 'notes.txt');
    await writeFile(notPem, 'hello\n');
    await choose(notPem);
    await expect(
      page.getByText('notes.txt holds no PEM certificate: choose a file that starts with'),
    ).toBeVisible();
    await expect(field).toHaveValue('');
    // One whose certificate is cut short is refused too.
    const damaged = path.join(desk.dir, 'damaged.pem');
    const pem = await readFile(ca.caFile, 'utf8');
    await writeFile(damaged, pem.replace(/\n[A-Za-z0-9+/]{20,}\n/, '\nAAAA\n'));
    await choose(damaged);
    await expect(page.getByText('Certificate 1 of 1 in damaged.pem is damaged')).toBeVisible();

    await choose(ca.caFile);
    const kept = path.join(desk.dir, 'data', 'certificates', 'ca.pem');
    await expect(field).toHaveValue(kept);
    await expect(page.getByTestId('settings-ca-file-chosen')).toHaveText(
      'ca.pem is checked and kept in the data folder. Save settings to use it.',
    );
    expect(await readFile(kept, 'utf8')).toBe(pem);
    // Chosen, not yet in use: Save settings makes it so.
    expect((await settings()).caFile).toBe('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved and in use.')).toBeVisible();
    expect((await settings()).caFile).toBe(kept);
  } finally {
    await ca.cleanup();
  }
});
