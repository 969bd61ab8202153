import { createStore } from 'zustand/vanilla';
import type { PreviewPage, PreviewView } from '../../shared/api.ts';
import type { JobRecord, PreviewLayout } from '../../shared/jobs.ts';
import { errorMessage, type ExportDeskClient } from '../api/index.ts';

export type PreviewRow = PreviewPage['rows'][number];

/**
 * Rows per request (the contract allows up to 1000): a few screens, so an answer is quick to parse and
 * render in the middle of a scroll.
 */
export const BLOCK_SIZE = 200;
/** Blocks kept in memory: enough for a screen and its neighbours, flat however long the spool. */
export const MAX_BLOCKS = 50;
/**
 * Requests in flight at once. A fast scroll passes many blocks; rather than asking for each, the store
 * asks for what is in view when a request returns, so requests follow the scroll at the pace answers come
 * and blocks scrolled past unseen are never asked for.
 */
export const MAX_IN_FLIGHT = 2;

interface Block {
  rows: PreviewRow[];
  /** With a view: each row's 0-based number in the export. */
  rowNumbers?: number[] | undefined;
  usedAt: number;
}

export type SortDirection = 'asc' | 'desc';

/** The sort the user chose, by clicking a column's header. */
export interface PreviewSort {
  column: string;
  direction: SortDirection;
}

/** A header clicked again: ascending, descending, then the export's order. */
export function nextSort(sort: PreviewSort | undefined, column: string): PreviewSort | undefined {
  if (sort?.column !== column) return { column, direction: 'asc' };
  return sort.direction === 'asc' ? { column, direction: 'desc' } : undefined;
}

export interface PreviewState {
  jobId: string | undefined;
  /** Rows in the grid when last asked: the export's, or those of the view that match. */
  total: number;
  /** Rows in the export when last asked (the same as `total` without a view). */
  exportTotal: number;
  /** The quick filter's text (applied, after the box's short delay); '' for none. */
  filterText: string;
  /** The one column the filter searches; undefined: every column shown. */
  filterColumn: string | undefined;
  sort: PreviewSort | undefined;
  /** The main process is building the view asked for (a pass over every row). */
  building: boolean;
  /** Why the view asked for could not be shown. */
  viewError: string | undefined;
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
  /**
   * The rows [first, last] are in view: loads their blocks first (as soon as fewer than MAX_IN_FLIGHT
   * requests are out), then those within `ahead` rows around them. Replaces the previous call's wish.
   * `moving`: the view is moving faster than any answer could follow; the range is noted but nothing is
   * asked for (an answer would come for rows already gone) until a call without it, where the view slows
   * down or stops.
   */
  ensure(first: number, last: number, ahead?: number, moving?: boolean): void;
  /** Rows arrived meanwhile: reloads blocks that were not full and the row count. */
  refresh(): void;
  row(index: number): PreviewRow | undefined;
  /** The 0-based number in the export of the grid's row `index` (itself without a view). */
  rowNumber(index: number): number | undefined;
  /** Shows the rows matching `filter`, in `sort`'s order, from every row of the export. */
  setView(view: {
    filterText?: string;
    filterColumn?: string | undefined;
    sort?: PreviewSort | undefined;
  }): void;
  moveColumn(id: string, delta: -1 | 1): void;
  setHidden(id: string, hidden: boolean): void;
}

/** The block a row is fetched and kept in. */
export const blockOf = (row: number) => Math.floor(row / BLOCK_SIZE);

/** How long the arrangement rests before it is kept with the export (a resize drag changes it often). */
export const LAYOUT_SAVE_DELAY_MS = 300;

/** The arrangement as the export keeps it (shared/jobs.ts PreviewLayoutSchema). */
export function layoutOf(s: Pick<PreviewState, 'columnOrder' | 'hidden' | 'sizes'>): PreviewLayout {
  const widths = Object.entries(s.sizes)
    .filter(([, w]) => Number.isFinite(w))
    .map(([c, w]) => [c, Math.min(5000, Math.max(20, Math.round(w)))] as const);
  return {
    order: s.columnOrder,
    hidden: s.columnOrder.filter((c) => s.hidden[c]),
    widths: Object.fromEntries(widths),
  };
}

/**
 * An arrangement to show when an export opens: the one it keeps, or the columns its recipe names
 * (`onlyListed`: every other column, also one that appears later, starts hidden).
 */
export type StartLayout = PreviewLayout & { onlyListed?: boolean };

/** The arrangement an export opens with: the one the user left, else its recipe's output.columns. */
export function startLayout(job: Pick<JobRecord, 'layout' | 'recipe'> | undefined): StartLayout | undefined {
  if (job?.layout) return job.layout;
  const listed = job?.recipe.output.columns;
  return listed ? { order: listed, hidden: [], widths: {}, onlyListed: true } : undefined;
}

