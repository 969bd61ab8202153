/**
 * A secret given in the environment (EXPORTDESK_SECRET_<CONNECTION>_<FIELD>, for machines with no keychain)
 * is used by the window too: the connection says where its key comes from, and testing it works.
 */
import { expect, test } from './fixtures.ts';
import { go, openDesk, TENANT } from './helpers.ts';

const API_KEY = 'e2e-env-key-91b4d2';
const VAR = 'EXPORTDESK_SECRET_ACME_EU_APIKEY';
test.use({ omniqOptions: { apiKey: API_KEY }, appEnv: { [VAR]: API_KEY } });

test('a connection whose key is only in the environment shows so and works', async ({ page, desk }) => {
  await desk.app.connections.save({
    name: 'acme-eu',
    provider: 'omniq',
    settings: { baseUrl: desk.omniq.url, tenantId: TENANT },
  });
  await openDesk(page, desk);
  await go(page, 'Connections');
  const row = page.getByTestId('connection-row');
  await expect(row).toContainText('API key from environment');

  await page.getByRole('button', { name: 'Test acme-eu' }).click();
  await expect(row.getByTestId('connection-test-result')).toContainText('Connection works');
  expect(desk.omniq.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);

  await page.getByRole('button', { name: 'Edit acme-eu' }).click();
  const secret = page.getByTestId('secret-field-apiKey');
  await expect(secret).toContainText(`from ${VAR}`);
  // The environment's value cannot be removed from the window; only one set here can.
  await expect(secret.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
});
