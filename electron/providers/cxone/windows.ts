const DAY = 86_400_000;

const toMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const toDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

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
