/**
 * What a workbook needs to know of each column before its first row is written: the kind of its cells
 * (cell-types.ts), how wide to make it, and, for dates and times, whether they carry a UTC offset and how
 * fine their digits go. A sheet's column widths come before its rows in the file: this comes from the
 * spool's profile, made as the rows arrived, or else from a pass over the rows before the one that writes
 * them.
 */
import type { Cell } from '../../shared/records.ts';
import { cellText } from '../../shared/records.ts';
import { ColumnKinds, parseTime } from './cell-types.ts';
import type { ColumnKind } from './cell-types.ts';
import { textWidth } from './text-width.ts';
import type { SpoolProfile } from '../../shared/profile.ts';

/** Column widths, in characters, that a workbook opens with. */
export const MIN_WIDTH = 6;
export const MAX_WIDTH = 60;

/** The UTC offsets of a column's times: none written, all one offset (minutes east of UTC), or mixed. */
export type ColumnOffset = { kind: 'none' } | { kind: 'one'; minutes: number } | { kind: 'mixed' };

export interface TimeFacts {
  offset: ColumnOffset;
  /** Some value has milliseconds (digits after the seconds). */
  millis: boolean;
  /** Some value has digits past the millisecond, which an Excel date cannot hold. */
  finer: boolean;
}

/** What a workbook writer asks about a column; where the answers come from can change. */
export interface ColumnProfile {
  kindOf(column: string): ColumnKind;
  /** The width, in characters, the column's header and values want (capped). */
  widthOf(column: string): number;
  /** Facts about the times of a date or timestamp column. */
  timeOf(column: string): TimeFacts;
}

const NO_TIMES: TimeFacts = { offset: { kind: 'none' }, millis: false, finer: false };

/** Folds flattened rows, one at a time, into a ColumnProfile. */
export class ProfileBuilder implements ColumnProfile {
  readonly #kinds: ColumnKinds;
  readonly #widths = new Map<string, number>();
  readonly #times = new Map<string, TimeFacts>();

  constructor(
    private readonly columns: readonly string[],
    fromText: boolean,
  ) {
    this.#kinds = new ColumnKinds(fromText);
    for (const c of columns) this.#widths.set(c, Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, c.length + 2)));
  }

  /** Adds one row, flattened to its columns (flattenRow). */
  add(cells: Record<string, Cell>): void {
    for (const column of this.columns) {
      const cell = cells[column];
      if (cell === undefined || cell === null || cell === '') continue;
      this.#kinds.add(column, cell);
      const width = this.#widths.get(column) ?? MIN_WIDTH;
      if (width < MAX_WIDTH) {
        const text = typeof cell === 'string' ? cell : cellText(cell);
        // Wide characters (CJK) take about two columns; the longest line of a multi-line cell counts.
        const longest = textWidth(text, MAX_WIDTH * 2);
        if (longest + 1 > width) this.#widths.set(column, Math.min(MAX_WIDTH, longest + 1));
      }
      if (typeof cell === 'string') this.#addTime(column, cell);
    }
  }

  #addTime(column: string, text: string): void {
    const time = parseTime(text);
    if (!time) return;
    const was = this.#times.get(column) ?? NO_TIMES;
    let offset = was.offset;
    const minutes = time.offsetMinutes;
    if (minutes === undefined) {
      if (offset.kind === 'one') offset = { kind: 'mixed' };
    } else if (offset.kind === 'none') {
      // A first offset after values without one mixes them; the first value of all sets it.
      offset = this.#times.has(column) ? { kind: 'mixed' } : { kind: 'one', minutes };
    } else if (offset.kind === 'one' && offset.minutes !== minutes) offset = { kind: 'mixed' };
    const millis = was.millis || time.wallMs % 1000 !== 0;
    const finer = was.finer || time.micros !== 0;
    this.#times.set(column, { offset, millis, finer });
  }

  kindOf(column: string): ColumnKind {
    return this.#kinds.kindOf(column);
  }

  widthOf(column: string): number {
    return this.#widths.get(column) ?? MIN_WIDTH;
  }

  timeOf(column: string): TimeFacts {
    return this.#times.get(column) ?? NO_TIMES;
  }
}

/** A column's width for a header of `name` and values up to `longest` characters wide. */
function widthFor(name: string, longest: number): number {
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, name.length + 2, longest + 1));
}

/**
 * The workbook's view of `columns` from the spool's profile (spool-profile.ts), which learned the same as
 * ProfileBuilder while the rows arrived; undefined when the profile lacks a column or what it needs (a
 * spool profiled before it kept widths and times).
 */
export function profileFromSpool(
  profile: SpoolProfile | undefined,
  columns: readonly string[],
): ColumnProfile | undefined {
  if (!profile) return undefined;
  const byName = new Map(profile.columns.map((c) => [c.name, c]));
  for (const name of columns) {
    const column = byName.get(name);
    if (column?.width === undefined) return undefined;
    if ((column.kind === 'date' || column.kind === 'timestamp') && !column.times) return undefined;
  }
  return {
    kindOf: (column) => byName.get(column)?.kind ?? 'empty',
    widthOf: (column) => widthFor(column, byName.get(column)?.width ?? 0),
    timeOf: (column) => {
      const times = byName.get(column)?.times;
      if (!times) return NO_TIMES;
      const [first, second] = times.offsets;
      const offset: ColumnOffset =
        first === undefined
          ? { kind: 'none' }
          : second === undefined && !times.withoutOffset
            ? { kind: 'one', minutes: first }
            : { kind: 'mixed' };
      return { offset, millis: times.millis, finer: times.micros };
    },
  };
}
