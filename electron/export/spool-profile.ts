/**
 * The profile of an export's columns, folded one row at a time as the rows spool (no second pass): each
 * column's kind (cell-types.ts), empty cells, distinct values (distinct-count.ts), min and max in the
 * order of its kind, and, for date and time columns, rows per day or hour (row-timeline.ts). Memory is
 * bounded however many rows and columns pass: a few numbers per column, bounded distinct sets and buckets.
 */
import { cellText, flattenRow, isPlainObject, leafCell } from '../../shared/records.ts';
import type { Cell, Row } from '../../shared/records.ts';
import { MAX_TEXT_WIDTH } from '../../shared/profile.ts';
import type { ColumnProfile, SpoolProfile } from '../../shared/profile.ts';
import { isIdentifierColumn, mergeKinds, valueKind } from './cell-types.ts';
import { compareTime, noteTime } from './profile-times.ts';
import type { TimeBound, TimeFacts } from './profile-times.ts';
import type { ColumnKind, ValueKind } from './cell-types.ts';
import { DistinctCounter, EXACT_BUDGET, ExactBudget, hash53 } from './distinct-count.ts';
import { RowTimeline } from './row-timeline.ts';
import { mayBeWider, textWidth } from './text-width.ts';

/** Date and time columns that keep rows per day (the first ones met). */
export const MAX_TIMELINES = 8;
/** Code points of a text min or max kept for display. */
export const DISPLAY_CHARS = 80;

/** Compares by Unicode code point (JavaScript's `<` compares UTF-16 units, which differs past U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) stand for code points past U+FFFF: they sort after U+E000–FFFF.
    if (x >= 0xd800) x += x <= 0xdfff ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y <= 0xdfff ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** `text` cut to DISPLAY_CHARS code points, with an ellipsis when it was longer. */
export function displayText(text: string): string {
  if (text.length <= DISPLAY_CHARS) return text;
  const points = Array.from(text.slice(0, DISPLAY_CHARS * 2));
  return points.length <= DISPLAY_CHARS ? text : `${points.slice(0, DISPLAY_CHARS).join('')}…`;
}

class ColumnStats {
  kind: ColumnKind = 'empty';
  filled = 0;
  readonly distinct: DistinctCounter;
  numMin: number | bigint | undefined;
  numMax: number | bigint | undefined;
  timeMin: TimeBound | undefined;
  timeMax: TimeBound | undefined;
  textMin: string | undefined;
  textMax: string | undefined;
  sawFalse = false;
  sawTrue = false;
  timeline: RowTimeline | undefined;
  /** The widest value so far (see ColumnProfile.width). */
  width = 0;
  times: TimeFacts | undefined;

  constructor(
    readonly name: string,
    budget: ExactBudget,
  ) {
    this.distinct = new DistinctCounter(budget);
  }

