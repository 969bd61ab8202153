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
