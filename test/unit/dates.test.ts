import { describe, expect, it } from 'vitest';
import {
  isRelativeDate,
  RELATIVE_DATES,
  resolveRelativeDate,
  splitRange,
  type DateRange,
  type RelativeDate,
} from '../../shared/dates.ts';

const at = (iso: string) => Date.parse(iso);
const resolve = (keyword: RelativeDate, now: string, lastRunUntil?: string) =>
  resolveRelativeDate(keyword, at(now), lastRunUntil);

describe('relative dates', () => {
  it('recognises exactly the documented keywords', () => {
    expect(RELATIVE_DATES).toEqual(['today', 'yesterday', 'last-7-days', 'this-month', 'since-last-run']);
    for (const k of RELATIVE_DATES) expect(isRelativeDate(k)).toBe(true);
    for (const v of ['Today', 'last-30-days', '', '2025-01-01T00:00:00.000Z', 7, null, undefined, {}])
      expect(isRelativeDate(v)).toBe(false);
  });

  it('today: the whole current UTC day, to the last millisecond', () => {
    expect(resolve('today', '2025-03-15T10:20:30.123Z')).toEqual({
      from: '2025-03-15T00:00:00.000Z',
      to: '2025-03-15T23:59:59.999Z',
    });
    // The first and last millisecond of a day belong to that day.
    expect(resolve('today', '2025-03-15T00:00:00.000Z').from).toBe('2025-03-15T00:00:00.000Z');
    expect(resolve('today', '2025-03-15T23:59:59.999Z').from).toBe('2025-03-15T00:00:00.000Z');
  });

  it('yesterday: the day before, across month, year and leap-day boundaries', () => {
    expect(resolve('yesterday', '2025-03-15T10:00:00.000Z')).toEqual({
      from: '2025-03-14T00:00:00.000Z',
      to: '2025-03-14T23:59:59.999Z',
    });
    expect(resolve('yesterday', '2025-03-01T00:00:00.000Z')).toEqual({
      from: '2025-02-28T00:00:00.000Z',
      to: '2025-02-28T23:59:59.999Z',
    });
    expect(resolve('yesterday', '2024-03-01T08:30:00.000Z')).toEqual({
      from: '2024-02-29T00:00:00.000Z',
      to: '2024-02-29T23:59:59.999Z',
    });
    expect(resolve('yesterday', '2026-01-01T00:00:00.001Z')).toEqual({
      from: '2025-12-31T00:00:00.000Z',
      to: '2025-12-31T23:59:59.999Z',
    });
  });

  it('last-7-days: the seven whole days before today, today left out', () => {
    expect(resolve('last-7-days', '2025-03-15T10:00:00.000Z')).toEqual({
      from: '2025-03-08T00:00:00.000Z',
      to: '2025-03-14T23:59:59.999Z',
    });
    expect(resolve('last-7-days', '2025-01-03T08:00:00.000Z')).toEqual({
      from: '2024-12-27T00:00:00.000Z',
      to: '2025-01-02T23:59:59.999Z',
    });
    // Leap year: 29 February is one of the seven days.
    const leap = resolve('last-7-days', '2024-03-03T12:00:00.000Z');
    expect(leap).toEqual({ from: '2024-02-25T00:00:00.000Z', to: '2024-03-02T23:59:59.999Z' });
    expect(at(leap.to) - at(leap.from) + 1).toBe(7 * 86_400_000);
  });

  it('this-month: from the first of the month up to the end of today', () => {
    expect(resolve('this-month', '2025-03-15T10:00:00.000Z')).toEqual({
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-15T23:59:59.999Z',
    });
    // On the first of a month it is that day alone, not the month before.
    expect(resolve('this-month', '2025-04-01T00:00:00.000Z')).toEqual({
      from: '2025-04-01T00:00:00.000Z',
      to: '2025-04-01T23:59:59.999Z',
    });
    expect(resolve('this-month', '2025-12-31T23:59:59.999Z')).toEqual({
      from: '2025-12-01T00:00:00.000Z',
      to: '2025-12-31T23:59:59.999Z',
    });
    expect(resolve('this-month', '2024-02-29T18:00:00.000Z')).toEqual({
      from: '2024-02-01T00:00:00.000Z',
      to: '2024-02-29T23:59:59.999Z',
    });
  });

  it('since-last-run: everything up to now on the first run', () => {
    expect(resolve('since-last-run', '2025-07-01T12:00:00.000Z')).toEqual({
      from: '1970-01-01T00:00:00.000Z',
      to: '2025-07-01T12:00:00.000Z',
    });
  });

  it('since-last-run: continues one millisecond after the previous run, so no record is fetched twice', () => {
    expect(resolve('since-last-run', '2025-07-02T12:00:00.000Z', '2025-07-01T12:00:00.000Z')).toEqual({
      from: '2025-07-01T12:00:00.001Z',
      to: '2025-07-02T12:00:00.000Z',
    });
    // Consecutive runs tile time without a gap.
    const first = resolve('since-last-run', '2025-07-01T12:00:00.000Z');
    const second = resolve('since-last-run', '2025-07-01T12:00:05.500Z', first.to);
    expect(at(second.from)).toBe(at(first.to) + 1);
  });

  it('works the same for instants before 1970', () => {
    expect(resolve('today', '1969-12-31T12:00:00.000Z')).toEqual({
      from: '1969-12-31T00:00:00.000Z',
      to: '1969-12-31T23:59:59.999Z',
    });
  });
});

