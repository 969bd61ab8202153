import { wouldGuard } from '../../../shared/records.ts';
import type { PreviewRow } from '../../stores/preview-store.ts';

export type PreviewCell = PreviewRow[number];

export const GUARD_TOOLTIP = 'will be written with a leading apostrophe in CSV';

export interface CellView {
  /** Plain text: cells are only ever rendered as text nodes, never parsed as HTML. */
  text: string;
  align: 'left' | 'right' | 'center';
  guarded: boolean;
}

export function cellView(cell: PreviewCell | undefined): CellView {
  if (cell === null || cell === undefined) return { text: '', align: 'left', guarded: false };
  if (typeof cell === 'number') return { text: String(cell), align: 'right', guarded: false };
  if (typeof cell === 'boolean') return { text: String(cell), align: 'center', guarded: false };
  return { text: cell, align: 'left', guarded: wouldGuard(cell) };
}
