// @vitest-environment happy-dom
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../../shared/api.ts';
import type { JobRecord, JobState } from '../../../shared/jobs.ts';
import { App } from '../../../renderer/App.tsx';
import { JobStore } from '../../../electron/jobs/store.ts';
import { jobRecord } from '../../helpers/job-record.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { FakeClient } from './fake-client.ts';

afterEach(cleanup);

const STATES: JobState[] = ['saved', 'failed', 'ready', 'cancelled', 'downloading'];
let dir: string;
let listed: JobRecord[];

// A data folder of 3,000 exports as the app writes them, read back by the store the app uses.
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-history-'));
  const store = new JobStore(path.join(dir, 'jobs'));
  const base = Date.UTC(2030, 0, 1);
  for (let i = 0; i < 3000; i++) {
    const cxone = i % 10 === 0;
    await store.save(
      jobRecord({
        id: `job-${String(i).padStart(4, '0')}`,
        state: STATES[i % STATES.length] as JobState,
        createdAt: new Date(base + i * 60_000).toISOString(),
        recipe: {
          version: 1,
          ...(i === 1234 ? { name: 'Quarterly churn review' } : {}),
          connection: cxone ? 'Tenant EU' : 'Acme OmniQ',
          provider: cxone ? 'cxone' : 'omniq',
          query: {},
          output: jobRecord({ id: 'x' }).recipe.output,
        },
      }),
    );
  }
  listed = await store.list();
}, 60_000);
afterAll(() => removeTempDir(dir));

function client() {
  return new FakeClient({
    'app.info': () => ({ version: '0.1.0', dataDir: dir, keychain: { kind: 'keychain' } }),
    'settings.get': () => SettingsSchema.parse({}),
    'connections.list': () => [],
    'jobs.list': () => listed,
    'jobs.get': ({ jobId }) => listed.find((j) => j.id === jobId) as JobRecord,
  });
}

describe('the Exports list with thousands of exports', () => {
  it('draws a page at a time, counts every match, and keeps the filters across opening one', async () => {
    expect(listed).toHaveLength(3000);
    window.location.hash = '#/exports';
    render(<App client={client()} env="test" />);
    await waitFor(() => expect(screen.getByTestId('jobs-count').textContent).toBe('3,000 exports'));
    expect(screen.getAllByTestId('job-row')).toHaveLength(100);
    // Newest first.
    expect(screen.getAllByTestId('job-row')[0]?.getAttribute('data-job-id')).toBe('job-2999');

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Vendor'), 'cxone');
    expect(screen.getByTestId('jobs-count').textContent).toBe('300 of 3,000 exports');
    await user.selectOptions(screen.getByLabelText('Vendor'), 'omniq');
    await user.selectOptions(screen.getByLabelText('State'), 'failed');
    // Every tenth is CXone; of the other nine, the ones with 1 as their last digit and 6 failed.
    expect(screen.getByTestId('jobs-count').textContent).toBe('600 of 3,000 exports');
    expect(screen.getAllByTestId('job-row')).toHaveLength(100);
    for (const row of screen.getAllByTestId('job-row')) expect(row.getAttribute('data-state')).toBe('failed');
    await user.click(screen.getByRole('button', { name: 'Show more' }));
    expect(screen.getAllByTestId('job-row')).toHaveLength(200);

    await user.selectOptions(screen.getByLabelText('State'), '');
    await user.selectOptions(screen.getByLabelText('Vendor'), '');
    await user.type(screen.getByLabelText('Search'), 'churn');
    expect(screen.getByTestId('jobs-count').textContent).toBe('1 of 3,000 exports');
    await user.click(screen.getByRole('button', { name: 'Open Quarterly churn review' }));
    await screen.findByTestId('job-detail');
    await user.click(screen.getByRole('button', { name: '← All exports' }));
    expect((screen.getByLabelText('Search') as HTMLInputElement).value).toBe('churn');
    expect(screen.getByTestId('jobs-count').textContent).toBe('1 of 3,000 exports');

    await user.type(screen.getByLabelText('Search'), ' nothing-like-this');
    const none = screen.getByTestId('jobs-none-match');
    expect(none.textContent).toContain('No export matches these filters.');
    await user.click(within(none).getByRole('button', { name: 'Clear filters' }));
    expect(screen.getByTestId('jobs-count').textContent).toBe('3,000 exports');
    expect((screen.getByLabelText('Search') as HTMLInputElement).value).toBe('');
  }, 60_000);
});
