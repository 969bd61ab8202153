// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail } from '../../../renderer/features/jobs/JobDetail.tsx';
import { GUARD_TOOLTIP } from '../../../renderer/features/preview/cell-view.ts';
import { FakeClient, job } from './fake-client.ts';
import { fakeViewport, renderWith } from './render.tsx';

beforeAll(() => fakeViewport());
afterEach(cleanup);

const HOSTILE = '<img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("https://evil.example","click")';
const LONG = 'a note far too long for the width of its column, cut off with an ellipsis';

function setup(state: 'ready' | 'downloading' = 'ready') {
  const client = new FakeClient({
    'preview.page': ({ offset }) => ({
      offset,
      total: 3,
      columns: ['id', 'note', 'amount', 'phone'],
      rows: [
        ['1', HOSTILE, 12.5, '+15551234567'],
        ['2', FORMULA, -3, null],
        ['3', LONG, 0, '@SUM(A1)'],
      ],
    }),
  });
  const view = renderWith(client, <JobDetail jobId="job-1" />);
  view.stores.jobs.setState({
    jobs: { 'job-1': job({ state, counters: { pages: 1, rows: 3, bytes: 300 } }) },
  });
  return { client, ...view };
}

describe('preview', () => {
  it('renders a hostile cell as text, creating no element from it', async () => {
    setup();
    const grid = await screen.findByTestId('preview-grid');
    await waitFor(() => expect(grid.textContent).toContain(HOSTILE));
    expect(grid.querySelector('img')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
    expect(grid.querySelectorAll('[role="row"][aria-rowindex]').length).toBe(4);
  });

  it('marks the cells the CSV formula guard will change, and leaves phone numbers alone', async () => {
    setup();
    const grid = await screen.findByTestId('preview-grid');
    await waitFor(() => expect(grid.textContent).toContain(FORMULA));
    const guarded = [...grid.querySelectorAll('[data-guarded="true"]')];
    expect(guarded.map((c) => c.textContent)).toEqual([FORMULA, '@SUM(A1)']);
    expect(guarded[0]?.getAttribute('title')).toBe(GUARD_TOOLTIP);
    const amount = [...grid.querySelectorAll('[role="gridcell"]')].find((c) => c.textContent === '12.5');
    expect((amount as HTMLElement).style.textAlign).toBe('right');
  });

  it('gives a cell too long for its column its whole text as a tooltip, and a short one none', async () => {
    setup();
    const grid = await screen.findByTestId('preview-grid');
    await waitFor(() => expect(grid.textContent).toContain(LONG));
    const cells = [...grid.querySelectorAll('[role="gridcell"]')];
    expect(cells.find((c) => c.textContent === LONG)?.getAttribute('title')).toBe(LONG);
    expect(cells.find((c) => c.textContent === '12.5')?.hasAttribute('title')).toBe(false);
  });

  it('saves the columns as arranged: moved with the keyboard, hidden ones left out', async () => {
    const user = userEvent.setup();
    const { client } = setup();
    await screen.findByTestId('preview-grid');
    await user.click(await screen.findByRole('button', { name: 'Move column note left' }));
    await user.click(screen.getByRole('button', { name: /^Columns/ }));
    await user.click(screen.getByRole('checkbox', { name: 'Show column phone' }));
    await user.click(screen.getByRole('radio', { name: /^JSON/ }));
    await user.click(screen.getByRole('button', { name: 'Download JSON' }));
    await waitFor(() => expect(client.saves.length).toBe(1));
    expect(client.saves[0]?.output.columns).toEqual(['note', 'id', 'amount']);
    expect(client.saves[0]?.output.format).toBe('json');
    expect(await screen.findByTestId('save-result')).toBeTruthy();
  });
});
