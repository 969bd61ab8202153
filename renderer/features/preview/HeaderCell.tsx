import { ActionIcon, Group, Text, UnstyledButton } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import { ColumnProfileMenu } from './ColumnProfileMenu.tsx';
import type { PreviewTable } from './use-preview-table.ts';

type Header = ReturnType<PreviewTable['getFlatHeaders']>[number];

interface Props {
  header: Header;
  table: PreviewTable;
  colIndex: number;
  isFirst: boolean;
  isLast: boolean;
  onMove(id: string, delta: -1 | 1): void;
  onDrop(dragged: string, target: string): void;
  /** This column sorts the rows, and which way. */
  sort?: 'asc' | 'desc' | undefined;
  /** Clicking the title sorts by the column (absent: the title is only a title). */
  onSort?: ((column: string) => void) | undefined;
}

const SORT_WORDS = { asc: 'ascending', desc: 'descending' } as const;
const SORT_GLYPHS = { asc: '▲', desc: '▼' } as const;

const DRAG_TYPE = 'application/x-exportdesk-column';
const KEY_STEP = 20;
const MOVES = [
  { delta: -1, side: 'left', glyph: '‹' },
  { delta: 1, side: 'right', glyph: '›' },
] as const;

/** A column title with move buttons (keyboard), drag to reorder (mouse) and a resize handle (both). */
export function HeaderCell({
  header,
  table,
  colIndex,
  isFirst,
  isLast,
  onMove,
  onDrop,
  sort,
  onSort,
}: Props) {
  const id = header.column.id;
  const size = header.getSize();
  const resize = header.getResizeHandler();
  const onResizeKey = (e: KeyboardEvent) => {
    const delta = e.key === 'ArrowRight' ? KEY_STEP : e.key === 'ArrowLeft' ? -KEY_STEP : 0;
    if (!delta) return;
    e.preventDefault();
    table.setColumnSizing((old) => ({ ...old, [id]: Math.max(60, size + delta) }));
  };
  return (
    <div
      role="columnheader"
      aria-colindex={colIndex}
      aria-sort={sort ? SORT_WORDS[sort] : undefined}
      data-column={id}
      className="ed-grid-header"
      style={{ width: size }}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_TYPE)) e.preventDefault();
      }}
      onDrop={(e) => {
        const dragged = e.dataTransfer.getData(DRAG_TYPE);
        if (dragged && dragged !== id) onDrop(dragged, id);
      }}
    >
      <Group gap={2} wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
        {onSort ? (
          <UnstyledButton
            className="ed-grid-sort"
            onClick={() => onSort(id)}
            title={`${id}: sort by it (click again to reverse, a third time for the export’s order)`}
            style={{ flex: 1, minWidth: 0, display: 'flex', alignItems: 'center', gap: 4 }}
          >
            <Text size="sm" fw={600} truncate component="span" style={{ minWidth: 0 }}>
              {id}
            </Text>
            {sort && (
              <Text size="xs" component="span" aria-hidden="true" data-testid="sort-arrow">
                {SORT_GLYPHS[sort]}
              </Text>
            )}
          </UnstyledButton>
        ) : (
          <Text size="sm" fw={600} truncate title={id} style={{ flex: 1, minWidth: 0 }}>
            {id}
          </Text>
        )}
        <ColumnProfileMenu id={id} />
        {MOVES.map(({ delta, side, glyph }) => (
          <ActionIcon
            key={side}
            size="xs"
            variant="subtle"
            disabled={delta < 0 ? isFirst : isLast}
            aria-label={`Move column ${id} ${side}`}
            onClick={() => onMove(id, delta)}
          >
            {glyph}
          </ActionIcon>
        ))}
      </Group>
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize column ${id}`}
        aria-valuenow={size}
        aria-valuemin={60}
        aria-valuemax={1200}
        tabIndex={0}
        className={`ed-grid-resizer${header.column.getIsResizing() ? ' is-resizing' : ''}`}
        onMouseDown={resize}
        onTouchStart={resize}
        onKeyDown={onResizeKey}
        onDoubleClick={() => header.column.resetSize()}
      />
    </div>
  );
}
