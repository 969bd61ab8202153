// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SpoolProfile } from '../../../shared/profile.ts';
import { JobDetail } from '../../../renderer/features/jobs/JobDetail.tsx';
import { FakeClient, job } from './fake-client.ts';
import { fakeViewport, renderWith } from './render.tsx';
import { createStores, type Stores } from '../../../renderer/stores/context.tsx';
import { createProfileStore, PROFILING_POLL_MS } from '../../../renderer/stores/profile-store.ts';

beforeAll(() => fakeViewport());
afterEach(cleanup);

const PROFILE: SpoolProfile = {
  version: 1,
  rowCount: 3,
  columns: [
    { name: 'id', kind: 'text', empty: 0, distinct: 3, distinctEstimated: false, min: '1', max: '3' },
    {
      name: 'at',
      kind: 'timestamp',
      empty: 0,
      distinct: 3,
      distinctEstimated: false,
      min: '2025-05-01T10:00:00Z',
      max: '2025-05-04T09:00:00Z',
    },
    {
      name: 'amount',
      kind: 'number',
      empty: 1,
      distinct: 12_345,
      distinctEstimated: true,
      min: -3,
      max: 12.5,
    },
    {
      name: 'closed',
      kind: 'date',
      empty: 0,
      distinct: 2,
      distinctEstimated: false,
      min: '2025-06-01',
      max: '2025-06-02',
    },
  ],
  timelines: [
    {
      column: 'at',
      unit: 'day',
      buckets: [
        ['2025-05-01', 1],
        ['2025-05-02', 1],
        ['2025-05-04', 1],
      ],
      beyond: 0,
    },
    {
      column: 'closed',
      unit: 'day',
      buckets: [
        ['2025-06-01', 2],
        ['2025-06-02', 1],
      ],
      beyond: 0,
    },
  ],
};

function setup(profile: () => SpoolProfile = () => PROFILE, stores?: (client: FakeClient) => Stores) {
  const client = new FakeClient({
    'preview.page': ({ offset }) => ({
      offset,
      total: 3,
      columns: ['id', 'at', 'amount', 'closed'],
      rows: [
        ['1', '2025-05-01T10:00:00Z', 12.5, '2025-06-01'],
        ['2', '2025-05-02T10:00:00Z', -3, '2025-06-01'],
        ['3', '2025-05-04T09:00:00Z', null, '2025-06-02'],
      ],
    }),
    'preview.profile': () => profile(),
  });
  const view = renderWith(client, <JobDetail jobId="job-1" />, stores?.(client));
  view.stores.jobs.setState({
    jobs: { 'job-1': job({ state: 'ready', counters: { pages: 1, rows: 3, bytes: 300 } }) },
  });
  return { client, ...view };
}

const AT_TIMELINE = PROFILE.timelines[0] as SpoolProfile['timelines'][number];

describe('profile in the preview', () => {
  it('charts rows per day of the first date column and names the day without rows', async () => {
    setup();
    const chart = await screen.findByRole('img', { name: /^Rows per day of at/ });
    expect(chart.getAttribute('aria-label')).toBe(
      'Rows per day of at, 2025-05-01 to 2025-05-04: 1 a day. No rows on 2025-05-03.',
    );
    expect(chart.querySelectorAll('[data-gap]')).toHaveLength(1);
    expect(screen.getByTestId('rows-over-time-gaps').textContent).toBe('No rows on 2025-05-03.');
  });

  it('follows the date column the user picks', async () => {
    const user = userEvent.setup();
    setup();
    await screen.findByRole('img', { name: /^Rows per day of at/ });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Date column' }), 'closed');
    const chart = await screen.findByRole('img', { name: /^Rows per day of closed/ });
    expect(chart.getAttribute('aria-label')).toContain('Every day has rows.');
    expect(screen.queryByTestId('rows-over-time-gaps')).toBeNull();
  });

  it("shows a column's profile from its header, saying when a count is estimated", async () => {
    const user = userEvent.setup();
    setup();
    await screen.findByTestId('preview-grid');
    await user.click(await screen.findByRole('button', { name: 'Profile of column amount' }));
    const dialog = await screen.findByRole('dialog');
    const terms = [...dialog.querySelectorAll('dt')].map((dt) => [
      dt.textContent,
      dt.nextElementSibling?.textContent,
    ]);
    expect(terms).toEqual([
      ['Type', 'Number'],
      ['Empty cells', '1 of 3'],
      ['Distinct values', 'about 12,345'],
      ['Smallest', '-3'],
      ['Largest', '12.5'],
    ]);
    expect(within(dialog).getByText('amount')).toBeTruthy();
  });

  it('says the profile is still being made, and shows the whole one once it is', async () => {
    // The first two rows profiled of the three: what a large CSV's profile says just after its download.
    const first: SpoolProfile = {
      ...PROFILE,
      rowCount: 2,
      partial: true,
      profiling: { rows: 3, pid: 4242 },
      // The days of the first two rows only.
      timelines: [{ ...AT_TIMELINE, buckets: AT_TIMELINE.buckets.slice(0, 2) }],
    };
    let answer = first;
    const due: [() => void, number][] = [];
    const later = (fn: () => void, ms: number) => void due.push([fn, ms]);
    setup(
      () => answer,
      (client) => ({ ...createStores(client), profile: createProfileStore(client, { later }) }),
    );
    const note = await screen.findByTestId('rows-over-time-partial');
    expect(note.textContent).toBe('(first 2 of 3 rows so far: profiling the rest)');
    // No gap is named while rows are still to come.
    expect(screen.queryByTestId('rows-over-time-gaps')).toBeNull();
    expect(due.map(([, ms]) => ms)).toEqual([PROFILING_POLL_MS]);
    answer = PROFILE;
    due.shift()?.[0]();
    expect((await screen.findByTestId('rows-over-time-gaps')).textContent).toBe('No rows on 2025-05-03.');
    expect(screen.queryByTestId('rows-over-time-partial')).toBeNull();
    // The whole profile: nothing more to ask.
    expect(due).toHaveLength(0);
  });
});
