const DAY = 86_400_000;

const toMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const toDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** The UTC day `n` days after `day` (before, for a negative `n`). */
export const addDays = (day: string, n: number): string => toDay(toMs(day) + n * DAY);

/**
 * Splits [startDate, endDate] (UTC days, both inclusive) into consecutive ranges of at most `maxDays`
 * days: no day twice, none left out, in order.
 */
export function splitDays(
  query: { startDate: string; endDate: string },
  maxDays: number,
): Array<{ startDate: string; endDate: string }> {
  const out: Array<{ startDate: string; endDate: string }> = [];
  const last = toMs(query.endDate);
  for (let start = toMs(query.startDate); start <= last; start += maxDays * DAY) {
    out.push({ startDate: toDay(start), endDate: toDay(Math.min(last, start + (maxDays - 1) * DAY)) });
  }
  return out;
}

/**
 * The vendor ranges for a query of UTC days, at most `maxDays` days each, consecutive and without
 * overlap. With `endDateMeaning` 'exclusive' the query's `endDate` is the first day not extracted, and so
 * is each range's: [05-01, 05-15), [05-15, 05-29). Otherwise (the default) it is the last day extracted.
 */
export function jobRanges(
  query: { startDate: string; endDate: string; endDateMeaning?: 'inclusive' | 'exclusive' },
  maxDays: number,
): Array<{ startDate: string; endDate: string }> {
  if (query.endDateMeaning !== 'exclusive') return splitDays(query, maxDays);
  return splitDays({ ...query, endDate: addDays(query.endDate, -1) }, maxDays).map((w) => ({
    ...w,
    endDate: addDays(w.endDate, 1),
  }));
}
