/**
 * How a CXone range of UTC days becomes extraction jobs. The main process submits these; the window
 * counts them for its estimate before an export starts.
 */

const DAY = 86_400_000;

const toMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const toDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** The UTC day `n` days after `day` (before, for a negative `n`). */
export const addDays = (day: string, n: number): string => toDay(toMs(day) + n * DAY);

/**
 * The vendor ranges for a query of UTC days, at most `maxDays` days each, consecutive and without
 * overlap: no day twice, none left out, in order. With `endDateMeaning` 'exclusive' the query's `endDate`
 * is the first day not extracted, and so is each range's: [05-01, 05-15), [05-15, 05-29). Otherwise (the
 * default) it is the last day extracted.
 */
export function jobRanges(
  query: { startDate: string; endDate: string; endDateMeaning?: 'inclusive' | 'exclusive' },
  maxDays: number,
): Array<{ startDate: string; endDate: string }> {
  const shift = query.endDateMeaning === 'exclusive' ? DAY : 0;
  const last = toMs(query.endDate) - shift;
  const out: Array<{ startDate: string; endDate: string }> = [];
  for (let start = toMs(query.startDate); start <= last; start += maxDays * DAY) {
    out.push({
      startDate: toDay(start),
      endDate: toDay(Math.min(last, start + (maxDays - 1) * DAY) + shift),
    });
  }
  return out;
}

/** One call per this many milliseconds on a tenant (the vendor's limit). */
export const CXONE_CALL_SPACING_MS = 30_000;

/**
 * Before an export starts: how many days and jobs a query becomes, and the least time the tenant's call
 * limit allows for them (each job needs at least two calls: its submission and a status call that
 * returns the file's link). Undefined for a query that is not a valid range.
 */
export function cxoneEstimate(
  query: { startDate?: string; endDate?: string; endDateMeaning?: 'inclusive' | 'exclusive' },
  maxDays: number,
): { days: number; jobs: number; minMs: number } | undefined {
  const { startDate, endDate } = query;
  if (!startDate || !endDate) return undefined;
  const shift = query.endDateMeaning === 'exclusive' ? 1 : 0;
  const days = Math.round((toMs(endDate) - toMs(startDate)) / DAY) + 1 - shift;
  if (!Number.isFinite(days) || days < 1) return undefined;
  const jobs = jobRanges({ startDate, endDate, endDateMeaning: query.endDateMeaning }, maxDays).length;
  return { days, jobs, minMs: jobs * 2 * CXONE_CALL_SPACING_MS };
}
