import { memo } from 'react';
import type { PreviewRow } from '../../stores/preview-store.ts';
import { cellView, GUARD_TOOLTIP } from './cell-view.ts';
import { HeaderCell } from './HeaderCell.tsx';
import type { PreviewTable } from './use-preview-table.ts';

export const ROW_HEIGHT = 30;
export const HEADER_HEIGHT = 36;
/** Room for "9,999,999" (tabular digits of the grid's font) and the cell's padding. */
export const ROW_NUMBER_WIDTH = 92;

/**
 * Horizontal padding of a cell (styles.css) and the widest glyph's width (an em of the grid's 14px font:
 * W, @, a CJK character): a text this many glyphs wide surely fits, a longer one may be cut off.
 */
const CELL_PADDING = 16;
const WIDE_CHAR = 14;

/** The id of the grid's active cell, which the grid names as its aria-activedescendant. */
export const ACTIVE_CELL_ID = 'preview-active-cell';

const rowNumber = new Intl.NumberFormat();
const BODY_ROW_STYLE = { height: ROW_HEIGHT };

/** The columns in view: [start, end] into `order`, and the width left of them that is not rendered. */
export interface ColumnWindow {
  order: readonly string[];
  widths: readonly number[];
  start: number;
  end: number;
  padLeft: number;
}

interface HeaderRowProps extends ColumnWindow {
  /** A fresh wrapper of the same table on every render; `state` says when the columns really changed. */
  table: PreviewTable;
  state: unknown;
  onMove(id: string, delta: -1 | 1): void;
  onDrop(dragged: string, target: string): void;
  /** The column the rows are sorted by, if any, and which way. */
  sortColumn?: string | undefined;
  sortDirection?: 'asc' | 'desc' | undefined;
  /** A column's title was clicked: sort by it (undefined: sorting is not offered now). */
  onSort?: ((column: string) => void) | undefined;
}

/** `table` is a fresh wrapper of the same table on every render: `state` stands for it. */
function sameHeaderProps(a: HeaderRowProps, b: HeaderRowProps): boolean {
  return (Object.keys(a) as (keyof HeaderRowProps)[]).every((k) => k === 'table' || a[k] === b[k]);
}

/** The sticky title row; renders again only when the columns in view or their arrangement change. */
export const HeaderRow = memo(function HeaderRow(props: HeaderRowProps) {
  const { table, order, start, end, padLeft, onMove, onDrop, sortColumn, sortDirection, onSort } = props;
  const headerById = new Map(table.getFlatHeaders().map((h) => [h.column.id, h]));
  const cells = [];
  for (let i = start; i <= end; i++) {
    const header = headerById.get(order[i] ?? '');
    if (!header) continue;
    cells.push(
      <HeaderCell
        key={header.column.id}
        header={header}
        table={table}
        colIndex={i + 2}
        isFirst={i === 0}
        isLast={i === order.length - 1}
        onMove={onMove}
        onDrop={onDrop}
        sort={header.column.id === sortColumn ? sortDirection : undefined}
        onSort={onSort}
      />,
    );
  }
  return (
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
      {cells}
    </div>
  );
}, sameHeaderProps);

interface BodyRowProps extends ColumnWindow {
  /** 0-based row in the grid. */
  index: number;
  /** 0-based number of the row in the export (a sorted or filtered view does not follow it). */
  number: number | undefined;
  /** The row's values, or undefined while its block is on its way. */
  data: PreviewRow | undefined;
  /** Where each column's value sits in `data`. */
  indexOf: ReadonlyMap<string, number>;
  /** The column of the grid's active cell, when it is in this row. */
  activeColumn?: string | undefined;
}

/**
 * One data row: plain elements and text nodes only (no component per cell), so a row that scrolls into
 * view costs a few DOM writes. Memoized: a row whose index, data and columns are unchanged is skipped.
 */
export const BodyRow = memo(function BodyRow({
  index,
  number,
  data,
  indexOf,
  order,
  widths,
  start,
  end,
  padLeft,
  activeColumn,
}: BodyRowProps) {
  const className = index % 2 === 1 ? 'ed-grid-row ed-grid-body-row is-odd' : 'ed-grid-row ed-grid-body-row';
  // For assistive technology; the number users see is in the frozen column (RowNumbers). Named by an
  // attribute, not text, so a new number is not laid out again (it is never shown).
  const rowHeader = (
    <div
      role="rowheader"
      aria-colindex={1}
      aria-label={rowNumber.format((number ?? index) + 1)}
      className="ed-grid-rowheader"
    />
  );
  if (!data) {
    // Not loaded yet: an empty row, nothing in it to lay out or paint but the hidden header. A fast
    // scroll passes thousands of rows before their blocks could arrive; this is what it shows meanwhile.
    return (
      <div
        role="row"
        aria-rowindex={index + 2}
        data-row={index + 1}
        aria-busy
        className={`${className} is-loading`}
        style={BODY_ROW_STYLE}
      >
        {rowHeader}
      </div>
    );
  }
  const cells = [];
  for (let i = start; i <= end; i++) {
    const id = order[i];
    if (id === undefined) continue;
    const width = widths[i] ?? 0;
    const at = indexOf.get(id);
    const view = cellView(at !== undefined ? data[at] : undefined);
    // Text that may be cut off by the ellipsis carries its whole self as a tooltip.
    const long = view.text.length * WIDE_CHAR > width - CELL_PADDING;
    const active = id === activeColumn;
    cells.push(
      <div
        key={id}
        role="gridcell"
        aria-colindex={i + 2}
        id={active ? ACTIVE_CELL_ID : undefined}
        aria-selected={active ? true : undefined}
        className={`ed-grid-cell${view.guarded ? ' is-guarded' : ''}${active ? ' is-active' : ''}`}
        style={{ width, textAlign: view.align }}
        title={view.guarded ? GUARD_TOOLTIP : long ? view.text : undefined}
        data-guarded={view.guarded ? 'true' : undefined}
      >
        {view.text}
      </div>,
    );
  }
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-row={index + 1}
      className={className}
      style={BODY_ROW_STYLE}
    >
      {rowHeader}
      <div style={{ width: padLeft, flex: 'none' }} />
      {cells}
    </div>
  );
});

/**
 * The frozen column of row numbers beside the rows in view: one sticky element for all of them, rather
 * than a sticky cell per row (each of which the compositor would place on its own as the grid scrolls).
 * Keyed as the rows are (see PreviewGrid): by index, or by position while the view jumps.
 */
export const RowNumbers = memo(function RowNumbers({ first, numbers, slotKeys }: RowNumbersProps) {
  return (
    <div className="ed-grid-numbers" aria-hidden="true" style={{ width: ROW_NUMBER_WIDTH }}>
      {numbers.map((number, slot) => (
        <div key={slotKeys ? `s${slot}` : first + slot} className="ed-grid-rownum" style={BODY_ROW_STYLE}>
          {number === undefined ? '' : rowNumber.format(number + 1)}
        </div>
      ))}
    </div>
  );
});

interface RowNumbersProps {
  /** 0-based index of the first row rendered. */
  first: number;
  /** The export's 0-based number of each row rendered (undefined while its block is on its way). */
  numbers: readonly (number | undefined)[];
  slotKeys: boolean;
}