/**
 * `savedLayout` gives the arrangement an export opens with (startLayout of its record): opening the export
 * shows it again, and every change the user makes to it is kept with the export in the main process.
 */
export function createPreviewStore(
  client: ExportDeskClient,
  savedLayout: (jobId: string) => StartLayout | undefined = () => undefined,
) {
  let applyViewRef: () => void = () => undefined;
  const store = createStore<PreviewState>()((set, get) => {
    /**
     * The requests of the job on show, for one view of it; open() and setView() start afresh, so answers
     * for the old job or view are dropped.
     */
    const fresh = (view?: PreviewView) => ({
      view,
      /** Blocks being fetched. */
      loading: new Set<number>(),
      /** Blocks to fetch once more when their request in flight returns: it may predate newer rows. */
      again: new Set<number>(),
      /** Blocks whose request failed: asked for again on the next scroll, not in a loop. */
      failed: new Set<number>(),
      range: [0, 0] as [number, number],
      /** Rows around `range` worth loading next. */
      ahead: 0,
      /** The view is flying past: ask for nothing (see ensure). */
      moving: false,
    });
    let job = fresh();
    let clock = 0;
    /** The kept column order of the export on show, put in place when its first columns arrive. */
    let keptOrder: string[] | undefined;
    /** Columns the kept order does not list start hidden (a recipe's output.columns). */
    let onlyListed = false;

    function evict(blocks: Map<number, Block>): void {
      if (blocks.size <= MAX_BLOCKS) return;
      const [a, b] = job.range;
      const keep = new Set<number>();
      for (let i = blockOf(Math.max(0, a - job.ahead)); i <= blockOf(b + job.ahead); i++) keep.add(i);
      const byAge = [...blocks.entries()]
        .filter(([n]) => !keep.has(n))
        .sort((x, y) => x[1].usedAt - y[1].usedAt);
      for (const [n] of byAge) {
        if (blocks.size <= MAX_BLOCKS) break;
        blocks.delete(n);
      }
    }

    async function fetchBlock(n: number, afterNewRows = false): Promise<void> {
      const { jobId } = get();
      if (!jobId) return;
      const mine = job;
      if (mine.loading.has(n)) {
        if (afterNewRows) mine.again.add(n);
        return;
      }
      mine.loading.add(n);
      try {
        const page = await client.call('preview.page', {
          jobId,
          offset: n * BLOCK_SIZE,
          limit: BLOCK_SIZE,
          ...(mine.view ? { view: mine.view } : {}),
        });
        if (mine !== job) return;
        const state = get();
        const blocks = new Map(state.blocks);
        blocks.set(n, { rows: page.rows, rowNumbers: page.rowNumbers, usedAt: ++clock });
        evict(blocks);
        let order = state.columnOrder;
        if (keptOrder && order.length === 0 && page.columns.length > 0) {
          const present = new Set(page.columns);
          order = keptOrder.filter((c) => present.has(c));
          keptOrder = undefined;
        }
        const known = new Set(order);
        const added = page.columns.filter((c) => !known.has(c));
        const hidden =
          onlyListed && added.length
            ? { ...state.hidden, ...Object.fromEntries(added.map((c) => [c, true])) }
            : state.hidden;
        set({
          hidden,
          blocks,
          total: page.total,
          exportTotal: page.exportRows ?? page.total,
          building: false,
          viewError: undefined,
          columns: page.columns.length >= state.columns.length ? page.columns : state.columns,
          columnOrder: added.length ? [...order, ...added] : order,
          loaded: true,
          error: undefined,
        });
      } catch (e) {
        if (mine === job) {
          mine.failed.add(n);
          if (mine.view) set({ viewError: errorMessage(e), building: false, loaded: true });
          else set({ error: errorMessage(e), loaded: true });
        }
      } finally {
        mine.loading.delete(n);
        if (mine === job && mine.again.delete(n)) void fetchBlock(n);
        if (mine === job) pump();
      }
    }

    /** The next block worth asking for: in view first, then the nearest of those around the view. */
    function nextWanted(): number | undefined {
      const { blocks, total, loaded } = get();
      const wanted = (n: number) => !blocks.has(n) && !job.loading.has(n) && !job.failed.has(n);
      const [lo, hi] = job.range;
      const ahead = job.ahead;
      for (let n = blockOf(lo); n <= blockOf(hi); n++) if (wanted(n)) return n;
      const floor = blockOf(Math.max(0, lo - ahead));
      const ceiling = blockOf(loaded ? Math.min(hi + ahead, Math.max(total - 1, 0)) : hi + ahead);
      for (let d = 1; blockOf(hi) + d <= ceiling || blockOf(lo) - d >= floor; d++) {
        if (blockOf(hi) + d <= ceiling && wanted(blockOf(hi) + d)) return blockOf(hi) + d;
        if (blockOf(lo) - d >= floor && wanted(blockOf(lo) - d)) return blockOf(lo) - d;
      }
      return undefined;
    }

    /** The view the state asks for, as the contract says it; undefined for the export as it is. */
    function viewOf(s: PreviewState): PreviewView | undefined {
      const text = s.filterText;
      const shown = s.columnOrder.filter((c) => !s.hidden[c]);
      const columns = s.filterColumn
        ? [s.filterColumn]
        : shown.length < s.columnOrder.length && shown.length > 0
          ? shown
          : undefined;
      const filter = text ? { text, ...(columns ? { columns } : {}) } : undefined;
      if (!filter && !s.sort) return undefined;
      return { ...(filter ? { filter } : {}), ...(s.sort ? { sort: s.sort } : {}) };
    }

    /** Starts showing the view the state asks for, if it is not the one on show. */
    function applyView(): void {
      const view = viewOf(get());
      if (JSON.stringify(view) === JSON.stringify(job.view)) return;
      const [lo, hi] = job.range;
      const ahead = job.ahead;
      job = fresh(view);
      job.range = [0, Math.max(0, hi - lo)];
      job.ahead = ahead;
      set({ blocks: new Map(), building: !!view, viewError: undefined });
      void fetchBlock(0);
    }
    applyViewRef = applyView;

    function pump(): void {
      if (!get().jobId || job.moving) return;
      while (job.loading.size < MAX_IN_FLIGHT) {
        const n = nextWanted();
        if (n === undefined) return;
        void fetchBlock(n);
      }
    }

    /** What a freshly opened preview holds before its first block arrives. */
    const empty = () => ({
      total: 0,
      exportTotal: 0,
      filterText: '',
      filterColumn: undefined,
      sort: undefined,
      building: false,
      viewError: undefined,
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
        keepLayoutNow();
        job = fresh();
        const kept = savedLayout(jobId);
        keptOrder = kept?.order;
        onlyListed = !!kept?.onlyListed;
        set({
          jobId,
          ...empty(),
          ...(kept
            ? { hidden: Object.fromEntries(kept.hidden.map((c) => [c, true])), sizes: { ...kept.widths } }
            : {}),
        });
        void fetchBlock(0);
      },
      ensure(first, last, ahead = 0, moving = false) {
        const { total, blocks, loaded } = get();
        const lo = Math.max(0, first);
        const hi = loaded ? Math.min(last, Math.max(total - 1, 0)) : last;
        job.range = [lo, Math.max(lo, hi)];
        job.ahead = Math.max(0, ahead);
        job.moving = moving;
        job.failed.clear();
        for (let n = blockOf(lo); n <= blockOf(Math.max(lo, hi)); n++) {
          const block = blocks.get(n);
          if (block) block.usedAt = ++clock;
        }
        pump();
      },
      refresh() {
        const { blocks, total } = get();
        const partial = [...blocks.entries()].filter(([, b]) => b.rows.length < BLOCK_SIZE).map(([n]) => n);
        const targets = new Set(partial);
        // The block at the old end answers with the new row count even when every loaded block is full.
        targets.add(blockOf(total));
        if (blocks.size === 0) targets.add(blockOf(job.range[0]));
        for (const n of targets) void fetchBlock(n, true);
      },
      row(index) {
        const block = get().blocks.get(blockOf(index));
        return block?.rows[index - blockOf(index) * BLOCK_SIZE];
      },
      rowNumber(index) {
        const block = get().blocks.get(blockOf(index));
        if (!block) return job.view ? undefined : index;
        return block.rowNumbers ? block.rowNumbers[index - blockOf(index) * BLOCK_SIZE] : index;
      },
      setView(change) {
        if (!get().jobId) return;
        set(change);
        applyView();
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
    };
  });

  /** The export whose arrangement changed and is not yet kept. */
  let unkept: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  function keepLayoutNow(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const s = store.getState();
    if (!unkept || s.jobId !== unkept) return;
    unkept = undefined;
    // Losing an arrangement is not worth an error in the window: the next change tries again.
    client.call('jobs.setLayout', { jobId: s.jobId, layout: layoutOf(s) }).catch(() => undefined);
  }
  store.subscribe((s, prev) => {
    // A filter over every column shown follows the columns shown.
    if (s.jobId === prev.jobId && s.filterText && !s.filterColumn && s.hidden !== prev.hidden) applyViewRef();
    // Rows arriving (or another export opened) rearrange nothing the user did.
    if (!s.jobId || s.jobId !== prev.jobId || s.blocks !== prev.blocks) return;
    if (s.columnOrder === prev.columnOrder && s.hidden === prev.hidden && s.sizes === prev.sizes) return;
    unkept = s.jobId;
    if (timer) clearTimeout(timer);
    timer = setTimeout(keepLayoutNow, LAYOUT_SAVE_DELAY_MS);
  });
  return store;
}
