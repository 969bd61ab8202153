/**
 * Connections: add one through the form (its API key going to the secret store only), test it against the
 * simulator, replace the key with a wrong one and see the test fail, then delete it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, screen, test } from './fixtures.ts';
import { go, openDesk, TENANT } from './helpers.ts';

const API_KEY = 'e2e-key-0f3a9c';
test.use({ omniqOptions: { apiKey: API_KEY } });

test('add a connection with an API key, test it, replace the key, delete it', async ({ page, desk }) => {
  await openDesk(page, desk);
  await go(page, 'Connections');
  await expect(page.getByText('No connections yet')).toBeVisible();
  await page.getByRole('button', { name: 'Add connection' }).click();

  const form = page.getByRole('form', { name: 'New connection' });
  await expect(form.getByLabel('Provider')).toHaveValue('omniq');
  // Submitting an empty form says what to fix instead of saving.
  await form.getByRole('button', { name: 'Save connection' }).click();
  await expect(form.getByText('Enter your tenant id (sent as x-tenant-id)')).toBeVisible();
  expect(await desk.app.connections.list()).toEqual([]);

  await form.getByLabel('Name').fill('Acme');
  await form.getByLabel('API address').fill(desk.omniq.url);
  await form.getByLabel('Tenant id').fill(TENANT);
  await form.getByLabel('API key (optional)').fill(API_KEY);
  await form.getByLabel('Records per page').fill('250');
  await screen(page, 'connections-form');
  await form.getByRole('button', { name: 'Save connection' }).click();

  const row = page.getByTestId('connection-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Acme');
  await expect(row).toContainText('API key stored');
  // The key went to the secret store, never to the data folder.
  const onDisk = await readFile(path.join(desk.dir, 'data', 'connections.json'), 'utf8');
  expect(onDisk).toContain(TENANT);
  expect(onDisk).not.toContain(API_KEY);

  await page.getByRole('button', { name: 'Test Acme' }).click();
  const result = row.getByTestId('connection-test-result');
  await expect(result).toContainText('Connection works');
  const asked = desk.omniq.requests.at(-1);
  expect(asked?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  expect(asked?.headers['x-tenant-id']).toBe(TENANT);
  await screen(page, 'connections');

  // A stored key is write-only: the form offers to replace it, never shows it.
  await page.getByRole('button', { name: 'Edit Acme' }).click();
  const secret = page.getByTestId('secret-field-apiKey');
  await expect(secret).toContainText('stored');
  await expect(page.locator(`input[value="${API_KEY}"]`)).toHaveCount(0);
  await secret.getByRole('button', { name: 'Replace API key (optional)' }).click();
  await secret.getByLabel('New API key (optional)').fill('not-the-key');
  // The key is replaced at once, not when the form is saved, and the field says so.
  await expect(secret).toContainText('Saved to the keychain at once');
  await secret.getByRole('button', { name: 'Save secret' }).click();
  await expect(secret.getByRole('button', { name: 'Replace API key (optional)' })).toBeVisible();
  await expect(secret.getByRole('status')).toHaveText('New API key saved to the keychain.');
  await screen(page, 'connections-edit');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();

  await page.getByRole('button', { name: 'Test Acme' }).click();
  await expect(result).toContainText('Connection failed');
  await expect(result).toContainText(
    'HTTP 401 Unauthorized. Check the tenant id and the API key of this connection.',
  );
  await expect(result).not.toContainText('Unauthorized: Unauthorized');
  expect(desk.omniq.requests.at(-1)?.status).toBe(401);
  await screen(page, 'connections-test-failed');

  await page.getByRole('button', { name: 'Delete Acme' }).click();
  await page
    .getByRole('dialog', { name: 'Delete connection?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(row).toHaveCount(0);
  await expect(page.getByText('No connections yet')).toBeVisible();
  expect(await desk.app.connections.list()).toEqual([]);
});
