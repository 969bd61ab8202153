// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewPage, RequestInput } from '../../../shared/api.ts';
import { JobDetail } from '../../../renderer/features/jobs/JobDetail.tsx';
import { createPreviewStore, nextSort } from '../../../renderer/stores/preview-store.ts';
import { FakeClient, job } from './fake-client.ts';
import { fakeViewport, renderWith } from './render.tsx';

beforeAll(() => fakeViewport());
afterEach(cleanup);

const flush = () => new Promise((r) => setTimeout(r, 0));

/** An export of 1000 rows [n, name]; with a view, the rows whose name holds the filter, n descending. */
function exportOf1000(input: RequestInput<'preview.page'>): PreviewPage {
  const all = Array.from({ length: 1000 }, (_, i) => i);
  const needle = input.view?.filter?.text.toLowerCase();
  let numbers = needle ? all.filter((i) => `name ${i}`.includes(needle)) : all;
  if (input.view?.sort?.direction === 'desc') numbers = numbers.slice().reverse();
  const page = numbers.slice(input.offset, input.offset + input.limit);
  return {
    offset: input.offset,
    total: numbers.length,
    columns: ['n', 'name'],
    rows: page.map((i) => [i + 1, `name ${i}`]),
    ...(input.view ? { rowNumbers: page, exportRows: 1000 } : {}),
  };
}

describe('the preview store with a view', () => {
  it('asks for the view with every block, and serves the rows’ numbers in the export', async () => {
    const client = new FakeClient({ 'preview.page': exportOf1000 });
    const store = createPreviewStore(client);
    store.getState().open('job-1');
    await flush();
    expect(store.getState().rowNumber(5)).toBe(5);

    store.getState().setView({ filterText: 'name 99', sort: { column: 'n', direction: 'desc' } });
    expect(store.getState().building).toBe(true);
    await flush();
    const state = store.getState();
    expect(state.building).toBe(false);
    expect(state.total).toBe(11);
    expect(state.exportTotal).toBe(1000);
    expect(state.row(0)).toEqual([1000, 'name 999']);
    expect(state.rowNumber(0)).toBe(999);
    expect(state.rowNumber(10)).toBe(99);
    expect(client.callsOf('preview.page').at(-1)).toEqual({
      jobId: 'job-1',
      offset: 0,
      limit: 200,
      view: { filter: { text: 'name 99' }, sort: { column: 'n', direction: 'desc' } },
    });

    // Columns hidden: the filter searches those shown.
    store.getState().setHidden('n', true);
    await flush();
    expect(client.callsOf('preview.page').at(-1)).toMatchObject({ view: { filter: { columns: ['name'] } } });

    // No filter and no sort: the export as it is.
    store.getState().setView({ filterText: '', sort: undefined });
    await flush();
    expect(client.callsOf('preview.page').at(-1)).not.toHaveProperty('view');
    expect(store.getState().total).toBe(1000);
  });

  it('drops the answer for a view that was replaced, and says why a view cannot be shown', async () => {
    let fail = false;
    const client = new FakeClient({
      'preview.page': (input) => {
        if (fail && input.view) throw new Error('Sorting needs more memory than set aside.');
        return exportOf1000(input);
      },
    });
    const store = createPreviewStore(client);
    store.getState().open('job-1');
    await flush();
    store.getState().setView({ filterText: 'name 1' });
    store.getState().setView({ filterText: 'name 12' });
    await flush();
    expect(store.getState().total).toBe(11);

    fail = true;
    store.getState().setView({ sort: { column: 'name', direction: 'asc' } });
    await flush();
    expect(store.getState().viewError).toBe('Sorting needs more memory than set aside.');
    expect(store.getState().error).toBeUndefined();
  });

  it('sorts ascending, then descending, then not at all', () => {
    const asc = nextSort(undefined, 'n');
    expect(asc).toEqual({ column: 'n', direction: 'asc' });
    const desc = nextSort(asc, 'n');
    expect(desc).toEqual({ column: 'n', direction: 'desc' });
    expect(nextSort(desc, 'n')).toBeUndefined();
    expect(nextSort(desc, 'name')).toEqual({ column: 'name', direction: 'asc' });
  });
});

describe('the preview’s filter and sort controls', () => {
  function setup(state: 'ready' | 'downloading') {
    const client = new FakeClient({ 'preview.page': exportOf1000 });
    const view = renderWith(client, <JobDetail jobId="job-1" />);
    view.stores.jobs.setState({
      jobs: { 'job-1': job({ state, counters: { pages: 1, rows: 1000, bytes: 3000 } }) },
    });
    return { client, ...view };
  }

  it('filters after typing rests, says how many rows match, and Escape clears it', async () => {
    const { client } = setup('ready');
    const box = await screen.findByRole('textbox', { name: 'Filter rows' });
    await userEvent.type(box, 'name 99');
    await waitFor(() =>
      expect(screen.getByTestId('preview-row-count').textContent).toBe('11 of 1,000 rows match'),
    );
    // One request for the text typed, not one per key.
    const asked = client.callsOf('preview.page').filter((i) => (i as RequestInput<'preview.page'>).view);
    expect(new Set(asked.map((i) => JSON.stringify((i as RequestInput<'preview.page'>).view)))).toEqual(
      new Set([JSON.stringify({ filter: { text: 'name 99' } })]),
    );
    await userEvent.keyboard('{Escape}');
    expect(box).toHaveProperty('value', '');
    await waitFor(() => expect(screen.getByTestId('preview-row-count').textContent).toBe('1,000 rows'));
  });

  it('sorts by a column’s title, with aria-sort, and clears on the third click', async () => {
    setup('ready');
    const grid = await screen.findByTestId('preview-grid');
    const title = await screen.findByRole('button', { name: 'n' });
    const header = () => grid.querySelector('[role="columnheader"][data-column="n"]');
    await userEvent.click(title);
    expect(header()?.getAttribute('aria-sort')).toBe('ascending');
    await userEvent.click(title);
    expect(header()?.getAttribute('aria-sort')).toBe('descending');
    // The row numbers are the rows' own, the last row of the export first.
    await waitFor(() =>
      expect(grid.querySelector('.ed-grid-numbers .ed-grid-rownum')?.textContent).toBe('1,000'),
    );
    await userEvent.click(title);
    expect(header()?.hasAttribute('aria-sort')).toBe(false);
  });

  it('offers sorting and filtering once the export has finished', async () => {
    setup('downloading');
    const box = await screen.findByRole('textbox', { name: 'Filter rows' });
    expect(box).toHaveProperty('disabled', true);
    expect(box.getAttribute('placeholder')).toBe('Filter once finished');
    await screen.findByTestId('preview-grid');
    expect(screen.queryByRole('button', { name: 'n' })).toBeNull();
  });
});
