import { describe, expect, it } from 'vitest';
import type { DateRange } from '../../../shared/dates.ts';
import {
  dateWindowPages,
  WINDOW_PROBE_FROM,
  type DateWindows,
  type WindowStep,
} from '../../../electron/http/date-windows.ts';

const LIMIT = 10_000;
const YEAR: DateRange = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };

interface Asked {
  range: DateRange | undefined;
  from: number;
  size: number;
  signal: AbortSignal;
}

/**
 * A service like OmniQ's: `n` records spread over YEAR (or all at `at`), paged by from/size, its total
 * capped at LIMIT ("at least") and no paging past LIMIT.
 */
function service(
  n: number,
  o: { total?: boolean; at?: string; short?: (a: Asked) => number; ticks?: number; window?: boolean } = {},
) {
  const start = Date.parse(YEAR.from);
  const span = Date.parse(YEAR.to) - start;
  const records = Array.from({ length: n }, (_, i) =>
    o.at ? Date.parse(o.at) : start + Math.floor((span * i) / n),
  );
  const asked: Asked[] = [];
  const events: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch = async (
    range: DateRange | undefined,
    from: number,
    size: number,
    signal: AbortSignal,
  ): Promise<WindowStep<number[]>> => {
    const a = { range, from, size, signal };
    asked.push(a);
    events.push(`ask ${range?.from ?? 'all'} ${from} ${size}`);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    for (let i = 0; i < (o.ticks ?? 1); i++) await new Promise((r) => setImmediate(r));
    inFlight--;
    if (o.window !== false && from + size > LIMIT) throw new Error(`asked past the limit: ${from}+${size}`);
    const matching = range
      ? records.filter((t) => t >= Date.parse(range.from) && t <= Date.parse(range.to))
      : records;
    const page = matching.slice(from, from + size - (o.short?.(a) ?? 0));
    return {
      page,
      count: page.length,
      more: from + page.length < matching.length,
      ...(o.total === false
        ? {}
        : {
            total:
              matching.length > LIMIT
                ? { value: LIMIT, relation: 'gte' as const }
                : { value: matching.length, relation: 'eq' as const },
          }),
    };
  };
  return { records, asked, events, fetch, maxInFlight: () => maxInFlight };
}

function windows(
  s: ReturnType<typeof service>,
  more: Partial<DateWindows<number[]>> = {},
): DateWindows<number[]> {
  return {
    fetch: s.fetch,
    limit: LIMIT,
    size: 100,
    range: YEAR,
    indivisible: () => new Error('one instant'),
    empty: (from) => new Error(`empty at ${from}`),
    pastLimit: (from, counted) => new Error(`past the limit at ${from}${counted ? '' : ', no total'}`),
    ...more,
  };
}

/** Every record, the pages used slowly: the next is on its way meanwhile. */
async function collect(s: ReturnType<typeof service>, pages: AsyncIterable<number[]>): Promise<number[]> {
  const out: number[] = [];
  for await (const page of pages) {
    s.events.push(`use ${page.length}`);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    out.push(...page);
  }
  return out;
}

