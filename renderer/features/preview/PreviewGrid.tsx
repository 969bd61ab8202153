import { Button, Group, Text } from '@mantine/core';
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePreview, useStores } from '../../stores/context.tsx';
import { blockOf, nextSort } from '../../stores/preview-store.ts';
import { CellInspector, type InspectedCell } from './CellInspector.tsx';
import { cellView, GUARD_TOOLTIP } from './cell-view.ts';
import {
  ACTIVE_CELL_ID,
  BodyRow,
  HEADER_HEIGHT,
  HeaderRow,
  ROW_HEIGHT,
  ROW_NUMBER_WIDTH,
  RowNumbers,
} from './GridRows.tsx';
import { realOffset, rowScale, scrollTopFor } from './row-scale.ts';
import { usePreviewTable } from './use-preview-table.ts';
import { RowCount, ViewControls } from './ViewControls.tsx';

/** Rows rendered beyond the visible ones on each side. */
const OVERSCAN = 3;
/** Rows asked for beyond the visible ones, so a short scroll rarely waits. */
const PREFETCH = 100;
/** Two jumps past the view's height this close together (ms) are a scroll too fast to follow. */
const FLYING_MS = 100;
/** How long (ms) such a scroll stays on the same rows before they are asked for. */
const SETTLE_MS = 60;

interface Props {
  /** Shown first on the grid's toolbar line (the panel's title), so title and tools share one line. */
  heading?: ReactNode;
  /** More tools on the toolbar, before the first/last row buttons. */
  tools?: ReactNode;
  /** The rows can be sorted and filtered (the export has finished). */
  viewable?: boolean;
}

/**
 * The spool as a grid: only the rows and columns in view are in the DOM, rows are fetched in blocks as the
 * user scrolls, and every cell is a text node. A scroll renders only this component's rows: the toolbar
 * and the header row are memoized, and rows keep their elements (keyed by slot), so a scroll rewrites
 * text rather than building rows.
 */