/** mulberry32: a small seeded generator, so a failing case can be reproduced from the seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('splitRange', () => {
  it('splits any range into two contiguous, non-overlapping, non-empty halves (random ranges)', () => {
    const random = seeded(20250520);
    const widths = [1, 2, 3, 999, 86_400_000, 31 * 86_400_000, 10 * 365 * 86_400_000];
    for (let i = 0; i < 5000; i++) {
      const from = Math.floor(random() * Date.UTC(2040, 0, 1));
      // Half the cases pick a tricky small or round width, half any width up to ten years.
      const width =
        i % 2 === 0 ? (widths[i % widths.length] ?? 1) : 1 + Math.floor(random() * 10 * 365 * 86_400_000);
      const range = { from: iso(from), to: iso(from + width) };
      const halves = splitRange(range);
      expect(halves, JSON.stringify(range)).toBeDefined();
      const [a, b] = halves as [DateRange, DateRange];
      const msg = `${JSON.stringify(range)} -> ${JSON.stringify(halves)}`;
      expect(a.from, msg).toBe(range.from);
      expect(b.to, msg).toBe(range.to);
      expect(at(b.from), msg).toBe(at(a.to) + 1);
      expect(at(a.from) <= at(a.to) && at(b.from) <= at(b.to), msg).toBe(true);
      // Balanced: the halves differ by at most one millisecond, so repeated splitting ends quickly.
      const sizeA = at(a.to) - at(a.from) + 1;
      const sizeB = at(b.to) - at(b.from) + 1;
      expect(sizeA + sizeB, msg).toBe(width + 1);
      expect(Math.abs(sizeA - sizeB), msg).toBeLessThanOrEqual(1);
    }
  });

  it('splitting again and again ends in single instants that cover the range exactly once', () => {
    const start = at('2025-05-20T00:00:00.000Z');
    const leaves: DateRange[] = [];
    const pending: DateRange[] = [{ from: iso(start), to: iso(start + 36) }];
    while (pending.length > 0) {
      const r = pending.shift() as DateRange;
      const halves = splitRange(r);
      if (halves) pending.unshift(...halves);
      else leaves.push(r);
    }
    expect(leaves.map((l) => at(l.from) - start)).toEqual(Array.from({ length: 37 }, (_, i) => i));
    for (const l of leaves) expect(l.from).toBe(l.to);
  });

  it('does not split a single instant or a reversed range', () => {
    expect(splitRange({ from: '2025-05-20T00:00:00.000Z', to: '2025-05-20T00:00:00.000Z' })).toBeUndefined();
    expect(splitRange({ from: '2025-05-20T00:00:00.001Z', to: '2025-05-20T00:00:00.000Z' })).toBeUndefined();
    expect(splitRange({ from: 'not a date', to: '2025-05-20T00:00:00.000Z' })).toBeUndefined();
  });

  it('splits two adjacent milliseconds into one each', () => {
    expect(splitRange({ from: '2025-05-20T00:00:00.000Z', to: '2025-05-20T00:00:00.001Z' })).toEqual([
      { from: '2025-05-20T00:00:00.000Z', to: '2025-05-20T00:00:00.000Z' },
      { from: '2025-05-20T00:00:00.001Z', to: '2025-05-20T00:00:00.001Z' },
    ]);
  });
});
