import { Button, Group, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';
import { usePreview, useStores } from '../../stores/context.tsx';
import { cellView, GUARD_TOOLTIP } from './cell-view.ts';
import { HeaderCell } from './HeaderCell.tsx';
import { usePreviewTable } from './use-preview-table.ts';

const ROW_HEIGHT = 30;
const HEADER_HEIGHT = 36;
const ROW_NUMBER_WIDTH = 72;
/** Rows fetched beyond the visible ones, so a scroll rarely waits. */
const PREFETCH = 100;

interface Props {
  /** Shown first on the grid's toolbar line (the panel's title), so title and tools share one line. */
  heading?: ReactNode;
  /** More tools on the toolbar, before the first/last row buttons. */
  tools?: ReactNode;
  /** A fixed height; without it the grid fills its flex parent (see .ed-preview in styles.css). */
  height?: number;
}

/**
 * The spool as a grid: only the rows and columns in view are in the DOM, rows are fetched in blocks as the
 * user scrolls, and every cell is a text node.
 */
export function PreviewGrid({ heading, tools, height }: Props) {
  const stores = useStores();
  const total = usePreview((s) => s.total);
  // Re-render when a block arrives or leaves the cache.
  usePreview((s) => s.blocks);
  const { table, indexOf } = usePreviewTable();
  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = table.getVisibleLeafColumns();
  const headers = table.getFlatHeaders();
  const headerById = new Map(headers.map((h) => [h.column.id, h]));
  const widths = columns.map((c) => c.getSize());

  const rows = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    paddingStart: HEADER_HEIGHT,
    overscan: 10,
  });
  const cols = useVirtualizer({
    horizontal: true,
    count: columns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => widths[i] ?? 160,
    paddingStart: ROW_NUMBER_WIDTH,
    overscan: 3,
  });
  const widthKey = widths.join(',');
  useEffect(() => {
    cols.measure();
  }, [widthKey, cols]);

  const rowItems = rows.getVirtualItems();
  const colItems = cols.getVirtualItems();
  const first = rowItems[0]?.index ?? 0;
  const last = rowItems.at(-1)?.index ?? 0;
  useEffect(() => {
    stores.preview.getState().ensure(first - PREFETCH, last + PREFETCH);
  }, [first, last, total, stores]);

  const totalWidth = cols.getTotalSize();
  const padLeft = (colItems[0]?.start ?? ROW_NUMBER_WIDTH) - ROW_NUMBER_WIDTH;
  const preview = stores.preview.getState();
  const order = columns.map((c) => c.id);

  return (
    <>
      <Group justify="space-between" gap="xs">
        <Group gap="sm">
          {heading}
          {/* How many columns are shown is on the Columns button beside it. */}
          <Text size="sm" data-testid="preview-row-count">
            {total.toLocaleString()} {total === 1 ? 'row' : 'rows'}
          </Text>
        </Group>
        <Group gap="xs">
          {tools}
          <Button
            size="compact-sm"
            variant="default"
            disabled={total === 0}
            onClick={() => rows.scrollToIndex(0, { align: 'start' })}
            aria-label="Go to first row"
          >
            ↑ First row
          </Button>
          <Button
            size="compact-sm"
            variant="default"
            disabled={total === 0}
            onClick={() => rows.scrollToIndex(total - 1, { align: 'end' })}
            aria-label="Go to last row"
          >
            ↓ Last row
          </Button>
        </Group>
      </Group>
      <div
        ref={scrollRef}
        role="grid"
        aria-label="Preview of the exported rows"
        aria-rowcount={total + 1}
        aria-colcount={columns.length + 1}
        data-testid="preview-grid"
        tabIndex={0}
        className={height === undefined ? 'ed-grid ed-grid-fill' : 'ed-grid'}
        style={height === undefined ? undefined : { height }}
      >
        <div style={{ height: rows.getTotalSize(), width: totalWidth, position: 'relative' }}>
          <div role="rowgroup" className="ed-grid-head" style={{ height: HEADER_HEIGHT, width: totalWidth }}>
            <div role="row" aria-rowindex={1} className="ed-grid-row" style={{ height: HEADER_HEIGHT }}>
              <div
                role="columnheader"
                aria-colindex={1}
                className="ed-grid-rownum ed-grid-header"
                style={{ width: ROW_NUMBER_WIDTH }}
              >
                #
              </div>
              <div style={{ width: padLeft, flex: 'none' }} />
              {colItems.map((vc) => {
                const column = columns[vc.index];
                const header = column && headerById.get(column.id);
                if (!column || !header) return null;
                return (
                  <HeaderCell
                    key={column.id}
                    header={header}
                    table={table}
                    colIndex={vc.index + 2}
                    isFirst={vc.index === 0}
                    isLast={vc.index === columns.length - 1}
                    onMove={(id, delta) => preview.moveColumn(id, delta)}
                    onDrop={(dragged, target) => {
                      const next = preview.columnOrder.filter((c) => c !== dragged);
                      next.splice(next.indexOf(target), 0, dragged);
                      preview.setColumnOrder(next);
                    }}
                  />
                );
              })}
            </div>
          </div>
          <div role="rowgroup">
            {rowItems.map((vr) => {
              const data = preview.row(vr.index);
              return (
                <div
                  key={vr.key}
                  role="row"
                  aria-rowindex={vr.index + 2}
                  data-row={vr.index + 1}
                  aria-busy={data ? undefined : true}
                  className="ed-grid-row ed-grid-body-row"
                  style={{ height: ROW_HEIGHT, transform: `translateY(${vr.start}px)` }}
                >
                  <div
                    role="rowheader"
                    aria-colindex={1}
                    className="ed-grid-rownum"
                    style={{ width: ROW_NUMBER_WIDTH }}
                  >
                    {(vr.index + 1).toLocaleString()}
                  </div>
                  <div style={{ width: padLeft, flex: 'none' }} />
                  {colItems.map((vc) => {
                    const id = order[vc.index];
                    if (id === undefined) return null;
                    const at = indexOf.get(id);
                    const view = cellView(data && at !== undefined ? data[at] : undefined);
                    return (
                      <div
                        key={id}
                        role="gridcell"
                        aria-colindex={vc.index + 2}
                        className={`ed-grid-cell${view.guarded ? ' is-guarded' : ''}`}
                        style={{ width: widths[vc.index], textAlign: view.align }}
                        title={view.guarded ? GUARD_TOOLTIP : undefined}
                        data-guarded={view.guarded ? 'true' : undefined}
                      >
                        {data ? view.text : '…'}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <Text size="xs" c="dimmed">
        A yellow edge marks a cell starting with = + - or @: it {GUARD_TOOLTIP}. Move columns with ‹ › or by
        dragging a header; resize them with a header’s right edge (or its arrow keys).
      </Text>
    </>
  );
}
