/**
 * What a column profile notes of the dates and times in a column (spool-profile.ts): how they are written
 * (with a UTC offset or not, how fine their digits go), for the typed writers, and how two of them
 * compare, as text when they are written alike and by their instant otherwise.
 */
import type { ColumnProfile } from '../../shared/profile.ts';
import { parseTime } from './cell-types.ts';

export type TimeFacts = NonNullable<ColumnProfile['times']>;

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const NON_ZERO = /[1-9]/;

/**
 * Notes how a date or time is written (valueKind said it is one, so its shape is known): with a UTC offset
 * or not, and how fine its digits go; read as parseTime reads it.
 */
export function noteTime(facts: TimeFacts, text: string, kind: 'date' | 'timestamp'): void {
  if (kind === 'date') {
    facts.withoutOffset = true;
    return;
  }
  // yyyy-mm-ddThh:mm, then :ss, a fraction and a zone, each optional.
  let at = 16;
  if (text.charCodeAt(at) === 58) at += 3;
  const mark = text.charCodeAt(at);
  if (mark === 46 || mark === 44) {
    let end = at + 1;
    while (end < text.length && isDigit(text.charCodeAt(end))) end += 1;
    const fraction = text.slice(at + 1, end);
    if (!facts.millis && NON_ZERO.test(fraction.slice(0, 3))) facts.millis = true;
    if (!facts.micros && NON_ZERO.test(fraction.slice(3, 6))) facts.micros = true;
    if (!facts.nanos && NON_ZERO.test(fraction.slice(6))) facts.nanos = true;
    at = end;
  }
  if (at >= text.length) {
    facts.withoutOffset = true;
    return;
  }
  const zone = text.slice(at);
  let minutes = 0;
  if (zone !== 'Z' && zone !== ' UTC') {
    const digits = zone.slice(1).replace(':', '');
    minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
    if (zone.startsWith('-')) minutes = -minutes;
  }
  if (facts.offsets.length < 2 && !facts.offsets.includes(minutes)) facts.offsets.push(minutes);
}

/** A date or time read back for comparing with one written otherwise: the instant (with an offset) or the wall clock (without), in ms, and the microseconds beyond. */
interface Instant {
  ms: number;
  micros: number;
}

/**
 * The earliest or latest date or time of a column, as written; read back only when compared with one
 * written otherwise (rare: most columns write every value alike, and those compare as text).
 */
export interface TimeBound {
  text: string;
  instant?: Instant | null;
}

function instantOf(text: string): Instant | null {
  const t = parseTime(text);
  return t ? { ms: t.wallMs - (t.offsetMinutes ?? 0) * 60_000, micros: t.micros } : null;
}

const before = (a: Instant, b: Instant): boolean => a.ms < b.ms || (a.ms === b.ms && a.micros < b.micros);

/** The UTC offset written at the end of a timestamp ('Z', '+02:00'), or '' for none. */
function zoneOf(text: string): string {
  if (text.charCodeAt(text.length - 1) === 90) return 'Z';
  const at = Math.max(text.indexOf('+', 10), text.indexOf('-', 10));
  return at === -1 ? '' : text.slice(at);
}

/**
 * Whether two dates or times written alike (same length, separator and offset) compare as their text:
 * the usual case, which then needs no parsing.
 */
function writtenAlike(a: string, b: string): boolean {
  return a.length === b.length && a.charCodeAt(10) === b.charCodeAt(10) && zoneOf(a) === zoneOf(b);
}

/** Whether `text` is earlier (-1) or later (1) than `bound`, or at the same time (0). */
export function compareTime(text: string, bound: TimeBound): number {
  if (writtenAlike(text, bound.text)) return text < bound.text ? -1 : text > bound.text ? 1 : 0;
  const t = instantOf(text);
  if (bound.instant === undefined) bound.instant = instantOf(bound.text);
  const b = bound.instant;
  if (!t || !b) return 0;
  return before(t, b) ? -1 : before(b, t) ? 1 : 0;
}
