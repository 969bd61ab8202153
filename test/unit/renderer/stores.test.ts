import { describe, expect, it, vi } from 'vitest';
import type { PreviewPage } from '../../../shared/api.ts';
import { createJobsStore, sortedJobs } from '../../../renderer/stores/jobs-store.ts';
import {
  BLOCK_SIZE,
  createPreviewStore,
  LAYOUT_SAVE_DELAY_MS,
  MAX_BLOCKS,
  MAX_IN_FLIGHT,
} from '../../../renderer/stores/preview-store.ts';
import { FakeClient, job } from './fake-client.ts';
import { RecipeSchema } from '../../../shared/jobs.ts';
import { createBuilderStore } from '../../../renderer/stores/builder-store.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('jobs store', () => {
  it('applies job.updated events as they arrive and ignores an older copy', async () => {
    const client = new FakeClient({
      'jobs.list': () => [job({ counters: { pages: 1, rows: 10, bytes: 100 } })],
    });
    const store = createJobsStore(client);
    const unsubscribe = store.getState().subscribe();
    await store.getState().load();
    expect(store.getState().jobs['job-1']?.counters.rows).toBe(10);

    client.emit(
      job({ updatedAt: '2025-05-20T10:00:05.000Z', counters: { pages: 3, rows: 1500, bytes: 9000 } }),
    );
    expect(store.getState().jobs['job-1']?.counters.rows).toBe(1500);

    client.emit(
      job({ updatedAt: '2025-05-20T10:00:02.000Z', counters: { pages: 2, rows: 700, bytes: 5000 } }),
    );
    expect(store.getState().jobs['job-1']?.counters.rows).toBe(1500);

    client.emit(job({ id: 'job-2', createdAt: '2025-05-21T00:00:00.000Z', state: 'queued' }));
    expect(sortedJobs(store.getState().jobs).map((j) => j.id)).toEqual(['job-2', 'job-1']);

    unsubscribe();
    expect(client.listenerCount).toBe(0);
  });

  it('keeps the cancelled record the server answers with, and drops a removed export', async () => {
    const client = new FakeClient({
      'jobs.list': () => [job()],
      'exports.cancel': () => job({ state: 'cancelled', updatedAt: '2025-05-20T10:00:09.000Z' }),
      'jobs.remove': () => ({ removed: true }),
    });
    const store = createJobsStore(client);
    await store.getState().load();
    await store.getState().cancel('job-1');
    expect(store.getState().jobs['job-1']?.state).toBe('cancelled');
    await store.getState().remove('job-1');
    expect(store.getState().jobs['job-1']).toBeUndefined();
  });
});

/** A spool of `total` rows with columns a, b; row i is [i, `r${i}`]. */
function spool(total: () => number) {
  return ({ offset, limit }: { offset: number; limit: number }): PreviewPage => {
    const end = Math.min(total(), offset + limit);
    const rows: PreviewPage['rows'] = [];
    for (let i = offset; i < end; i++) rows.push([i, `r${i}`]);
    return { offset, total: total(), columns: ['a', 'b'], rows };
  };
}

