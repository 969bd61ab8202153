// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../../shared/api.ts';
import { App } from '../../../renderer/App.tsx';
import { ClientError } from '../../../renderer/api/client.ts';
import { FakeClient, job } from './fake-client.ts';

afterEach(cleanup);

function client(jobs = [job()]) {
  return new FakeClient({
    'app.info': () => ({
      version: '0.1.0',
      dataDir: '/home/ana/.local/share/export-desk',
      keychain: {
        kind: 'memory',
        warning: 'No Secret Service found: secrets last until Export Desk closes.',
      },
    }),
    'settings.get': () => SettingsSchema.parse({}),
    'connections.list': () => [],
    'jobs.list': () => jobs,
  });
}

describe('the window', () => {
  it('warns when secrets are kept in memory only, in one line until asked for details', async () => {
    render(<App client={client()} env="test" />);
    const banner = await screen.findByTestId('keychain-banner');
    expect(banner.textContent).toContain('No Secret Service found: secrets last until Export Desk closes.');
    const toggle = within(banner).getByRole('button', { name: 'Details' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await userEvent.setup().click(toggle);
    expect(within(banner).getByRole('button', { name: 'Hide details' }).getAttribute('aria-expanded')).toBe(
      'true',
    );
    expect(banner.textContent).toContain('enter their API keys and passwords again after a restart');
  });

  it('shows live progress of an export as job.updated events arrive', async () => {
    const c = client();
    render(<App client={c} env="test" />);
    const row = await screen.findByTestId('job-row');
    expect(within(row).getByTestId('job-state').textContent).toBe('Downloading');
    c.emit(
      job({
        state: 'failed',
        updatedAt: '2025-05-20T10:01:00.000Z',
        finishedAt: '2025-05-20T10:01:00.000Z',
        counters: { pages: 4, rows: 2000, bytes: 80_000 },
        error: {
          vendor: 'OmniQ',
          step: 'downloading',
          message: 'The tenant id is unknown.',
          hint: 'Check the tenant id.',
          status: 403,
        },
      }),
    );
    await waitFor(() =>
      expect(within(screen.getByTestId('job-row')).getByTestId('job-state').textContent).toBe('Failed'),
    );
    expect(screen.getByTestId('job-row').textContent).toContain('2,000');

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /^Open / }));
    const error = await screen.findByTestId('job-error');
    expect(error.textContent).toContain('OmniQ export failed while downloading');
    expect(error.textContent).toContain('The tenant id is unknown. (HTTP 403)');
    expect(error.textContent).toContain('What to do: Check the tenant id.');
  });

  it('validates settings and shows a refusal next to the field', async () => {
    const c = client();
    c.handlers['settings.set'] = () => {
      throw new ClientError('Settings: the CA certificate file /nope.pem cannot be read.', 'user');
    };
    const user = userEvent.setup();
    render(<App client={c} env="test" />);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    expect((await screen.findByTestId('settings-data-dir')).textContent).toBe(
      '/home/ana/.local/share/export-desk',
    );

    await user.type(screen.getByLabelText('Proxy'), 'proxy:8080');
    expect(await screen.findByText(/Enter a proxy address such as/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save settings' }).hasAttribute('disabled')).toBe(true);
    await user.clear(screen.getByLabelText('Proxy'));

    await user.type(screen.getByLabelText('Extra CA certificate file'), '/nope.pem');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(
      await screen.findByText('Settings: the CA certificate file /nope.pem cannot be read.'),
    ).toBeTruthy();
    expect(c.callsOf('settings.set')).toEqual([
      {
        proxyUrl: '',
        caFile: '/nope.pem',
        defaultCsv: SettingsSchema.parse({}).defaultCsv,
        theme: 'system',
        keepDays: null,
        keepGb: null,
      },
    ]);
  });
});
