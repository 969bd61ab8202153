import { afterEach, describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/records.ts';
import { HttpClient } from '../../../electron/http/client.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import type { Page } from '../../../electron/providers/omniq/fetch.ts';
import { pageWindow, planWindows, type Query } from '../../../electron/providers/omniq/paging.ts';
import { DEFAULT_TENANT, startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';

let sim: OmniqSimulator | undefined;
const http = new HttpClient();
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function query(s: OmniqSimulator, pageSize: number): Query & { fetched: () => number; clock: FakeClock } {
  let fetched = 0;
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  return {
    clock,
    caller: {
      http,
      clock,
      signal: new AbortController().signal,
      connection: { baseUrl: s.url, tenantId: DEFAULT_TENANT, pageSize },
      apiKey: undefined,
    },
    index: 'agents',
    pageSize,
    onFetch: () => void fetched++,
    fetched: () => fetched,
  };
}

async function collect(q: Query & { clock: FakeClock }, count?: number): Promise<Row[]> {
  const rows: Row[] = [];
  const onPage = async (page: Page): Promise<void> => {
    // Slow consumer: the next page is already on its way while this one is handled.
    await new Promise((r) => setTimeout(r, 2));
    for await (const batch of page.rows.batches()) rows.push(...batch);
  };
  await q.clock.drive(
    pageWindow(q, count === undefined ? { filterBy: {} } : { filterBy: {}, count }, onPage),
  );
  return rows;
}

describe('OmniQ paging ahead', () => {
  it('asks for each page of a counted window exactly once, in order, never past its end', async () => {
    sim = await startOmniqSimulator({ counts: { agents: 1050 } });
    const q = query(sim, 100);
    const rows = await collect(q, 1050);
    expect(rows).toEqual(sim.records('agents'));
    const froms = sim.requests.map((r) => (r.body as { from: number }).from);
    expect([...froms].sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i * 100));
    expect(q.fetched()).toBe(11);
  });

  it("lets go of a window's first page once it is paged, also when the window before asked for it", async () => {
    sim = await startOmniqSimulator({ counts: { agents: 250 } });
    const q = query(sim, 100);
    const second = { filterBy: {}, count: 250 };
    const first = { filterBy: {}, count: 250 };
    const onPage = async (): Promise<void> => {
      await new Promise((r) => setTimeout(r, 2));
    };
    await q.clock.drive(pageWindow(q, first, onPage, second));
    // The first window started the second's first page as it ended: held until the second is paged.
    expect(second).toHaveProperty('first');
    expect(first).not.toHaveProperty('first');
    await q.clock.drive(pageWindow(q, second, onPage));
    expect(second).not.toHaveProperty('first');
  });

  it('pages the bare-array answer, which has no total, until a short page', async () => {
    sim = await startOmniqSimulator({ counts: { agents: 250 }, shape: 'array' });
    const q = query(sim, 100);
    expect(await collect(q)).toEqual(sim.records('agents'));
    expect(sim.requests).toHaveLength(3);
  });

  it('retries a failed page it asked for ahead and keeps the order', async () => {
    sim = await startOmniqSimulator({ counts: { agents: 500 } });
    sim.injectFaults({ kind: 'status', status: 503 }, { kind: 'status', status: 502 });
    const q = query(sim, 100);
    expect(await collect(q, 500)).toEqual(sim.records('agents'));
    expect(sim.requests.map((r) => r.status).filter((s) => s !== 200)).toEqual([503, 502]);
  });
});

describe('OmniQ createdAt windows', () => {
  it('cuts a large range into windows of at most 10,000 records that add up to the whole, oldest first', async () => {
    sim = await startOmniqSimulator({ counts: { communications: 25_000 } });
    const q = { ...query(sim, 1000), index: 'communications' };
    const range = { from: '1970-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };
    const windows = await planWindows(q, {}, range, 'planning');
    const counts = windows.map((w) => w.count ?? Number.NaN);
    expect(counts.every((c) => c > 0 && c <= 10_000)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(25_000);
    const starts = windows.map((w) => Date.parse((w.filterBy.createdAt as { from: string }).from));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // Only one-record probes were needed to plan.
    expect(sim.requests.every((r) => (r.body as { size: number }).size === 1)).toBe(true);
  });
});