describe('dateWindowPages', () => {
  it('pages a query within the limit once each, in order, one page ahead, never past its count', async () => {
    // Pages that take longer to come than to use: as many in flight as allowed.
    const s = service(1050, { ticks: 5 });
    expect(await collect(s, dateWindowPages(windows(s)))).toEqual(s.records);
    expect(s.asked.map((a) => a.from)).toEqual(Array.from({ length: 11 }, (_, i) => i * 100));
    expect(s.asked.every((a) => a.range === undefined)).toBe(true);
    expect(s.maxInFlight()).toBe(2);
    // The second page was asked for before the first was used.
    expect(s.events.indexOf('ask all 100 100')).toBeLessThan(s.events.indexOf('use 100'));
  });

  it('pages an answer without a total until a page says it is the last', async () => {
    const s = service(250, { total: false });
    expect(await collect(s, dateWindowPages(windows(s)))).toEqual(s.records);
    expect(s.asked.map((a) => a.from)).toEqual([0, 100, 200]);
  });

  it('cuts a query of more than the limit into windows of at most the limit, oldest first, planned with one-record probes', async () => {
    const s = service(25_000);
    const told: string[] = [];
    const pages = dateWindowPages(
      windows(s, {
        size: 1000,
        onSplit: (total) => told.push(`split ${total}`),
        onExpected: (rows, exact) => told.push(`${rows} ${exact ? 'exactly' : 'at least'}`),
      }),
    );
    expect(await collect(s, pages)).toEqual(s.records);
    expect(told).toEqual(['split 10000', '10000 at least', '25000 exactly', '25000 exactly']);
    const probes = s.asked.filter((a) => a.size === 1);
    const paged = s.asked.filter((a) => a.size > 1 && a.range);
    expect(probes.length).toBeGreaterThan(0);
    // Planning came first, only with probes; then each page of each window asked for once.
    expect(s.asked.slice(1, probes.length + 1)).toEqual(probes);
    expect(new Set(paged.map((a) => `${a.range?.from} ${a.from}`)).size).toBe(paged.length);
    const starts = [...new Set(paged.map((a) => Date.parse(a.range?.from ?? '')))];
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('pages a query of more than the limit straight through when the service has no result window', async () => {
    const s = service(25_000, { window: false, ticks: 3 });
    const told: string[] = [];
    const dropped: number[][] = [];
    const pages = dateWindowPages(
      windows(s, {
        size: 1000,
        onSplit: (total) => told.push(`split ${total}`),
        onExpected: (rows, exact) => told.push(`${rows} ${exact ? 'exactly' : 'at least'}`),
        drop: (p) => dropped.push(p),
      }),
    );
    expect(await collect(s, pages)).toEqual(s.records);
    expect(told).toEqual(['10000 at least', '25000 exactly']);
    // The first page, then one probe far past any window, then every page once, the first one kept, and
    // one page past the end: a full page that says more follow is taken to mean another one after the next.
    expect(s.asked.map((a) => [a.from, a.size])).toEqual([
      [0, 1000],
      [WINDOW_PROBE_FROM, 1],
      ...Array.from({ length: 25 }, (_, i) => [(i + 1) * 1000, 1000]),
    ]);
    expect(s.asked.every((a) => a.range === undefined)).toBe(true);
    expect(s.maxInFlight()).toBe(2);
    await new Promise((r) => setImmediate(r));
    // Only the probe's empty page and the one past the end are dropped.
    expect(dropped.map((p) => p.length)).toEqual([0, 0]);
  });

  it('cuts the query when the service refuses the probe past its window, keeping no page of the whole query', async () => {
    const s = service(25_000);
    await collect(s, dateWindowPages(windows(s, { size: 1000 })));
    expect(s.asked[1]).toMatchObject({ range: undefined, from: WINDOW_PROBE_FROM, size: 1 });
    expect(s.asked.slice(2).every((a) => a.range !== undefined && a.from + a.size <= LIMIT)).toBe(true);
  });

  it("starts the next window's first page while the last page of a window is used", async () => {
    const s = service(15_000);
    await collect(s, dateWindowPages(windows(s, { size: 5000 })));
    // Two windows of 7,500 records, two pages each.
    const [first, second] = s.asked.filter((a) => a.size === 5000 && a.range && a.from === 0);
    const askSecond = s.events.indexOf(`ask ${second?.range?.from} 0 5000`);
    expect(s.events.slice(0, askSecond).filter((e) => e.startsWith('use'))).toHaveLength(1);
    expect(s.asked.filter((a) => a.range === first?.range && a.size === 5000)).toHaveLength(2);
  });

  it('drops the pages asked for ahead at offsets a short page made stale, and frees those that came', async () => {
    // The first page comes back 10 short (records removed meanwhile): the guess at 100 is stale.
    const s = service(300, { short: (a) => (a.from === 0 ? 10 : 0) });
    const dropped: number[][] = [];
    const got = await collect(s, dateWindowPages(windows(s, { drop: (p) => dropped.push(p) })));
    expect(got).toEqual(s.records);
    const stale = s.asked.find((a) => a.from === 100);
    expect(stale?.signal.aborted).toBe(true);
    expect(s.asked.map((a) => a.from)).toEqual([0, 100, 90, 190, 290]);
    await new Promise((r) => setImmediate(r));
    expect(dropped).toHaveLength(1);
  });

  it('cancels what it asked for ahead when the pages are no longer wanted', async () => {
    const s = service(1050);
    for await (const page of dateWindowPages(windows(s))) {
      expect(page).toHaveLength(100);
      break;
    }
    expect(s.asked.map((a) => [a.from, a.signal.aborted])).toEqual([
      [0, false],
      [100, true],
    ]);
  });

  it('fails instead of paging on where the service cannot go', async () => {
    const at = '2025-06-01T00:00:00.000Z';
    const instant = service(LIMIT + 1, { at });
    await expect(collect(instant, dateWindowPages(windows(instant)))).rejects.toThrow('one instant');
    const uncut = service(LIMIT + 1);
    await expect(collect(uncut, dateWindowPages(windows(uncut, { range: undefined })))).rejects.toThrow(
      'one instant',
    );
    const untold = service(LIMIT + 1, { total: false });
    await expect(collect(untold, dateWindowPages(windows(untold, { size: 5000 })))).rejects.toThrow(
      'past the limit at 5000, no total',
    );
    const empty = service(300, { short: (a) => (a.from === 100 ? 100 : 0) });
    await expect(collect(empty, dateWindowPages(windows(empty)))).rejects.toThrow('empty at 100');
  });
});
