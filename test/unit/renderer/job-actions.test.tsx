// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { JobActions } from '../../../renderer/features/jobs/JobActions.tsx';
import { FakeClient, job } from './fake-client.ts';
import { renderWith } from './render.tsx';

afterEach(cleanup);

describe('job actions', () => {
  it('removes a finished export only after the user confirms, and keeps it on Keep', async () => {
    const client = new FakeClient({ 'jobs.remove': () => ({ removed: true }) });
    const user = userEvent.setup();
    renderWith(client, <JobActions job={job({ state: 'cancelled' })} />);

    // A double click where Cancel was opens the question; it deletes nothing.
    await user.dblClick(
      screen.getByRole('button', { name: 'Remove OmniQ communications 2025-05-20 10:00:00' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Remove this export?' });
    expect(dialog.textContent).toContain('Files you already saved stay where they are.');
    expect(client.callsOf('jobs.remove')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Keep' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(client.callsOf('jobs.remove')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Remove OmniQ communications 2025-05-20 10:00:00' }));
    await user.click(await screen.findByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(client.callsOf('jobs.remove')).toEqual([{ jobId: 'job-1' }]));
  });

  it('offers Cancel, and no Remove, while the export runs', () => {
    renderWith(new FakeClient(), <JobActions job={job({ state: 'downloading' })} />);
    expect(
      screen.getByRole('button', { name: 'Cancel OmniQ communications 2025-05-20 10:00:00' }),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
  });
});
