/**
 * The Parquet type of each column of a save, from the kinds of its cells (cell-types.ts) and, for times,
 * whether they carry a UTC offset: from the spool's profile, or a pass over the cells (ParquetProfile).
 *
 * A time written with an offset is an instant (TIMESTAMP, isAdjustedToUTC = true); one written without is
 * a wall-clock reading (isAdjustedToUTC = false), as the vendor sent it. A column holding both is text:
 * reading the times without an offset as UTC, or the others as wall clocks, would each change what some
 * of the values say. So is a column with digits finer than a microsecond, which a timestamp would drop.
 */
import { cellText } from '../../shared/records.ts';
import type { Cell } from '../../shared/records.ts';
import { ColumnKinds, parseTime } from './cell-types.ts';
import type { ColumnKind } from './cell-types.ts';
import type { SpoolProfile } from '../../shared/profile.ts';

export type ParquetType =
  | 'string'
  | 'int64'
  | 'double'
  | 'boolean'
  /** A calendar date (INT32 DATE). */
  | 'date'
  /** A point in time (TIMESTAMP MICROS, adjusted to UTC). */
  | 'instant'
  /** A date and time of day of an unnamed zone (TIMESTAMP MICROS, not adjusted to UTC). */
  | 'wallclock';

const WITH_OFFSET = 1;
const WITHOUT_OFFSET = 2;
const SUB_MICROSECOND = 4;

const FRACTION = /[.,](\d+)/;

/** Learns the columns' Parquet types from their cells, one cell at a time. */
export class ParquetProfile {
  readonly #kinds: ColumnKinds;
  readonly #times = new Map<string, number>();

  constructor(fromText: boolean) {
    this.#kinds = new ColumnKinds(fromText);
  }

  add(column: string, cell: Cell | undefined): void {
    this.#kinds.add(column, cell);
    if (typeof cell !== 'string' || cell.length < 10) return;
    const first = cell.charCodeAt(0);
    if (first < 48 || first > 57) return;
    const time = parseTime(cell);
    if (!time) return;
    let bits = time.offsetMinutes === undefined ? WITHOUT_OFFSET : WITH_OFFSET;
    const fraction = FRACTION.exec(cell)?.[1];
    if (fraction !== undefined && fraction.length > 6 && /[1-9]/.test(fraction.slice(6)))
      bits |= SUB_MICROSECOND;
    this.#times.set(column, (this.#times.get(column) ?? 0) | bits);
  }

  /** The type `column` is written as. */
  readonly typeOf = (column: string): ParquetType =>
    parquetType(this.#kinds.kindOf(column), this.#times.get(column) ?? 0);
}

/** The type of a column of `kind` whose times have these bits (WITH_OFFSET, WITHOUT_OFFSET, SUB_MICROSECOND). */
function parquetType(kind: ColumnKind, bits: number): ParquetType {
  switch (kind) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'bigint':
      return 'int64';
    case 'number':
      return 'double';
    case 'date':
      return 'date';
    case 'timestamp': {
      if ((bits & SUB_MICROSECOND) !== 0) return 'string';
      if ((bits & WITH_OFFSET) !== 0) return (bits & WITHOUT_OFFSET) !== 0 ? 'string' : 'instant';
      return 'wallclock';
    }
    default:
      return 'string';
  }
}

/**
 * The columns' types from the spool's profile (spool-profile.ts), which learned the kinds and how the
 * times are written as the rows arrived; undefined when it lacks a column or its times (an older spool).
 */
export function parquetTypesFromSpool(
  profile: SpoolProfile | undefined,
  columns: readonly string[],
): ((column: string) => ParquetType) | undefined {
  if (!profile) return undefined;
  const byName = new Map(profile.columns.map((c) => [c.name, c]));
  for (const name of columns) {
    const column = byName.get(name);
    if (!column || (column.kind === 'timestamp' && !column.times)) return undefined;
  }
  return (name) => {
    const column = byName.get(name);
    const times = column?.times;
    const bits = !times
      ? 0
      : (times.offsets.length > 0 ? WITH_OFFSET : 0) |
        (times.withoutOffset ? WITHOUT_OFFSET : 0) |
        (times.nanos ? SUB_MICROSECOND : 0);
    return parquetType(column?.kind ?? 'empty', bits);
  };
}

const DAY_MS = 86_400_000;

/** A value the column's type cannot hold: the spool changed between the two passes over it. */
function unexpected(column: string, cell: Cell): Error {
  return new Error(`The export data changed while it was saved (column ${column}: ${cellText(cell)}).`);
}

function timeOf(column: string, cell: Cell): NonNullable<ReturnType<typeof parseTime>> {
  const time = typeof cell === 'string' ? parseTime(cell) : undefined;
  if (!time) throw unexpected(column, cell);
  return time;
}

export type ParquetValue = string | bigint | number | boolean | null;

/**
 * Turns a cell into the value its column's type stores. Empty cells of typed columns are null; a text
 * column keeps empty text as it is, and only a missing or null value is null.
 */
export function parquetValue(type: ParquetType, column: string, cell: Cell | undefined): ParquetValue {
  if (cell === undefined || cell === null) return null;
  if (type === 'string') return cellText(cell);
  if (cell === '') return null;
  switch (type) {
    case 'int64':
      if (typeof cell === 'bigint') return cell;
      if (typeof cell === 'number' && Number.isSafeInteger(cell)) return BigInt(cell);
      if (typeof cell === 'string' && /^-?\d+$/.test(cell)) return BigInt(cell);
      throw unexpected(column, cell);
    case 'double': {
      const n = typeof cell === 'number' ? cell : typeof cell === 'string' ? Number(cell) : NaN;
      if (!Number.isFinite(n)) throw unexpected(column, cell);
      return n;
    }
    case 'boolean':
      if (typeof cell === 'boolean') return cell;
      if (cell === 'true' || cell === 'TRUE') return true;
      if (cell === 'false' || cell === 'FALSE') return false;
      throw unexpected(column, cell);
    case 'date':
      return Math.floor(timeOf(column, cell).wallMs / DAY_MS);
    case 'instant': {
      const t = timeOf(column, cell);
      const ms = t.wallMs - (t.offsetMinutes ?? 0) * 60_000;
      return BigInt(ms) * 1000n + BigInt(t.micros);
    }
    case 'wallclock': {
      const t = timeOf(column, cell);
      return BigInt(t.wallMs) * 1000n + BigInt(t.micros);
    }
  }
}