  add(cell: Cell, kind: ValueKind, profile: SpoolProfiler): void {
    const text = cellText(cell);
    const was = this.kind;
    if (kind !== was) this.kind = mergeKinds(was, kind);
    this.filled += 1;
    this.distinct.add(hash53(text));
    if (this.width < MAX_TEXT_WIDTH && mayBeWider(text, this.width)) {
      const width = Math.min(MAX_TEXT_WIDTH, textWidth(text, MAX_TEXT_WIDTH));
      if (width > this.width) this.width = width;
    }
    // Numbers, dates and booleans are ASCII, where UTF-16 order is code-point order.
    if (kind === 'text') {
      if (this.textMin === undefined || compareCodePoints(text, this.textMin) < 0) this.textMin = text;
      if (this.textMax === undefined || compareCodePoints(text, this.textMax) > 0) this.textMax = text;
    } else {
      if (this.textMin === undefined || text < this.textMin) this.textMin = text;
      if (this.textMax === undefined || text > this.textMax) this.textMax = text;
    }
    switch (kind) {
      case 'integer':
      case 'number':
      case 'bigint': {
        const n =
          typeof cell === 'string'
            ? kind === 'bigint'
              ? BigInt(cell)
              : Number(cell)
            : (cell as number | bigint);
        if (this.numMin === undefined || n < this.numMin) this.numMin = n;
        if (this.numMax === undefined || n > this.numMax) this.numMax = n;
        break;
      }
      case 'date':
      case 'timestamp': {
        if (was === 'empty') this.timeline = profile.newTimeline(this.name);
        this.timeline?.add(text);
        this.times ??= { withoutOffset: false, offsets: [], millis: false, micros: false, nanos: false };
        noteTime(this.times, text, kind);
        const { timeMin, timeMax } = this;
        // valueKind said `text` is a date or a time: it reads back.
        if (timeMin === undefined || timeMax === undefined) {
          this.timeMin = { text };
          this.timeMax = { text };
          break;
        }
        if (compareTime(text, timeMin) < 0) this.timeMin = { text };
        else if (compareTime(text, timeMax) > 0) this.timeMax = { text };
        break;
      }
      case 'boolean':
        if (cell === true || cell === 'true' || cell === 'TRUE') this.sawTrue = true;
        else this.sawFalse = true;
        break;
      default:
        break;
    }
    if (this.timeline && this.kind !== 'date' && this.kind !== 'timestamp') {
      this.timeline = undefined;
      profile.dropTimeline();
    }
  }

  /** The column's kind: text for identifier columns whose values would otherwise be numbers. */
  get finalKind(): ColumnKind {
    const kind = this.kind;
    if (isIdentifierColumn(this.name) && (kind === 'integer' || kind === 'bigint' || kind === 'number'))
      return 'text';
    return kind;
  }

  profile(rowCount: number): ColumnProfile {
    const kind = this.finalKind;
    const out: ColumnProfile = {
      name: this.name,
      kind,
      empty: rowCount - this.filled,
      distinct: this.distinct.count,
      distinctEstimated: this.distinct.estimated,
    };
    const bounds = this.#bounds(kind);
    if (bounds) [out.min, out.max] = bounds;
    out.width = this.width;
    if (this.times && (kind === 'date' || kind === 'timestamp'))
      out.times = { ...this.times, offsets: [...this.times.offsets] };
    return out;
  }

  #bounds(kind: ColumnKind): [ColumnProfile['min'], ColumnProfile['max']] | undefined {
    switch (kind) {
      case 'integer':
      case 'number':
        return this.numMin === undefined ? undefined : [Number(this.numMin), Number(this.numMax)];
      case 'bigint':
        return this.numMin === undefined ? undefined : [String(this.numMin), String(this.numMax)];
      case 'date':
      case 'timestamp':
        return this.timeMin && this.timeMax ? [this.timeMin.text, this.timeMax.text] : undefined;
      case 'boolean':
        return [!this.sawFalse, this.sawTrue];
      case 'text':
        return this.textMin === undefined || this.textMax === undefined
          ? undefined
          : [displayText(this.textMin), displayText(this.textMax)];
      default:
        return undefined;
    }
  }
}

/** A key path of the rows met so far: its column's name and stats (made with its first cell), the paths under it. */
interface PathNode {
  readonly name: string;
  stats: ColumnStats | undefined;
  readonly nested: Map<string, PathNode>;
}

/** Folds rows (or a CSV spool's records) into the profile of their columns. */
export class SpoolProfiler {
  readonly #columns = new Map<string, ColumnStats>();
  readonly #root: PathNode = { name: '', stats: undefined, nested: new Map() };
  readonly #budget = new ExactBudget(EXACT_BUDGET);
  #timelines = 0;
  #rows = 0;

  /**
   * `fromText`: the cells are CSV text (a vendor's CSV records), where numbers and dates are written as
   * text. `listColumns`: as in flattenRow.
   */
  constructor(
    readonly fromText: boolean,
    private readonly listColumns: readonly string[] = [],
  ) {}

