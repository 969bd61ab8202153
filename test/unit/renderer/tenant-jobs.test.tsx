// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { LookupItem } from '../../../shared/api.ts';
import { RecipeSchema } from '../../../shared/jobs.ts';
import { ConnectionsPage } from '../../../renderer/features/connections/ConnectionsPage.tsx';
import { connection, FakeClient, job } from './fake-client.ts';
import { renderWith } from './render.tsx';

afterEach(cleanup);

const JOBS: LookupItem[] = [
  {
    value: 'job-a',
    label: 'qm-workflows v3, 2025-05-15 to 2025-05-20',
    detail: 'SUCCEEDED',
    facts: {
      status: 'SUCCEEDED',
      entityName: 'qm-workflows',
      version: '3',
      startDate: '2025-05-15',
      endDate: '2025-05-20',
      createdAt: '2025-05-21T08:00:00.000Z',
    },
  },
  {
    value: 'job-b',
    label: 'job-b',
    detail: 'RUNNING · submitted outside Export Desk',
    facts: {
      status: 'RUNNING',
      entityName: null,
      version: null,
      startDate: null,
      endDate: null,
      createdAt: null,
    },
  },
];

describe('jobs on a CXone tenant', () => {
  it('counts down while the tenant’s gate holds the list, then fetches a succeeded job’s file', async () => {
    let answer: (items: LookupItem[]) => void = () => undefined;
    const client = new FakeClient({
      'connections.lookup': ({ name }) =>
        name === 'next-call'
          ? { items: [{ value: 'next-call', label: '', facts: { waitMs: 12_000 } }] }
          : new Promise((resolve) => (answer = (items) => resolve({ items }))),
      'exports.start': ({ recipe }) => job({ id: 'job-9', recipe: RecipeSchema.parse(recipe) }),
    });
    const user = userEvent.setup();
    const { stores } = renderWith(client, <ConnectionsPage />);
    stores.connections.setState({
      connections: [connection({ name: 'Tenant', provider: 'cxone', settings: { region: 'na1' } })],
    });
    await user.click(await screen.findByRole('button', { name: 'Jobs on this tenant: Tenant' }));
    expect((await screen.findByTestId('tenant-jobs-wait')).textContent).toMatch(
      /one call per 30 seconds on this tenant: asking in 1[12]s/,
    );

    answer(JOBS);
    const rows = await screen.findAllByTestId('tenant-job');
    expect(rows.map((r) => r.getAttribute('data-status'))).toEqual(['SUCCEEDED', 'RUNNING']);
    expect(rows[1]?.textContent).toContain('Submitted outside Export Desk');
    // Only a succeeded job has a file to fetch.
    expect(within(rows[1] as HTMLElement).queryByRole('button')).toBeNull();
    await user.click(within(rows[0] as HTMLElement).getByRole('button', { name: 'Fetch file of job job-a' }));

    await waitFor(() => expect(stores.app.getState()).toMatchObject({ view: 'exports', jobId: 'job-9' }));
    const [started] = client.callsOf('exports.start') as Array<{ recipe: { query: unknown } }>;
    expect(started?.recipe).toMatchObject({ connection: 'Tenant', provider: 'cxone' });
    expect(started?.recipe.query).toEqual({
      remoteJobId: 'job-a',
      entityName: 'qm-workflows',
      version: '3',
      startDate: '2025-05-15',
      endDate: '2025-05-20',
    });
  });
});