export function PreviewGrid({ heading, tools, viewable = true }: Props) {
  const stores = useStores();
  const { total, sort } = usePreview(useShallow((s) => ({ total: s.total, sort: s.sort })));
  const { table, indexOf } = usePreviewTable();
  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = table.getVisibleLeafColumns();
  // Stable arrays while the arrangement is unchanged, so memoized rows can skip a render.
  const orderKey = JSON.stringify(columns.map((c) => c.id));
  const widthKey = JSON.stringify(columns.map((c) => c.getSize()));
  const order = useMemo(() => JSON.parse(orderKey) as string[], [orderKey]);
  const widths = useMemo(() => JSON.parse(widthKey) as number[], [widthKey]);

  // Past about 1.1 million rows their height would pass the browser's limit: the virtualizer is given
  // rows shrunk in proportion (row-scale.ts), which caps the scroll height and keeps its ranges and
  // scrolls right; the rows are drawn at their height where the scroll position maps them.
  const scale = rowScale(total, ROW_HEIGHT);
  const rows = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT * scale,
    paddingStart: HEADER_HEIGHT,
    overscan: OVERSCAN,
  });
  const cols = useVirtualizer({
    horizontal: true,
    count: order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => widths[i] ?? 160,
    paddingStart: ROW_NUMBER_WIDTH,
    overscan: 1,
  });
  useEffect(() => {
    cols.measure();
  }, [widths, cols]);

  // Scaled, where the rows go depends on the exact scroll position, not only on which rows are in view
  // (all the virtualizer renders for): render on every frame that scrolls or resizes the grid.
  const [, setFrame] = useState(0);
  useEffect(() => {
    const el = scrollRef.current;
    if (scale === 1 || !el) return;
    let pending = 0;
    const tick = () => {
      if (!pending) pending = requestAnimationFrame(() => ((pending = 0), setFrame((n) => n + 1)));
    };
    el.addEventListener('scroll', tick, { passive: true });
    const resized = new ResizeObserver(tick);
    resized.observe(el);
    return () => {
      el.removeEventListener('scroll', tick);
      resized.disconnect();
      cancelAnimationFrame(pending);
    };
  }, [scale]);

  const rowItems = rows.getVirtualItems();
  const colItems = cols.getVirtualItems();
  // A fixed number of rows, as many as the view can show (and the overscan), in order. Keyed by index
  // while the view moves by less than its height, so rows that stay in view are left alone and only those
  // entering it are made; keyed by position (`slotKeys`) while it jumps farther, so no row stays anyway
  // and the n-th row rendered keeps the n-th element: text and attributes are rewritten, nothing is made,
  // removed or moved (which would have Chromium build its layout again).
  // Scaled, the grid's own scroll position and height, as they are on the frame being rendered.
  const el = scale === 1 ? null : scrollRef.current;
  const viewHeight = Math.max(0, (el ? el.clientHeight : (rows.scrollRect?.height ?? 0)) - HEADER_HEIGHT);
  const viewRows = Math.ceil((rows.scrollRect?.height ?? 0) / ROW_HEIGHT) + 2 * OVERSCAN + 2;
  const slots = Math.min(total, Math.max(viewRows, scale === 1 ? rowItems.length : 0));
  const scrollTop = el ? el.scrollTop : (rows.scrollOffset ?? 0);
  const offset = realOffset(scrollTop, total, ROW_HEIGHT, viewHeight);
  const first = Math.max(
    0,
    Math.min(
      scale === 1 ? (rowItems[0]?.index ?? 0) : Math.floor(offset / ROW_HEIGHT) - OVERSCAN,
      total - slots,
    ),
  );
  // Where the first row rendered goes: at its place in the rows, or (scaled) where the scroll position
  // maps it, relative to the view's top.
  const bodyTop =
    HEADER_HEIGHT + (scale === 1 ? first * ROW_HEIGHT : scrollTop + first * ROW_HEIGHT - offset);
  const last = first + slots - 1;
  const shownFirst = useRef(first);
  const slotKeys = Math.abs(first - shownFirst.current) >= slots;
  useLayoutEffect(() => {
    shownFirst.current = first;
  });
  // A view that jumps past its own height on consecutive renders (a fling, a dragged scrollbar) outruns
  // any answer, which could only arrive for rows already gone: it asks for nothing until it slows down
  // or comes to rest for SETTLE_MS. A single jump (First row, Last row) asks at once.
  const lastJump = useRef({ first, at: Number.NEGATIVE_INFINITY });
  useEffect(() => {
    const now = performance.now();
    const jumped = Math.abs(first - lastJump.current.first) > slots;
    const moving = jumped && now - lastJump.current.at < FLYING_MS;
    lastJump.current = { first, at: jumped ? now : Number.NEGATIVE_INFINITY };
    const preview = stores.preview.getState();
    preview.ensure(first, last, PREFETCH, moving);
    if (!moving) return;
    const settle = setTimeout(() => preview.ensure(first, last, PREFETCH), SETTLE_MS);
    return () => clearTimeout(settle);
  }, [first, last, slots, total, stores]);
  // Re-render when a block of the rows rendered arrives or leaves (blocks elsewhere do not matter here).
  const [firstBlock, lastBlock] = usePreview(
    useShallow((s) => [s.blocks.get(blockOf(first)), s.blocks.get(blockOf(Math.max(first, last)))]),
  );
  // The rows' numbers in the export, which a sorted or filtered view does not follow.
  const numbers = useMemo(() => {
    const preview = stores.preview.getState();
    return Array.from({ length: slots }, (_, slot) => preview.rowNumber(first + slot));
    // The blocks of the rows rendered are what the numbers come from: they are the memo's inputs.
  }, [first, slots, firstBlock, lastBlock, stores]);

  const totalWidth = cols.getTotalSize();
  const columnWindow = {
    order,
    widths,
    start: colItems[0]?.index ?? 0,
    end: colItems.at(-1)?.index ?? -1,
    padLeft: (colItems[0]?.start ?? ROW_NUMBER_WIDTH) - ROW_NUMBER_WIDTH,
  };
  const preview = stores.preview.getState();

  // The active cell (0-based row, column id): the arrows move it, Enter opens it in the inspector.
  const [active, setActive] = useState<{ row: number; column: string }>();
  const [inspected, setInspected] = useState<InspectedCell>();
  // Another view: its rows start at the top, and the active cell was a row of the view before.
  const viewKey = usePreview((s) => JSON.stringify([s.filterText, s.filterColumn, s.sort]));
  const shownView = useRef(viewKey);
  useEffect(() => {
    if (shownView.current === viewKey) return;
    shownView.current = viewKey;
    setActive(undefined);
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [viewKey]);
  const activeCol = active ? order.indexOf(active.column) : -1;
  const activeShown =
    !!active &&
    active.row >= first &&
    active.row <= last &&
    activeCol >= columnWindow.start &&
    activeCol <= columnWindow.end;

  /** Scrolls the least that shows the cell wholly, below the header and right of the row numbers. */
  const reveal = (row: number, col: number) => {
    const el = scrollRef.current;
    if (!el) return;
    const top = row * ROW_HEIGHT;
    const view = el.clientHeight - HEADER_HEIGHT;
    const at = realOffset(el.scrollTop, total, ROW_HEIGHT, view);
    const to = top < at ? top : top + ROW_HEIGHT > at + view ? top + ROW_HEIGHT - view : undefined;
    // Scaled, a scroll position is a few real pixels wide: round towards showing the row wholly.
    if (to !== undefined) {
      const next = scrollTopFor(to, total, ROW_HEIGHT, view);
      el.scrollTop = to === top ? Math.floor(next) : Math.ceil(next);
    }
    const left = widths.slice(0, col).reduce((a, w) => a + w, 0);
    const right = left + (widths[col] ?? 0);
    const viewWidth = el.clientWidth - ROW_NUMBER_WIDTH;
    if (left < el.scrollLeft) el.scrollLeft = left;
    else if (right > el.scrollLeft + viewWidth) el.scrollLeft = Math.min(left, right - viewWidth);
  };
  const activate = (row: number, col: number) => {
    const r = Math.max(0, Math.min(total - 1, row));
    const c = Math.max(0, Math.min(order.length - 1, col));
    const column = order[c];
    if (total === 0 || column === undefined) return;
    setActive({ row: r, column });
    reveal(r, c);
  };
  const inspect = (row: number, column: string) => {
    const data = stores.preview.getState().row(row);
    const at = indexOf.get(column);
    if (!data) return;
    const view = cellView(at !== undefined ? data[at] : undefined);
    const number = stores.preview.getState().rowNumber(row) ?? row;
    setInspected({ row: number + 1, column, text: view.text, guarded: view.guarded });
  };
  /** The first row wholly below the header and the first column right of the row numbers. */
  const topLeft = () => {
    const el = scrollRef.current;
    const view = (el?.clientHeight ?? 0) - HEADER_HEIGHT;
    const row = Math.ceil(realOffset(el?.scrollTop ?? 0, total, ROW_HEIGHT, view) / ROW_HEIGHT);
    let col = 0;
    for (let x = 0; col < order.length - 1 && x < (el?.scrollLeft ?? 0); col++) x += widths[col] ?? 0;
    return { row: Math.min(row, total - 1), col };
  };
  const onFocus = (e: { target: EventTarget; currentTarget: EventTarget }) => {
    if (e.target !== e.currentTarget || active) return;
    const { row, col } = topLeft();
    const column = order[col];
    if (total > 0 && column !== undefined) setActive({ row, column });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Keys on the headers' buttons and resize handles are theirs.
    if (e.target !== e.currentTarget || e.altKey || e.metaKey) return;
    const at = active && activeCol >= 0 ? { row: active.row, col: activeCol } : topLeft();
    const page = Math.max(
      1,
      Math.floor(((scrollRef.current?.clientHeight ?? 0) - HEADER_HEIGHT) / ROW_HEIGHT) - 1,
    );
    const moves: Record<string, [number, number] | undefined> = {
      ArrowDown: [at.row + 1, at.col],
      ArrowUp: [at.row - 1, at.col],
      ArrowRight: [at.row, at.col + 1],
      ArrowLeft: [at.row, at.col - 1],
      PageDown: [at.row + page, at.col],
      PageUp: [at.row - page, at.col],
      Home: e.ctrlKey ? [0, 0] : [at.row, 0],
      End: e.ctrlKey ? [total - 1, order.length - 1] : [at.row, order.length - 1],
    };
    const to = moves[e.key];
    if (to) {
      e.preventDefault();
      activate(...to);
    } else if ((e.key === 'Enter' || e.key === 'F2') && active) {
      e.preventDefault();
      inspect(active.row, active.column);
    }
  };
  /** The row and column of the data cell under the pointer, if it is one. */
  const cellAt = (e: MouseEvent) => {
    const cell = (e.target as Element).closest('[role="gridcell"]');
    const row = Number(cell?.closest('[data-row]')?.getAttribute('data-row'));
    const column = order[Number(cell?.getAttribute('aria-colindex')) - 2];
    return cell && row > 0 && column !== undefined ? { row: row - 1, column } : undefined;
  };
  const onClick = (e: MouseEvent) => {
    const at = cellAt(e);
    if (at) setActive(at);
  };
  const onDoubleClick = (e: MouseEvent) => {
    const at = cellAt(e);
    if (!at) return;
    setActive(at);
    inspect(at.row, at.column);
  };

  const onMove = useCallback(
    (id: string, delta: -1 | 1) => stores.preview.getState().moveColumn(id, delta),
    [stores],
  );
  const onSort = useCallback(
    (column: string) => {
      const preview = stores.preview.getState();
      preview.setView({ sort: nextSort(preview.sort, column) });
    },
    [stores],
  );
  const onDrop = useCallback(
    (dragged: string, target: string) => {
      const next = stores.preview.getState().columnOrder.filter((c) => c !== dragged);
      next.splice(next.indexOf(target), 0, dragged);
      stores.preview.setState({ columnOrder: next });
    },
    [stores],
  );

  return (
    <>
      <GridToolbar heading={heading} tools={tools} total={total} viewable={viewable} rows={rows} />
      <div
        ref={scrollRef}
        role="grid"
        aria-label="Preview of the exported rows"
        aria-rowcount={total + 1}
        aria-colcount={order.length + 1}
        aria-activedescendant={activeShown ? ACTIVE_CELL_ID : undefined}
        aria-describedby="preview-grid-keys"
        data-testid="preview-grid"
        tabIndex={0}
        onFocus={onFocus}
        onKeyDown={onKeyDown}
        onClick={onClick}
        onDoubleClick={onDoubleClick}
        // The grid fills its flex parent (see .ed-preview in styles.css).
        className="ed-grid ed-grid-fill"
      >
        <div style={{ height: rows.getTotalSize(), width: totalWidth, position: 'relative' }}>
          <div role="rowgroup" className="ed-grid-head" style={{ height: HEADER_HEIGHT, width: totalWidth }}>
            <HeaderRow
              table={table}
              state={table.state}
              {...columnWindow}
              onMove={onMove}
              onDrop={onDrop}
              sortColumn={sort?.column}
              sortDirection={sort?.direction}
              onSort={viewable ? onSort : undefined}
            />
          </div>
          <div
            role="rowgroup"
            // While the grid scrolls, the rows take no pointer events: the pointer resting over a grid
            // that scrolls under it would otherwise be hit-tested against new rows on every frame.
            className={rows.isScrolling ? 'ed-grid-body is-scrolling' : 'ed-grid-body'}
            style={{
              width: totalWidth,
              height: slots * ROW_HEIGHT,
              transform: `translateY(${bodyTop}px)`,
            }}
          >
            <RowNumbers first={first} numbers={numbers} slotKeys={slotKeys} />
            <div style={{ width: totalWidth - ROW_NUMBER_WIDTH }}>
              {Array.from({ length: slots }, (_, slot) => (
                <BodyRow
                  key={slotKeys ? `s${slot}` : first + slot}
                  index={first + slot}
                  number={numbers[slot]}
                  data={preview.row(first + slot)}
                  indexOf={indexOf}
                  activeColumn={active?.row === first + slot ? active.column : undefined}
                  {...columnWindow}
                />
              ))}
            </div>
          </div>
        </div>
      </div>
      {GRID_HINT}
      <CellInspector cell={inspected} onClose={() => setInspected(undefined)} />
    </>
  );
}

