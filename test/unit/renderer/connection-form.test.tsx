// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionForm } from '../../../renderer/features/connections/ConnectionForm.tsx';
import { ConnectionsPage } from '../../../renderer/features/connections/ConnectionsPage.tsx';
import { connection, FakeClient } from './fake-client.ts';
import { renderWith } from './render.tsx';

afterEach(cleanup);

describe('connection form', () => {
  it('says what to fix when the address is not a URL, and saves nothing', async () => {
    const client = new FakeClient();
    const user = userEvent.setup();
    renderWith(client, <ConnectionForm onDone={vi.fn()} />);
    await user.type(screen.getByLabelText(/^Name/), 'Main');
    await user.type(screen.getByLabelText(/^API address/), 'not a url');
    expect(await screen.findByText('Enter the API address, e.g. https://api.omniq.icq24.com')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Save connection' }));
    expect(screen.getByText('Enter your tenant id (sent as x-tenant-id)')).toBeTruthy();
    expect(client.calls).toEqual([]);
  });

  it('saves the settings, then the secret typed with them', async () => {
    const saved = connection();
    const client = new FakeClient({
      'connections.save': () => saved,
      'connections.setSecret': () => ({ ...saved, secrets: { apiKey: true } }),
    });
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWith(client, <ConnectionForm onDone={onDone} />);
    await user.type(screen.getByLabelText(/^Name/), 'Main');
    await user.type(screen.getByLabelText(/^API address/), 'https://api.omniq.icq24.com');
    await user.type(screen.getByLabelText(/^Tenant id/), 'ACME');
    await user.type(screen.getByLabelText(/^API key/), 's3cret');
    await user.click(screen.getByRole('button', { name: 'Save connection' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(client.callsOf('connections.save')).toEqual([
      {
        name: 'Main',
        provider: 'omniq',
        settings: { baseUrl: 'https://api.omniq.icq24.com', tenantId: 'ACME' },
      },
    ]);
    expect(client.callsOf('connections.setSecret')).toEqual([{ id: 'c1', field: 'apiKey', value: 's3cret' }]);
  });

  it('never shows a stored secret: "stored", then Replace with an empty password box', async () => {
    const stored = connection({ secrets: { apiKey: true } });
    const client = new FakeClient({ 'connections.setSecret': () => stored });
    const user = userEvent.setup();
    const { stores } = renderWith(client, <ConnectionForm connection={stored} onDone={vi.fn()} />);
    stores.connections.setState({ connections: [stored] });

    const field = await screen.findByTestId('secret-field-apiKey');
    expect(field.textContent).toContain('stored');
    expect(field.querySelector('input')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Replace API key (optional)' }));
    const box = screen.getByLabelText(/^New API key/) as HTMLInputElement;
    expect(box.type).toBe('password');
    expect(box.value).toBe('');
    await user.type(box, 'n3w');
    // Saved at once, apart from the form: the field says so before and after.
    expect(field.textContent).toContain('Saved to the keychain at once');
    await user.click(screen.getByRole('button', { name: 'Save secret' }));
    await waitFor(() =>
      expect(client.callsOf('connections.setSecret')).toEqual([{ id: 'c1', field: 'apiKey', value: 'n3w' }]),
    );
    expect(client.callsOf('connections.save')).toEqual([]);
    expect((await screen.findByRole('status')).textContent).toBe('New API key saved to the keychain.');
  });
});

describe('connections page', () => {
  it('shows the test result and deletes only after confirming', async () => {
    const c = connection();
    const client = new FakeClient({
      'connections.test': () => ({ ok: false, message: 'OmniQ refused the tenant id (401).' }),
      'connections.remove': () => ({ removed: true }),
    });
    const user = userEvent.setup();
    const { stores } = renderWith(client, <ConnectionsPage />);
    stores.connections.setState({ connections: [c] });
    expect((await screen.findByTestId('connection-row')).textContent).toContain('API key not set');
    stores.connections.setState({ connections: [{ ...c, secrets: { apiKey: true } }] });
    await waitFor(() => expect(screen.getByTestId('connection-row').textContent).toContain('API key stored'));
    expect(screen.getByTestId('connection-row').textContent).not.toContain('(optional)');

    await user.click(await screen.findByRole('button', { name: 'Test Main' }));
    expect((await screen.findByTestId('connection-test-result')).textContent).toContain(
      'OmniQ refused the tenant id (401).',
    );

    await user.click(screen.getByRole('button', { name: 'Delete Main' }));
    expect(client.callsOf('connections.remove')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(client.callsOf('connections.remove')).toEqual([{ id: 'c1' }]));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Test Main' })).toBeNull());
  });
});
