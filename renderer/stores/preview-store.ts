import { createStore } from 'zustand/vanilla';
import type { PreviewPage } from '../../shared/api.ts';
import { errorMessage, type ExportDeskClient } from '../api/index.ts';

export type PreviewRow = PreviewPage['rows'][number];

/** Rows per request (the contract allows up to 1000). */
export const BLOCK_SIZE = 500;
/** Blocks kept in memory: enough for a screen and its neighbours, flat however long the spool. */
export const MAX_BLOCKS = 24;

interface Block {
  rows: PreviewRow[];
  usedAt: number;
}

export interface PreviewState {
  jobId: string | undefined;
  /** Rows in the spool when last asked. */
  total: number;
  /** Every column in first-seen order (the spool only ever appends new ones). */
  columns: string[];
  blocks: ReadonlyMap<number, Block>;
  loaded: boolean;
  error: string | undefined;
  /** The user's arrangement: order, hidden columns, widths. Save writes exactly this. */
  columnOrder: string[];
  hidden: Record<string, boolean>;
  sizes: Record<string, number>;
  open(jobId: string): void;
  /** Makes sure the rows [first, last] are loaded or on their way. */
  ensure(first: number, last: number): void;
  /** Rows arrived meanwhile: reloads blocks that were not full and the row count. */
  refresh(): void;
  row(index: number): PreviewRow | undefined;
  setColumnOrder(order: string[]): void;
  moveColumn(id: string, delta: -1 | 1): void;
  setHidden(id: string, hidden: boolean): void;
  setSizes(sizes: Record<string, number>): void;
  /** The columns to write, in the arranged order, without hidden ones. */
  visibleColumns(): string[];
}

const blockOf = (row: number) => Math.floor(row / BLOCK_SIZE);

export function createPreviewStore(client: ExportDeskClient) {
  return createStore<PreviewState>()((set, get) => {
    /** Blocks being fetched, keyed by block number; reset per job. */
    let loading = new Set<number>();
    let generation = 0;
    let clock = 0;
    let lastRange: [number, number] = [0, 0];

    function evict(blocks: Map<number, Block>): void {
      if (blocks.size <= MAX_BLOCKS) return;
      const [a, b] = lastRange;
      const keep = new Set<number>();
      for (let i = blockOf(a); i <= blockOf(b); i++) keep.add(i);
      const byAge = [...blocks.entries()]
        .filter(([n]) => !keep.has(n))
        .sort((x, y) => x[1].usedAt - y[1].usedAt);
      for (const [n] of byAge) {
        if (blocks.size <= MAX_BLOCKS) break;
        blocks.delete(n);
      }
    }

    /** Blocks to fetch once more when their request in flight returns: it may predate newer rows. */
    let again = new Set<number>();

    async function fetchBlock(n: number, fresh = false): Promise<void> {
      const { jobId } = get();
      if (!jobId) return;
      if (loading.has(n)) {
        if (fresh) again.add(n);
        return;
      }
      loading.add(n);
      const gen = generation;
      const mine = loading;
      try {
        const page = await client.call('preview.page', { jobId, offset: n * BLOCK_SIZE, limit: BLOCK_SIZE });
        if (gen !== generation) return;
        const state = get();
        const blocks = new Map(state.blocks);
        blocks.set(n, { rows: page.rows, usedAt: ++clock });
        evict(blocks);
        const known = new Set(state.columnOrder);
        const added = page.columns.filter((c) => !known.has(c));
        set({
          blocks,
          total: page.total,
          columns: page.columns.length >= state.columns.length ? page.columns : state.columns,
          columnOrder: added.length ? [...state.columnOrder, ...added] : state.columnOrder,
          loaded: true,
          error: undefined,
        });
      } catch (e) {
        if (gen === generation) set({ error: errorMessage(e), loaded: true });
      } finally {
        mine.delete(n);
        if (gen === generation && again.delete(n)) void fetchBlock(n);
      }
    }

    /** What a freshly opened preview holds before its first block arrives. */
    const empty = (): Pick<
      PreviewState,
      'total' | 'columns' | 'blocks' | 'loaded' | 'error' | 'columnOrder' | 'hidden' | 'sizes'
    > => ({
      total: 0,
      columns: [],
      blocks: new Map<number, Block>(),
      loaded: false,
      error: undefined,
      columnOrder: [],
      hidden: {},
      sizes: {},
    });

    return {
      jobId: undefined,
      ...empty(),
      open(jobId) {
        if (get().jobId === jobId) return;
        generation += 1;
        loading = new Set();
        again = new Set();
        lastRange = [0, 0];
        set({ jobId, ...empty() });
        void fetchBlock(0);
      },
      ensure(first, last) {
        const { total, blocks, loaded } = get();
        const lo = Math.max(0, first);
        const hi = loaded ? Math.min(last, Math.max(total - 1, 0)) : last;
        lastRange = [lo, Math.max(lo, hi)];
        for (let n = blockOf(lo); n <= blockOf(Math.max(lo, hi)); n++) {
          const block = blocks.get(n);
          if (block) block.usedAt = ++clock;
          else void fetchBlock(n);
        }
      },
      refresh() {
        const { blocks, total } = get();
        const partial = [...blocks.entries()].filter(([, b]) => b.rows.length < BLOCK_SIZE).map(([n]) => n);
        const targets = new Set(partial);
        // The block at the old end answers with the new row count even when every loaded block is full.
        targets.add(blockOf(total));
        if (blocks.size === 0) targets.add(blockOf(lastRange[0]));
        for (const n of targets) void fetchBlock(n, true);
      },
      row(index) {
        const block = get().blocks.get(blockOf(index));
        return block?.rows[index - blockOf(index) * BLOCK_SIZE];
      },
      setColumnOrder(order) {
        set({ columnOrder: order });
      },
      moveColumn(id, delta) {
        const { columnOrder: order, hidden } = get();
        const from = order.indexOf(id);
        if (from < 0) return;
        // Step over hidden columns so one press always moves the column visibly.
        let to = from + delta;
        while (to >= 0 && to < order.length && hidden[order[to] ?? '']) to += delta;
        if (to < 0 || to >= order.length) return;
        const next = order.slice();
        next.splice(from, 1);
        next.splice(to, 0, id);
        set({ columnOrder: next });
      },
      setHidden(id, isHidden) {
        set({ hidden: { ...get().hidden, [id]: isHidden } });
      },
      setSizes(sizes) {
        set({ sizes });
      },
      visibleColumns() {
        const { columnOrder, hidden } = get();
        return columnOrder.filter((c) => !hidden[c]);
      },
    };
  });
}
export type PreviewStore = ReturnType<typeof createPreviewStore>;
