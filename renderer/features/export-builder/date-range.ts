/**
 * The date-range control's reading and writing of a query, by the field's DateRangeSpec: which period is
 * chosen or whether fixed dates are, the ends as the user sees them, and what is wrong with a range.
 */
import { isRelativeDate, resolveRelativeDate, resolveRelativeDays } from '../../../shared/dates.ts';
import { fromWire, wireMs, type DateRangeSpec } from '../../../shared/date-range.ts';
import { getPath, isRecord, setPath } from '../../ui/paths.ts';

/** The choice that stands for fixed dates in the period list (no vendor's preset has this name). */
export const FIXED = 'custom';

/** A range in a form of the vendor's that the control does not edit (IntelePeer's $gt, $lt), kept as written. */
export const AS_WRITTEN = '#as-written';

export interface RangeValue {
  /** A period's value, FIXED, AS_WRITTEN, or '' for nothing chosen. */
  choice: string;
  /** The vendor's values of the fixed ends ('' where none is given yet). */
  from: string;
  to: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The last part of a dotted key under `parent`, when it is directly under it. */
const childKey = (parent: string, key: string): string | undefined =>
  key.startsWith(`${parent}.`) && !key.slice(parent.length + 1).includes('.')
    ? key.slice(parent.length + 1)
    : undefined;

export function readRange(spec: DateRangeSpec, query: Record<string, unknown>): RangeValue {
  const whole = getPath(query, spec.period);
  const own = [childKey(spec.period, spec.from), childKey(spec.period, spec.to)];
  if (isRecord(whole) && Object.keys(whole).some((k) => !own.includes(k)))
    return { choice: AS_WRITTEN, from: '', to: '' };
  const period = text(whole);
  const from = getPath(query, spec.from);
  const to = getPath(query, spec.to);
  if (period) return { choice: period, from: '', to: '' };
  if (from !== undefined || to !== undefined)
    return { choice: FIXED, from: text(from) ?? '', to: text(to) ?? '' };
  return { choice: '', from: '', to: '' };
}

/** The query with a period chosen ('' for none): the fixed ends go. */
export function choosePeriod(
  spec: DateRangeSpec,
  query: Record<string, unknown>,
  period: string,
): Record<string, unknown> {
  const cleared = setPath(setPath(query, spec.from, undefined), spec.to, undefined);
  return setPath(cleared, spec.period, period || undefined);
}

/** The query with fixed ends (vendor values, '' for an end not given yet): the period goes. */
export function chooseFixed(
  spec: DateRangeSpec,
  query: Record<string, unknown>,
  from: string,
  to: string,
): Record<string, unknown> {
  return setPath(setPath(setPath(query, spec.period, undefined), spec.from, from), spec.to, to);
}

/** Whether the vendor's end in the query is not part of the range (CXone's "exclusive" endDate). */
export function endExcluded(spec: DateRangeSpec, query: Record<string, unknown>): boolean {
  const w = spec.endExcludedWhen;
  return w ? getPath(query, w.key) === w.value : !spec.endIncluded;
}

/** An end as the user reads it: the day, or the time on their clock ("2025-09-01 10:00"). */
function shown(
  spec: DateRangeSpec,
  wire: string,
  end: boolean,
  timeZone: string,
  q: Record<string, unknown>,
) {
  return (fromWire(spec, wire, end, timeZone, q) ?? wire).replace('T', ' ');
}

/**
 * What is wrong with the range, in words that say what to do; undefined when nothing is. The schema judges
 * the vendor's form too; this speaks of what the user picked.
 */
export function rangeProblem(
  spec: DateRangeSpec,
  required: boolean,
  query: Record<string, unknown>,
  timeZone: string,
): string | undefined {
  const r = readRange(spec, query);
  const day = spec.precision === 'day';
  if (r.choice === '') return required ? `Choose a period or fixed ${day ? 'days' : 'dates'}.` : undefined;
  // A period, or the vendor's own form of a range, which its schema judges.
  if (r.choice !== FIXED) return undefined;
  if (r.from === '' || r.to === '')
    return day
      ? 'Choose both the first and the last day, or a period.'
      : 'Choose both a start and an end, or a period.';
  for (const [which, wire, end] of [
    ['start', r.from, false],
    ['end', r.to, true],
  ] as const) {
    if (fromWire(spec, wire, end, timeZone, query) === undefined)
      return `The ${which} "${wire}" is not ${day ? 'a day written YYYY-MM-DD' : 'a date and time'}: choose it again.`;
  }
  const a = wireMs(spec, r.from);
  const b = wireMs(spec, r.to);
  const from = shown(spec, r.from, false, timeZone, query);
  const to = shown(spec, r.to, true, timeZone, query);
  if (day) {
    const last = endExcluded(spec, query) ? b - 86_400_000 : b;
    if (last < a)
      return `The last day (${to}) is before the first day (${from}): choose a last day on or after the first.`;
    return undefined;
  }
  if (endExcluded(spec, query) ? b <= a : b < a)
    return `The end (${to}) is ${b === a ? 'the same as' : 'before'} the start (${from}): choose an end after the start.`;
  return undefined;
}

const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** Under the period list: what the chosen period covers, and who works it out when. */
export function describePeriod(spec: DateRangeSpec, period: string, nowMs = Date.now()): string {
  if (spec.periodsResolvedBy === 'vendor' || !isRelativeDate(period))
    return `${spec.vendor} works out these dates in the tenant’s time zone when the report runs.`;
  if (spec.precision === 'day') {
    if (period === 'since-last-run')
      return 'The whole UTC days after the last saved run’s last day, up to yesterday (today is left for the next run); a first run takes yesterday.';
    const d = resolveRelativeDays(period, nowMs);
    if (!d) return '';
    const days =
      d.startDate === d.endDate ? `UTC day ${d.startDate}` : `UTC days ${d.startDate} … ${d.endDate}`;
    return `${days} if the export started now; worked out again when it starts.`;
  }
  if (period === 'since-last-run')
    return 'From the end of the last saved run of this recipe until the export starts.';
  const r = resolveRelativeDate(period, nowMs);
  return `${minute(r.from)} to ${minute(r.to)} UTC if the export started now; worked out again when it starts.`;
}
