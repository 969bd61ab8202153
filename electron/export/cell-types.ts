/**
 * What the cells of a column are, for the formats that keep types (Excel workbooks, Parquet) and for the
 * column profile: every value of a column is classified, and the column takes the one kind all its values
 * fit, or text when they mix.
 *
 * A vendor's JSON already says what is a number and what is text; only its strings are looked at further,
 * for dates and times. A vendor's CSV says nothing, so its text is read as a number, a boolean, a date or a
 * time where it is written exactly as one. Whatever could lose a digit or a leading zero stays text: "007",
 * a decimal with more digits than a double keeps, an integer past int64. Columns named as identifiers or
 * phone numbers stay text whatever their digits look like (an ID is not a quantity, and Excel shows only
 * 15 significant digits).
 */
import type { Cell } from '../../shared/records.ts';

export type ValueKind =
  | 'empty'
  | 'boolean'
  /** An integer a double holds exactly (|n| ≤ 2^53 − 1). */
  | 'integer'
  /** An integer past 2^53 that fits a signed 64-bit integer. */
  | 'bigint'
  | 'number'
  /** A calendar date, yyyy-mm-dd. */
  | 'date'
  /** A date and time of day, with or without a UTC offset. */
  | 'timestamp'
  | 'text';

/** A column's kind: the kind every non-empty value fits ('empty' while none has a value). */
export type ColumnKind = ValueKind;

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Significant digits a double keeps exactly through text and back. */
const DOUBLE_DIGITS = 15;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 date and time; data warehouses also write UTC as a word after the time (` UTC`). */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z| UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Column names that hold identifiers, codes or phone numbers: `id`, `contactId`, `agent_id`, `ANI`,
 * `phoneNumber`, `zip`. Their digits are text.
 */
const IDENTIFIER_WORD =
  /(?:^|[._\s-])(?:id|ids|uuid|guid|key|code|number|no|ani|dnis|msisdn|phone|zip|postcode|postal)$|phone|msisdn/i;
/** camelCase: a lower-case letter, then the capitalized word ('contactId', 'agentID', 'callerNumber'). */
const IDENTIFIER_CAMEL = /[a-z0-9](?:Id|ID|Ids|IDs|Uuid|UUID|Guid|GUID|Key|Code|Number|No|Phone)$/;

export function isIdentifierColumn(name: string): boolean {
  return IDENTIFIER_WORD.test(name) || IDENTIFIER_CAMEL.test(name);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (MONTH_DAYS[m - 1] as number) + (leap ? 1 : 0);
}

/** Significant digits of a number written as text (leading and trailing zeros aside). */
export function significantDigits(text: string): number {
  const mantissa = text
    .replace(/^-/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
}

/** The kind of a date or time written as text, or undefined when it is neither. */
function temporalKind(text: string): 'date' | 'timestamp' | undefined {
  if (text.length < 10 || text.length > 35) return undefined;
  // Most text is neither: a look at the dashes of yyyy-mm-dd spares the patterns.
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  if (text.length === 10) {
    const date = DATE.exec(text);
    return date && validDate(Number(date[1]), Number(date[2]), Number(date[3])) ? 'date' : undefined;
  }
  const time = TIMESTAMP.exec(text);
  if (!time) return undefined;
  if (!validDate(Number(time[1]), Number(time[2]), Number(time[3]))) return undefined;
  if (Number(time[4]) > 23 || Number(time[5]) > 59 || Number(time[6] ?? 0) > 59) return undefined;
  return 'timestamp';
}

/** The kind of a number written as text: exact as an integer, a bigint or a double, else text. */
function numericKind(text: string): 'integer' | 'bigint' | 'number' | 'text' {
  if (INTEGER.test(text)) {
    if (text.length <= 15) return 'integer';
    const n = BigInt(text);
    if (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)) return 'integer';
    return n >= INT64_MIN && n <= INT64_MAX ? 'bigint' : 'text';
  }
  if (significantDigits(text) > DOUBLE_DIGITS || !Number.isFinite(Number(text))) return 'text';
  return 'number';
}

/**
 * The kind of one cell. `fromText`: the value came from CSV text, where numbers, booleans and dates are
 * only written as text.
 */
