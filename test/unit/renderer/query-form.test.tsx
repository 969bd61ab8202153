// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportBuilderPage } from '../../../renderer/features/export-builder/ExportBuilderPage.tsx';
import { connection, FakeClient, job } from './fake-client.ts';
import { renderWith } from './render.tsx';

afterEach(cleanup);

function setup(client = new FakeClient()) {
  const view = renderWith(client, <ExportBuilderPage />);
  view.stores.connections.setState({ connections: [connection()] });
  return view;
}

async function toQueryStep(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByLabelText('Main'));
  await user.click(screen.getByRole('button', { name: 'Next' }));
}

describe('query form', () => {
  it('checks the index as the user types', async () => {
    const user = userEvent.setup();
    setup();
    await toQueryStep(user);
    const index = screen
      .getAllByLabelText(/^Entity \(index\)/)
      .find((e) => e.tagName === 'INPUT') as HTMLInputElement;
    expect(index.value).toBe('communications');
    await user.clear(index);
    expect(await screen.findByText('Choose the entity to export (index), e.g. communications')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Next' }).hasAttribute('disabled')).toBe(true);
    await user.type(index, 'my index');
    expect(await screen.findByText('An index name has only letters, digits, "_", "-" and "."')).toBeTruthy();
    await user.clear(index);
    await user.type(index, 'agents');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Next' }).hasAttribute('disabled')).toBe(false),
    );
  });

  it('marks the preset in effect as pressed', async () => {
    const user = userEvent.setup();
    setup();
    await toQueryStep(user);
    const pressed = () =>
      screen
        .queryAllByRole('button', { pressed: true })
        .map((b) => b.textContent)
        .filter((t) => ['Yesterday', 'Last 7 days', 'This month'].includes(t ?? ''));
    // The default query asks for yesterday.
    expect(pressed()).toEqual(['Yesterday']);
    await user.click(screen.getByRole('button', { name: 'Last 7 days' }));
    expect(pressed()).toEqual(['Last 7 days']);
    expect(screen.getByRole('button', { name: 'Yesterday' }).getAttribute('aria-pressed')).toBe('false');
    // A period picked by hand that no preset names leaves none pressed.
    await user.selectOptions(screen.getByLabelText('Created: period'), 'today');
    expect(pressed()).toEqual([]);
  });

  it('refuses a date range that ends before it starts', async () => {
    const user = userEvent.setup();
    setup();
    await toQueryStep(user);
    await user.selectOptions(screen.getByLabelText('Created: period'), 'Fixed dates');
    fireEvent.change(screen.getByLabelText(/^Created from \(/), { target: { value: '2025-05-20T00:00' } });
    expect(await screen.findByText('Choose both a start and an end, or a period.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Next' }).hasAttribute('disabled')).toBe(true);
    fireEvent.change(screen.getByLabelText(/^Created to \(/), { target: { value: '2025-05-19T00:00' } });
    expect(
      await screen.findByText(
        'The end (2025-05-19 00:00) is before the start (2025-05-20 00:00): choose an end after the start.',
      ),
    ).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Created to \(/), { target: { value: '2025-05-21T23:59' } });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(screen.getByTestId('query-filterBy-createdAt-wire').textContent).toMatch(/^Sent to OmniQ as /);
    expect(screen.getByRole('button', { name: 'Next' }).hasAttribute('disabled')).toBe(false);
  });

  it('starts the export with the recipe built from the form, then shows the job', async () => {
    const client = new FakeClient({ 'exports.start': () => job({ id: 'job-9', state: 'queued' }) });
    const user = userEvent.setup();
    const { stores } = setup(client);
    await toQueryStep(user);
    await user.click(screen.getByRole('button', { name: 'Last 7 days' }));
    fireEvent.change(screen.getByLabelText(/^Filters/), { target: { value: '{"platform": "whatsapp"}' } });
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.click(screen.getByRole('button', { name: 'Start export' }));
    await waitFor(() => expect(stores.app.getState().jobId).toBe('job-9'));
    expect(client.callsOf('exports.start')).toEqual([
      {
        recipe: {
          version: 1,
          connection: 'Main',
          provider: 'omniq',
          query: { index: 'communications', filterBy: { createdAt: 'last-7-days', platform: 'whatsapp' } },
          output: {
            format: 'csv',
            csv: { delimiter: ',', bom: false, lineEnding: 'crlf', formulaGuard: true, header: true },
          },
        },
      },
    ]);
    expect(stores.app.getState().view).toBe('exports');
  });
});

describe('choices from the vendor', () => {
  it('waits for the field a list depends on, naming it by its label, then lists what the vendor offers', async () => {
    const user = userEvent.setup();
    const asked: Record<string, string>[] = [];
    const client = new FakeClient({
      'connections.lookup': (i) => {
        asked.push({ name: i.name, ...i.params });
        return i.name === 'workspaces'
          ? { items: [{ value: 'ws-1', label: 'Sales floor' }] }
          : { items: [{ value: 'rep-9', label: 'Calls by agent' }] };
      },
    });
    const view = renderWith(client, <ExportBuilderPage />);
    view.stores.connections.setState({
      connections: [connection({ name: 'Xarios', provider: 'myreports', settings: { region: 'uk' } })],
    });
    await user.click(await screen.findByLabelText('Xarios'));
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText(/Choose Workspace first\./)).toBeTruthy();
    expect(asked.map((a) => a.name)).not.toContain('reports');

    view.stores.builder.getState().setQuery({ ...view.stores.builder.getState().query, workspaceId: 'ws-1' });
    await waitFor(() => expect(asked).toContainEqual({ name: 'reports', workspaceId: 'ws-1' }));
    expect(screen.queryByText(/Choose Workspace first\./)).toBeNull();
  });
});
