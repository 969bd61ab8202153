/**
 * How each vendor writes a date range, as data on its query field (FieldSpec.dateRange), and the
 * conversions between what a person picks (days, or times on their own clock) and what the vendor is sent.
 * One control in the window reads these; it never asks which vendor it is drawing.
 */
import { RELATIVE_DATES, RELATIVE_LABELS } from './dates.ts';
import { instantOf, wallClockAt, withOffset, type WallClock } from './zoned-time.ts';

/**
 * How one end of a fixed range goes on the wire:
 * - 'utc-day': a UTC calendar day, 2025-09-01;
 * - 'utc-ms': an ISO instant in UTC to the millisecond, 2025-09-01T00:00:00.000Z;
 * - 'utc-s': an ISO instant in UTC to the second, 2025-09-01T00:00:00Z;
 * - 'offset': the time on the user's clock with its offset, 2025-09-01T00:00:00+01:00.
 */
export type DateWire = 'utc-day' | 'utc-ms' | 'utc-s' | 'offset';

export interface DatePeriod {
  /** What the query holds: a relative keyword (shared/dates.ts) or the vendor's own preset name. */
  value: string;
  /** What a person reads: "Last month", not "LastMonth". */
  label: string;
}

export interface DateRangeSpec {
  /** 'day': whole days on date inputs; 'instant': times on the user's clock, on datetime inputs. */
  precision: 'day' | 'instant';
  wire: DateWire;
  /** The vendor's name in "Sent to … as". */
  vendor: string;
  /** Dotted query keys of the fixed range's two ends. */
  from: string;
  to: string;
  /**
   * Dotted query key of a period (a relative keyword or a vendor preset). It may be the key whose value
   * otherwise is the object holding `from` and `to` (OmniQ's createdAt is "yesterday" or {from, to}).
   */
  period: string;
  /** The periods offered. A value in the query that is not listed is still shown, as it is written. */
  periods: readonly DatePeriod[];
  /**
   * Who works out a period's dates: the app when the export starts (in UTC, see shared/dates.ts), or the
   * vendor (in its tenant's time zone).
   */
  periodsResolvedBy: 'app' | 'vendor';
  /** Whether the vendor takes the `to` end as part of the range (an included end is its last moment). */
  endIncluded: boolean;
  /**
   * For a vendor whose query says itself whether its end day is included: when the query's `key` holds
   * `value`, the vendor's end is the day after the last day the user picks.
   */
  endExcludedWhen?: { key: string; value: string };
}

/** The relative keywords as periods, for vendors whose recipes take them. */
export const RELATIVE_PERIODS: readonly DatePeriod[] = RELATIVE_DATES.map((value) => ({
  value,
  label: RELATIVE_LABELS[value],
}));

const DAY_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TEXT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const two = (n: number) => String(n).padStart(2, '0');

/** Whether `text` is a calendar day that exists (2025-02-30 does not). */
export function isDay(text: string): boolean {
  const m = DAY_TEXT.exec(text);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text;
}

/** The UTC day `n` days after `day`. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The seconds and milliseconds an end takes when the user picks only a minute: the first moment of it for
 * a start or an excluded end, the last one the vendor can write for an included end.
 */
function fill(spec: DateRangeSpec, end: boolean): { second: number; ms: number } {
  if (!end || !spec.endIncluded) return { second: 0, ms: 0 };
  return { second: 59, ms: spec.wire === 'utc-ms' ? 999 : 0 };
}

function endShift(spec: DateRangeSpec, end: boolean, query: Record<string, unknown>): number {
  const w = spec.endExcludedWhen;
  return end && w && query[w.key] === w.value ? 1 : 0;
}

/**
 * What the user picked (a day, or "2025-09-01T10:00" on their clock in `timeZone`) as the vendor's value
 * for one end; undefined for text that is no such day or time.
 */
export function toWire(
  spec: DateRangeSpec,
  input: string,
  end: boolean,
  timeZone: string,
  query: Record<string, unknown> = {},
): string | undefined {
  if (spec.precision === 'day') {
    if (!isDay(input)) return undefined;
    return addDays(input, endShift(spec, end, query));
  }
  const m = LOCAL_TEXT.exec(input);
  if (!m) return undefined;
  const f = fill(spec, end);
  const w: WallClock = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] === undefined ? f.second : Number(m[6]),
    ms: m[7] === undefined ? f.ms : Number(m[7].padEnd(3, '0')),
  };
  if (!isDay(input.slice(0, 10)) || w.hour > 23 || w.minute > 59 || w.second > 59) return undefined;
  const ms = instantOf(w, timeZone);
  switch (spec.wire) {
    case 'offset':
      return withOffset(ms, timeZone);
    case 'utc-s':
      return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    default:
      return new Date(ms).toISOString();
  }
}

/**
 * The vendor's value of one end as the control shows it: the day, or the time on the user's clock with
 * only as many digits as it needs (an included end at its minute's last moment shows as that minute), so
 * that toWire gives the same value back. Undefined for a value that is not the vendor's form.
 */
export function fromWire(
  spec: DateRangeSpec,
  wire: string,
  end: boolean,
  timeZone: string,
  query: Record<string, unknown> = {},
): string | undefined {
  if (spec.precision === 'day') return isDay(wire) ? addDays(wire, -endShift(spec, end, query)) : undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(wire)) return undefined;
  const ms = Date.parse(wire);
  if (Number.isNaN(ms)) return undefined;
  const w = wallClockAt(ms, timeZone);
  const f = fill(spec, end);
  const minute = `${w.year}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}`;
  if (w.ms !== f.ms) return `${minute}:${two(w.second)}.${String(w.ms).padStart(3, '0')}`;
  if (w.second !== f.second) return `${minute}:${two(w.second)}`;
  return minute;
}

/** The instant a vendor value stands for (a day: its first millisecond, UTC), for comparing two ends. */
export function wireMs(spec: DateRangeSpec, wire: string): number {
  return spec.precision === 'day' ? Date.parse(`${wire}T00:00:00Z`) : Date.parse(wire);
}