  get rowCount(): number {
    return this.#rows;
  }

  /**
   * A row as received: its cells are those of flattenRow (nested objects as dotted columns, as in the
   * preview and CSV), found by walking the row along a tree of the key paths met so far, so no dotted name
   * is built per row.
   */
  addRow(row: Row): void {
    if (this.listColumns.length > 0) {
      const flat = flattenRow(row, this.listColumns);
      for (const name in flat) this.#add(name, flat[name] as Cell);
    } else {
      this.#walk(this.#root, row);
    }
    this.#rows += 1;
  }

  #walk(node: PathNode, obj: Record<string, unknown>): void {
    for (const key of Object.keys(obj)) {
      let next = node.nested.get(key);
      if (next === undefined) {
        const name = node.name === '' ? key : `${node.name}.${key}`;
        next = { name, stats: undefined, nested: new Map() };
        node.nested.set(key, next);
      }
      const value = obj[key];
      if (isPlainObject(value)) {
        this.#walk(next, value);
        continue;
      }
      const cell = leafCell(value);
      if (cell === undefined) continue;
      const kind = valueKind(cell, this.fromText);
      next.stats ??= this.#stats(next.name);
      if (kind !== 'empty') next.stats.add(cell, kind, this);
    }
  }

  #stats(name: string): ColumnStats {
    let stats = this.#columns.get(name);
    if (stats === undefined) this.#columns.set(name, (stats = new ColumnStats(name, this.#budget)));
    return stats;
  }

  /** The stats of the columns addRecord was last given, in their order. */
  #recordColumns: readonly string[] = [];
  #recordStats: ColumnStats[] = [];

  /** One CSV record, its cells under `columns`. */
  addRecord(columns: readonly string[], cells: readonly string[]): void {
    if (columns !== this.#recordColumns) {
      this.#recordColumns = columns;
      this.#recordStats = columns.map((name) => this.#stats(name));
    }
    const stats = this.#recordStats;
    for (let i = 0; i < stats.length; i++) {
      const cell = cells[i] ?? '';
      const kind = valueKind(cell, this.fromText);
      if (kind !== 'empty') (stats[i] as ColumnStats).add(cell, kind, this);
    }
    this.#rows += 1;
  }

  #add(name: string, cell: Cell): void {
    const kind = valueKind(cell, this.fromText);
    // The column is listed (and counts its empty cells) even while no row has a value in it.
    const stats = this.#stats(name);
    if (kind !== 'empty') stats.add(cell, kind, this);
  }

  /** A timeline for a column whose first value is a date or time, while fewer than MAX_TIMELINES exist. */
  newTimeline(column: string): RowTimeline | undefined {
    if (this.#timelines >= MAX_TIMELINES) return undefined;
    this.#timelines += 1;
    return new RowTimeline(column);
  }

  dropTimeline(): void {
    this.#timelines -= 1;
  }

  /** The kind of each column seen so far. */
  kinds(): Map<string, ColumnKind> {
    return new Map([...this.#columns].map(([name, stats]) => [name, stats.finalKind]));
  }

  /** The profile of `columns` (the spool's, in its order; columns no row filled yet count as empty). */
  snapshot(columns: readonly string[]): SpoolProfile {
    const rows = this.#rows;
    const profiles: ColumnProfile[] = [];
    const timelines: SpoolProfile['timelines'] = [];
    for (const name of columns) {
      const stats = this.#columns.get(name);
      if (!stats) {
        profiles.push({ name, kind: 'empty', empty: rows, distinct: 0, distinctEstimated: false, width: 0 });
        continue;
      }
      profiles.push(stats.profile(rows));
      if (stats.timeline) timelines.push(stats.timeline.snapshot());
    }
    return {
      version: 1,
      rowCount: rows,
      columns: profiles,
      timelines,
    };
  }
}