describe('preview store', () => {
  it('keeps the arrangement with the export once it rests, and shows a kept one again', async () => {
    vi.useFakeTimers();
    try {
      const client = new FakeClient({ 'preview.page': spool(() => 10), 'jobs.setLayout': () => job() });
      const kept = { order: ['b', 'a'], hidden: ['a'], widths: { b: 200 } };
      const store = createPreviewStore(client, (id) => (id === 'job-2' ? kept : undefined));
      store.getState().open('job-1');
      await vi.advanceTimersByTimeAsync(LAYOUT_SAVE_DELAY_MS * 2);
      expect(store.getState().columnOrder).toEqual(['a', 'b']);
      // Rows arriving are not an arrangement.
      expect(client.callsOf('jobs.setLayout')).toEqual([]);

      store.getState().moveColumn('b', -1);
      store.setState({ sizes: { a: 181.4 } });
      await vi.advanceTimersByTimeAsync(LAYOUT_SAVE_DELAY_MS);
      expect(client.callsOf('jobs.setLayout')).toEqual([
        { jobId: 'job-1', layout: { order: ['b', 'a'], hidden: [], widths: { a: 181 } } },
      ]);

      store.getState().open('job-2');
      await vi.advanceTimersByTimeAsync(LAYOUT_SAVE_DELAY_MS * 2);
      expect(store.getState().columnOrder).toEqual(['b', 'a']);
      expect(store.getState().hidden).toEqual({ a: true });
      expect(store.getState().sizes).toEqual({ b: 200 });
      expect(client.callsOf('jobs.setLayout')).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fetches blocks on demand, once each, and serves rows from them', async () => {
    const client = new FakeClient({ 'preview.page': spool(() => 100_000) });
    const store = createPreviewStore(client);
    store.getState().open('job-1');
    await flush();
    expect(store.getState().total).toBe(100_000);
    expect(store.getState().row(3)).toEqual([3, 'r3']);

    store.getState().ensure(60_000, 60_040);
    store.getState().ensure(60_000, 60_040);
    await flush();
    const offsets = client.callsOf('preview.page').map((i) => (i as { offset: number }).offset);
    expect(offsets).toEqual([0, Math.floor(60_000 / BLOCK_SIZE) * BLOCK_SIZE]);
    expect(store.getState().row(60_010)).toEqual([60_010, 'r60010']);
    for (const input of client.callsOf('preview.page'))
      expect((input as { limit: number }).limit).toBeLessThanOrEqual(1000);
  });

  it('keeps a bounded number of blocks, never dropping the ones in view', async () => {
    const client = new FakeClient({ 'preview.page': spool(() => 1_000_000) });
    const store = createPreviewStore(client);
    store.getState().open('job-1');
    await flush();
    for (let n = 0; n < MAX_BLOCKS * 2; n++) {
      store.getState().ensure(n * BLOCK_SIZE, n * BLOCK_SIZE + 10);
      await flush();
    }
    expect(store.getState().blocks.size).toBeLessThanOrEqual(MAX_BLOCKS);
    const last = MAX_BLOCKS * 2 - 1;
    expect(store.getState().row(last * BLOCK_SIZE)).toEqual([last * BLOCK_SIZE, `r${last * BLOCK_SIZE}`]);
    expect(store.getState().row(0)).toBeUndefined();
  });

  it('picks up rows that arrive while the export runs', async () => {
    let total = 120;
    const client = new FakeClient({ 'preview.page': spool(() => total) });
    const store = createPreviewStore(client);
    store.getState().open('job-1');
    await flush();
    expect(store.getState().total).toBe(120);
    expect(store.getState().row(200)).toBeUndefined();

    total = 900;
    store.getState().refresh();
    await flush();
    expect(store.getState().total).toBe(900);
    expect(store.getState().row(BLOCK_SIZE - 1)).toEqual([BLOCK_SIZE - 1, `r${BLOCK_SIZE - 1}`]);
  });

  it('asks again when rows arrive while the block holding the end is still on its way', async () => {
    // Each answer is released by the test with the row count the spool had when it was read.
    const pending: ((total: number) => void)[] = [];
    const client = new FakeClient({
      'preview.page': (input) =>
        new Promise((resolve) => pending.push((t) => resolve(spool(() => t)(input)))),
    });
    const store = createPreviewStore(client);
    store.getState().open('job-1');
    await flush();
    store.getState().refresh();
    pending.shift()?.(100);
    await flush();
    expect(store.getState().total).toBe(100);
    expect(pending.length).toBe(1);
    pending.shift()?.(300);
    await flush();
    expect(store.getState().total).toBe(300);
  });

  /** A spool whose answers wait until the test releases them, as a slow contract would. */
  function heldSpool(total: number) {
    const held: (() => void)[] = [];
    const client = new FakeClient({
      'preview.page': (input) =>
        new Promise((resolve) => held.push(() => resolve(spool(() => total)(input)))),
    });
    const release = async () => {
      for (const answer of held.splice(0)) answer();
      await flush();
    };
    const offsets = () => client.callsOf('preview.page').map((i) => (i as { offset: number }).offset);
    return { client, held, release, offsets };
  }

  it('follows a fast scroll with requests for what is in view, not for every block passed', async () => {
    const { client, held, release, offsets } = heldSpool(100_000);
    const store = createPreviewStore(client);
    store.getState().open('job-1');
    await release();
    // Top to bottom in 600 steps (every block passes through the view), answers arriving every 20 steps.
    const rounds = 30;
    for (let step = 1; step <= 600; step++) {
      const first = Math.round((99_970 * step) / 600);
      store.getState().ensure(first, first + 30, 100);
      expect(held.length).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      if (step % (600 / rounds) === 0) await release();
    }
    // The first page, then at most MAX_IN_FLIGHT requests at the start and after each round of answers.
    expect(offsets().length).toBeLessThanOrEqual(1 + MAX_IN_FLIGHT * (rounds + 1));
    expect(offsets().length).toBeLessThan(100_000 / BLOCK_SIZE / 2);
    expect(new Set(offsets()).size).toBe(offsets().length);
    while (held.length > 0) await release();
    expect(store.getState().row(99_999)).toEqual([99_999, 'r99999']);
    expect(store.getState().row(99_970)).toEqual([99_970, 'r99970']);
  });

  it('asks for nothing while the view flies past, then for the rows where it stops', async () => {
    const { client, held, release, offsets } = heldSpool(100_000);
    const store = createPreviewStore(client);
    store.getState().open('job-1');
    await release();
    store.getState().ensure(0, 30, 100);
    const before = offsets().length;
    // More than a block per step: no request starts, neither on a call nor when an answer returns.
    for (let step = 1; step <= 50; step++) {
      store.getState().ensure(step * 1000, step * 1000 + 30, 100, true);
      if (step % 10 === 0) await release();
    }
    while (held.length > 0) await release();
    expect(offsets().length).toBe(before);
    expect(store.getState().row(50_010)).toBeUndefined();
    // It stops: the rows in view first, then those around them.
    store.getState().ensure(50_000, 50_030, 100);
    expect(offsets()[before]).toBe(Math.floor(50_000 / BLOCK_SIZE) * BLOCK_SIZE);
    while (held.length > 0) await release();
    expect(store.getState().row(50_010)).toEqual([50_010, 'r50010']);
  });

  it('after a jump to the end asks for the rows now in view before any left behind', async () => {
    const { client, held, release, offsets } = heldSpool(100_000);
    const store = createPreviewStore(client);
    store.getState().open('job-1');
    await release();
    store.getState().ensure(0, 30, 2 * BLOCK_SIZE);
    expect(offsets()).toEqual([0, BLOCK_SIZE, 2 * BLOCK_SIZE].slice(0, MAX_IN_FLIGHT + 1));
    store.getState().ensure(99_970, 99_999, 2 * BLOCK_SIZE);
    expect(store.getState().row(99_980)).toBeUndefined();
    await release();
    const end = Math.floor(99_970 / BLOCK_SIZE) * BLOCK_SIZE;
    expect(offsets().slice(1 + MAX_IN_FLIGHT)[0]).toBe(end);
    while (held.length > 0) await release();
    expect(store.getState().row(99_980)).toEqual([99_980, 'r99980']);
    // Nothing between the start and the end was asked for.
    expect(offsets().filter((o) => o > 2 * BLOCK_SIZE && o < end - 2 * BLOCK_SIZE)).toEqual([]);
  });

  it('asks for nothing before a job is opened, then for the first page', async () => {
    const { client, release, offsets } = heldSpool(1000);
    const store = createPreviewStore(client);
    store.getState().ensure(0, 30, 100);
    expect(offsets()).toEqual([]);
    store.getState().open('job-1');
    await release();
    expect(offsets()).toEqual([0]);
    expect(store.getState().row(0)).toEqual([0, 'r0']);
  });

  it('asks again for a block that failed on the next scroll, not in a loop', async () => {
    let fail = true;
    const answer = spool(() => 10_000);
    const client = new FakeClient({
      'preview.page': (input) => {
        if (fail && input.offset > 0) throw new Error('The spool could not be read.');
        return answer(input);
      },
    });
    const store = createPreviewStore(client);
    store.getState().open('job-1');
    await flush();
    store.getState().ensure(5000, 5030);
    await flush();
    await flush();
    expect(client.callsOf('preview.page').length).toBe(2);
    expect(store.getState().error).toBe('The spool could not be read.');
    fail = false;
    store.getState().ensure(5001, 5031);
    await flush();
    expect(client.callsOf('preview.page').length).toBe(3);
    expect(store.getState().row(5010)).toEqual([5010, 'r5010']);
  });

  it('adds columns first seen later at the end, and moves a column over hidden ones', async () => {
    let columns = ['a', 'b'];
    const client = new FakeClient({
      'preview.page': ({ offset }) => ({ offset, total: 1, columns, rows: [[1, 'x']] }),
    });
    const store = createPreviewStore(client);
    store.getState().open('job-1');
    await flush();
    store.getState().moveColumn('b', -1);
    expect(store.getState().columnOrder).toEqual(['b', 'a']);
    columns = ['a', 'b', 'c'];
    store.getState().refresh();
    await flush();
    expect(store.getState().columnOrder).toEqual(['b', 'a', 'c']);
    store.getState().setHidden('a', true);
    store.getState().moveColumn('c', -1);
    expect(store.getState().columnOrder).toEqual(['c', 'b', 'a']);
    expect(store.getState().hidden).toEqual({ a: true });
  });
});

describe('builder store', () => {
  it('opens a failed export for editing with the vendor’s message kept until its field changes', () => {
    const builder = createBuilderStore();
    const recipe = RecipeSchema.parse({
      version: 1,
      name: 'docs',
      connection: 'Blob Org',
      provider: 'omni',
      query: { sortField: 'name', sortDirection: 'asc', pageSize: 100, creatorId: 'gone' },
      output: { format: 'json' },
    });
    builder
      .getState()
      .editRecipe(recipe, 'c1', { field: 'creatorId', message: 'No user with the id gone exists.' });
    const s = builder.getState();
    expect([s.step, s.connectionId, s.providerId, s.format, s.name]).toEqual([
      1,
      'c1',
      'omni',
      'json',
      'docs',
    ]);
    expect(s.query).toEqual(recipe.query);
    // Another field changing keeps the message; the field itself changing clears it.
    s.setQuery({ ...s.query, sortDirection: 'desc' });
    expect(builder.getState().vendorErrors).toEqual({ creatorId: 'No user with the id gone exists.' });
    builder.getState().setQuery({ ...builder.getState().query, creatorId: 'someone-else' });
    expect(builder.getState().vendorErrors).toEqual({});
  });
});
