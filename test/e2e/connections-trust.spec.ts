/**
 * Connections an analyst can trust: deleting one says what happens to the exports that use it, and a
 * retry after that says what to do in the window's words; test results say when they were made.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Settings } from '../../shared/api.ts';
import { startMyreportsSimulator } from '../simulators/myreports.ts';
import { expect, test } from './fixtures.ts';
import { addOmniqConnection, finishedExport, go, omniqExport, openDesk } from './helpers.ts';

test.use({ omniqOptions: { counts: { communications: 40 } } });

test('deleting a connection used by exports says so, and their Run again says what to do', async ({
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
    .getByRole('button', { name: /^Run again / })
    .first()
    .click();
  const alert = page.getByRole('alert').filter({ hasText: 'deleted' });
  await expect(alert).toHaveText(
    'The connection “Acme” was deleted. Add it again under Connections (named “Acme”), then Run again.',
  );
  await expect(page.getByText(/exportdesk/)).toHaveCount(0);
});

test('a newer connection result replaces the older one, and each says when it was made', async ({
  page,
  desk,
}) => {
  const sim = await startMyreportsSimulator({});
  try {
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
    await openDesk(page, desk);
    await go(page, 'Connections');
    const row = page.getByRole('listitem', { name: 'Xarios UK' });

    await row.getByRole('button', { name: 'Test Xarios UK' }).click();
    const result = row.getByTestId('connection-test-result');
    await expect(result).toContainText('not signed in');
    await expect(result).toContainText(/Tested \d{1,2}:\d{2}/);

    const [tab] = await Promise.all([
      page.waitForEvent('popup'),
      row.getByRole('button', { name: 'Sign in Xarios UK' }).click(),
    ]);
    await tab.getByRole('button', { name: 'Approve' }).click();
    await expect(tab.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    await tab.close();
    const signIn = row.getByTestId('sign-in-result');
    await expect(signIn).toContainText('Sign-in complete');
    await expect(signIn).toContainText(/Signed in \d{1,2}:\d{2}/);
    // The red "not signed in" from before the sign-in is gone, not left under the green result.
    await expect(result).toHaveCount(0);

    await row.getByRole('button', { name: 'Test Xarios UK' }).click();
    await expect(result).toContainText('Connection works');
    await expect(result).toContainText(/Tested \d{1,2}:\d{2}/);
    await expect(signIn).toHaveCount(0);
  } finally {
    await sim.close();
  }
});

test('a refused test says HTTP 401 once, even when the vendor repeats the status line', async ({
  page,
  desk,
}) => {
  // A vendor whose 401 body repeats its own status line, in British spelling (as Xarios documents it).
  const vendor = http.createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'HTTP 401 Unauthorised' }));
  });
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = vendor.address() as AddressInfo;
    await desk.app.connections.save({
      name: 'Strict',
      provider: 'omniq',
      settings: { baseUrl: `http://127.0.0.1:${port}`, tenantId: 'ACME-TENANT01' },
    });
    await openDesk(page, desk);
    await go(page, 'Connections');
    await page.getByRole('button', { name: 'Test Strict' }).click();
    const result = page.getByTestId('connection-test-result');
    await expect(result).toContainText('Connection failed');
    await expect(result).toContainText('HTTP 401 Unauthorized');
    expect((await result.innerText()).match(/401/g)).toHaveLength(1);
  } finally {
    await new Promise((resolve) => vendor.close(resolve));
  }
});

test('a failed export names the vendor’s HTTP status once', async ({ page, desk }) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  await omniqExport(desk, 'Acme', { index: 'no-such-index' }, 'failed');
  await openDesk(page, desk);
  await go(page, 'Exports');
  await page.getByRole('button', { name: /^Open OmniQ no-such-index / }).click();
  const error = page.getByTestId('job-error');
  await expect(error).toContainText('HTTP 400 Bad Request: Unknown index "no-such-index"');
  expect((await error.innerText()).match(/HTTP 400/g)).toHaveLength(1);
  // No empty table below it: the preview says why it has no rows.
  await expect(page.getByTestId('preview-empty')).toHaveText('No rows arrived before the export failed.');
  await expect(page.getByTestId('preview-grid')).toHaveCount(0);
});

test('a new connection can be tested before it is saved, needs what it needs, and shows where it went', async ({
  page,
  desk,
}) => {
  for (let i = 1; i <= 12; i++)
    await addOmniqConnection(desk, { name: `Tenant ${String(i).padStart(2, '0')}` });
  await openDesk(page, desk);
  await go(page, 'Connections');
  await page.getByRole('button', { name: 'Add connection' }).click();
  const form = page.getByRole('form', { name: 'New connection' });

  // A secret the vendor needs is required like any other field, and the refusal names it.
  await form.getByLabel('Provider').selectOption('omni');
  await form.getByLabel('Name').fill('Docs');
  await form.getByLabel('Organisation address').fill('https://acme.omniapp.co');
  await form.getByRole('button', { name: 'Save connection' }).click();
  const refusal = form.getByTestId('connection-form-refusal');
  await expect(refusal).toContainText('Not saved');
  await expect(refusal).toContainText('API key or personal access token');
  expect(await desk.app.connections.list()).toHaveLength(12);

  await form.getByLabel('Provider').selectOption('omniq');
  await form.getByLabel('Name').fill('Zeta');
  await form.getByRole('button', { name: 'Save connection' }).click();
  await expect(refusal).toContainText('Tenant id');
  expect(await desk.app.connections.list()).toHaveLength(12);

  await form.getByLabel('API address').fill(desk.omniq.url);
  await form.getByLabel('Tenant id').fill('ACME-TENANT01');
  await expect(refusal).toHaveCount(0);
  await form.getByRole('button', { name: 'Test', exact: true }).click();
  const tested = form.getByTestId('connection-test-result');
  await expect(tested).toContainText('Connection works');
  await expect(tested).toContainText(/Tested \d{1,2}:\d{2}/);
  expect(await desk.app.connections.list()).toHaveLength(12);

  await form.getByRole('button', { name: 'Save connection' }).click();
  const card = page.getByRole('listitem', { name: 'Zeta' });
  await expect(card.getByRole('status')).toHaveText('Saved “Zeta”.');
  await expect(card).toBeInViewport();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a text input focused from the keyboard shows the same ring as a button (${scheme})`, async ({
    page,
    desk,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openDesk(page, desk);
    await go(page, 'Connections');
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
    await page.getByRole('button', { name: 'Add connection' }).click();
    const form = page.getByRole('form', { name: 'New connection' });
    const ring = (el: Element) => {
      const s = getComputedStyle(el);
      return `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`;
    };

    await form.getByLabel('Provider').focus();
    await page.keyboard.press('Tab');
    const name = form.getByLabel('Name');
    await expect(name).toBeFocused();
    const inputRing = await name.evaluate(ring);

    await form.getByLabel('Records per page').focus();
    // Past the secret box to the first button.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const save = form.getByRole('button', { name: 'Save connection' });
    await expect(save).toBeFocused();
    const buttonRing = await save.evaluate(ring);
    expect(buttonRing).toMatch(/^solid 2px /);
    expect(inputRing).toBe(buttonRing);

    // The secret box is an input inside a wrapper: the wrapper shows the ring.
    await form.getByLabel('Records per page').focus();
    await page.keyboard.press('Tab');
    await expect(form.getByLabel('API key (optional)')).toBeFocused();
    const wrapper = form.locator('.mantine-PasswordInput-input');
    expect(await wrapper.evaluate(ring)).toBe(buttonRing);
  });
}

test('settings have one save model: the theme too waits for Save settings', async ({ page, desk }) => {
  const stored = async () => (await desk.app.handle('settings.get', {})) as Settings;
  await page.emulateMedia({ colorScheme: 'light' });
  await openDesk(page, desk);
  await go(page, 'Settings');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'light');

  await page.getByLabel('Theme').selectOption('dark');
  await page.getByLabel('Delimiter').selectOption(';');
  await expect(page.getByTestId('settings-unsaved')).toHaveText('Changes not saved yet.');
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'light');
  expect((await stored()).theme).toBe('system');

  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved and in use.')).toBeVisible();
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
  expect(await stored()).toMatchObject({ theme: 'dark', defaultCsv: { delimiter: ';' } });
  await expect(page.getByTestId('settings-unsaved')).toHaveCount(0);
});

test('Test proxy tries the proxy and says how it went in plain words', async ({ page, desk }) => {
  // A port that was just free: nothing listens there any more.
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const freePort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const proxy = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    await openDesk(page, desk);
    await go(page, 'Settings');
    await page.getByLabel('Proxy').fill(`http://127.0.0.1:${freePort}`);
    await page.getByRole('button', { name: 'Test proxy' }).click();
    const result = page.getByTestId('proxy-test-result');
    await expect(result).toContainText(`The proxy 127.0.0.1:${freePort} refused the connection`);

    await page.getByLabel('Proxy').fill(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
    await expect(result).toHaveCount(0);
    await page.getByRole('button', { name: 'Test proxy' }).click();
    await expect(result).toContainText('accepts connections');
    // Testing saves nothing.
    expect(((await desk.app.handle('settings.get', {})) as Settings).proxyUrl).toBe('');
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
  }
});