export function valueKind(cell: Cell | undefined, fromText: boolean): ValueKind {
  switch (typeof cell) {
    case 'undefined':
      return 'empty';
    case 'boolean':
      return 'boolean';
    case 'number':
      if (Number.isSafeInteger(cell)) return 'integer';
      return Number.isFinite(cell) ? 'number' : 'text';
    case 'bigint':
      return cell >= INT64_MIN && cell <= INT64_MAX ? 'bigint' : 'text';
    case 'string': {
      if (cell === '') return 'empty';
      const temporal = temporalKind(cell);
      if (temporal) return temporal;
      if (!fromText) return 'text';
      if (cell === 'true' || cell === 'false' || cell === 'TRUE' || cell === 'FALSE') return 'boolean';
      // A number starts with a digit or a minus sign: most text is ruled out without the pattern.
      const first = cell.charCodeAt(0);
      if (first !== 45 && (first < 48 || first > 57)) return 'text';
      return DECIMAL.test(cell) ? numericKind(cell) : 'text';
    }
    default:
      return cell === null ? 'empty' : 'text';
  }
}

/** The kind of a column holding values of kinds `a` and `b`. */
export function mergeKinds(a: ColumnKind, b: ValueKind): ColumnKind {
  if (a === b || b === 'empty') return a;
  if (a === 'empty') return b;
  const pair = new Set<ValueKind>([a, b]);
  const both = (x: ValueKind, y: ValueKind): boolean => pair.has(x) && pair.has(y);
  if (both('integer', 'number')) return 'number';
  if (both('integer', 'bigint')) return 'bigint';
  if (both('date', 'timestamp')) return 'timestamp';
  return 'text';
}

/** Folds the kinds of a column's values, one cell at a time, into the column's kind. */
export class ColumnKinds {
  readonly #kinds = new Map<string, ColumnKind>();

  constructor(readonly fromText: boolean) {}

  add(column: string, cell: Cell | undefined): void {
    const kind = valueKind(cell, this.fromText);
    const was = this.#kinds.get(column) ?? 'empty';
    if (kind !== was) this.#kinds.set(column, mergeKinds(was, kind));
  }

  /** The kind of `column`: text for identifier columns whose values would otherwise be numbers. */
  kindOf(column: string): ColumnKind {
    const kind = this.#kinds.get(column) ?? 'empty';
    if (isIdentifierColumn(column) && (kind === 'integer' || kind === 'bigint' || kind === 'number'))
      return 'text';
    return kind;
  }
}

/** A date or time written as text, read back: its wall-clock digits, and its UTC offset when it has one. */
export interface ParsedTime {
  /** The written date and time as milliseconds from 1970-01-01T00:00 of the same wall clock. */
  wallMs: number;
  /** Sub-millisecond digits beyond wallMs, in microseconds (0–999). */
  micros: number;
  /** The offset written with it, in minutes east of UTC; undefined when the text has none. */
  offsetMinutes: number | undefined;
}

/** Parses what valueKind calls a date or a timestamp; undefined for anything else. */
export function parseTime(text: string): ParsedTime | undefined {
  const date = text.length === 10 ? DATE.exec(text) : null;
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!validDate(y, m, d)) return undefined;
    return { wallMs: utcMs(y, m, d, 0, 0, 0, 0), micros: 0, offsetMinutes: undefined };
  }
  const t = TIMESTAMP.exec(text);
  if (!t || temporalKind(text) !== 'timestamp') return undefined;
  const fraction = (t[7] ?? '').padEnd(9, '0');
  const wallMs = utcMs(
    Number(t[1]),
    Number(t[2]),
    Number(t[3]),
    Number(t[4]),
    Number(t[5]),
    Number(t[6] ?? 0),
    Number(fraction.slice(0, 3)),
  );
  const zone = t[8];
  let offsetMinutes: number | undefined;
  if (zone === 'Z' || zone === ' UTC') offsetMinutes = 0;
  else if (zone !== undefined) {
    const digits = zone.slice(1).replace(':', '');
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
    offsetMinutes = zone.startsWith('-') ? -minutes : minutes;
  }
  return { wallMs, micros: Number(fraction.slice(3, 6)), offsetMinutes };
}

function utcMs(y: number, m: number, d: number, h: number, min: number, s: number, ms: number): number {
  const at = new Date(0);
  at.setUTCFullYear(y, m - 1, d);
  at.setUTCHours(h, min, s, ms);
  return at.getTime();
}