/** Made once: a scroll renders the grid, and this line never changes. */
const GRID_HINT = (
  <Text size="xs" c="dimmed" id="preview-grid-keys">
    Double-click a cell, or move to it with the arrow keys and press Enter, to see its whole value. A yellow
    edge marks a cell starting with = + - or @: it {GUARD_TOOLTIP}.
  </Text>
);

interface ToolbarProps {
  heading: ReactNode;
  tools: ReactNode;
  /** Rows in the grid. */
  total: number;
  viewable: boolean;
  /** The same virtualizer instance on every render, so scrolling does not render the toolbar. */
  rows: Virtualizer<HTMLDivElement, Element>;
}

const GridToolbar = memo(function GridToolbar({ heading, tools, total, viewable, rows }: ToolbarProps) {
  return (
    <Group justify="space-between" gap="xs">
      <Group gap="sm">
        {heading}
        {/* How many columns are shown is on the Columns button beside it. */}
        <RowCount />
      </Group>
      <Group gap="xs">
        <ViewControls enabled={viewable} />
        {tools}
        <Button
          size="compact-sm"
          variant="default"
          disabled={total === 0}
          onClick={() => rows.scrollToIndex(0, { align: 'start' })}
          aria-label="Go to first row"
          title="First row"
        >
          ↑
        </Button>
        <Button
          size="compact-sm"
          variant="default"
          disabled={total === 0}
          onClick={() => rows.scrollToIndex(total - 1, { align: 'end' })}
          aria-label="Go to last row"
          title="Last row"
        >
          ↓
        </Button>
      </Group>
    </Group>
  );
});
