/**
 * Relative date keywords a recipe may use instead of fixed dates, so a saved export can be re-run on a
 * schedule. Days are UTC calendar days unless a provider says otherwise; ranges are inclusive to the
 * millisecond, the way vendors document them (`...T23:59:59.999Z`).
 */
export const RELATIVE_DATES = ['today', 'yesterday', 'last-7-days', 'this-month', 'since-last-run'] as const;
export type RelativeDate = (typeof RELATIVE_DATES)[number];

/** The keywords as a person reads them. */
export const RELATIVE_LABELS: Record<RelativeDate, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  'last-7-days': 'Last 7 days',
  'this-month': 'This month',
  'since-last-run': 'Since the last run',
};

export interface DateRange {
  from: string;
  to: string;
}

export function isRelativeDate(value: unknown): value is RelativeDate {
  return typeof value === 'string' && (RELATIVE_DATES as readonly string[]).includes(value);
}

const DAY = 86_400_000;

function startOfUtcDay(ms: number): number {
  return ms - (((ms % DAY) + DAY) % DAY);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * @param nowMs the moment the export starts
 * @param lastRunUntil for `since-last-run`: the `to` of the previous successful run of the same recipe
 *   (undefined on the first run, which then takes everything up to now)
 */
export function resolveRelativeDate(keyword: RelativeDate, nowMs: number, lastRunUntil?: string): DateRange {
  const today = startOfUtcDay(nowMs);
  switch (keyword) {
    case 'today':
      return { from: iso(today), to: iso(today + DAY - 1) };
    case 'yesterday':
      return { from: iso(today - DAY), to: iso(today - 1) };
    case 'last-7-days':
      // The seven whole days before today: today's data is usually incomplete.
      return { from: iso(today - 7 * DAY), to: iso(today - 1) };
    case 'this-month': {
      const d = new Date(today);
      return { from: iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)), to: iso(today + DAY - 1) };
    }
    case 'since-last-run': {
      const from = lastRunUntil ? Date.parse(lastRunUntil) + 1 : 0;
      return { from: iso(from), to: iso(nowMs) };
    }
  }
}

/** Splits [from, to] (inclusive, ms precision) into two halves that neither overlap nor leave a gap. */
export function splitRange(range: DateRange): [DateRange, DateRange] | undefined {
  const a = Date.parse(range.from);
  const b = Date.parse(range.to);
  if (!(b > a)) return undefined;
  const mid = a + Math.floor((b - a) / 2);
  return [
    { from: iso(a), to: iso(mid) },
    { from: iso(mid + 1), to: iso(b) },
  ];
}

const utcDay = (ms: number): string => iso(ms).slice(0, 10);

/**
 * A keyword as a range of whole UTC days (both included), for vendors that take days rather than instants.
 * The same days as resolveRelativeDate, except `since-last-run`: today is never taken, because a day
 * fetched before it is over would either lose its later rows or fetch its earlier ones twice. So it runs
 * from the UTC day after the last run's end (the day holding `lastRunUntil` + 1 ms, so a run that ended
 * mid-day is taken from that day again rather than losing its rest) through yesterday; a first run takes
 * yesterday. Undefined when nothing is left to take (the last run already reached yesterday).
 */
export function resolveRelativeDays(
  keyword: RelativeDate,
  nowMs: number,
  lastRunUntil?: string,
): { startDate: string; endDate: string } | undefined {
  if (keyword !== 'since-last-run') {
    const r = resolveRelativeDate(keyword, nowMs);
    return { startDate: r.from.slice(0, 10), endDate: r.to.slice(0, 10) };
  }
  const yesterday = startOfUtcDay(nowMs) - DAY;
  const after = lastRunUntil === undefined ? Number.NaN : Date.parse(lastRunUntil) + 1;
  const from = Number.isNaN(after) ? yesterday : startOfUtcDay(after);
  if (from > yesterday) return undefined;
  return { startDate: utcDay(from), endDate: utcDay(yesterday) };
}
