import { afterEach, describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/records.ts';
import type { OmniqQuery } from '../../../shared/providers/omniq.ts';
import { HttpClient } from '../../../electron/http/client.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { omniqFetch, type FetchPage } from '../../../electron/providers/omniq/fetch.ts';
import { omniqQueryPages } from '../../../electron/providers/omniq.ts';
import { WINDOW_PROBE_FROM } from '../../../electron/http/date-windows.ts';
import { DEFAULT_TENANT, startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';

let sim: OmniqSimulator | undefined;
const http = new HttpClient();
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Every row of `query` through OmniQ's declarations, each page used slowly; what was fetched and said. */
async function exportRows(s: OmniqSimulator, query: OmniqQuery, pageSize: number) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  let fetched = 0;
  const fetch = omniqFetch({
    http,
    clock,
    signal: new AbortController().signal,
    connection: { baseUrl: s.url, tenantId: DEFAULT_TENANT, pageSize },
    secrets: {},
  });
  const counted: FetchPage = (...args) => fetch(...args).then((p) => (fetched++, p));
  const warnings: string[] = [];
  const rows: Row[] = [];
  const run = async (): Promise<void> => {
    const connection = { baseUrl: s.url, tenantId: DEFAULT_TENANT, pageSize };
    const ctx = { query, connection, clock, warn: (m: string) => warnings.push(m), progress: () => {} };
    for await (const page of omniqQueryPages(counted, ctx)) {
      // Slow consumer: the next page is already on its way while this one is handled.
      await new Promise((r) => setTimeout(r, 2));
      for await (const batch of page.batches()) rows.push(...batch.rows);
    }
  };
  await clock.drive(run());
  return { rows, fetched, warnings };
}

const bodies = (s: OmniqSimulator) =>
  s.requests.map((r) => r.body as { from: number; size: number; filterBy?: Record<string, unknown> });

describe('OmniQ paging', () => {
  it('asks for each page of a counted query exactly once, never past its end', async () => {
    sim = await startOmniqSimulator({ counts: { agents: 1050 } });
    const got = await exportRows(sim, { index: 'agents' }, 100);
    expect(got.rows).toEqual(sim.records('agents'));
    const froms = bodies(sim).map((b) => b.from);
    expect([...froms].sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i * 100));
    expect(got.fetched).toBe(11);
    expect(got.warnings).toEqual([]);
  });

  it('pages the bare-array answer, which has no total, until a short page', async () => {
    sim = await startOmniqSimulator({ counts: { agents: 250 }, shape: 'array' });
    expect((await exportRows(sim, { index: 'agents' }, 100)).rows).toEqual(sim.records('agents'));
    expect(sim.requests).toHaveLength(3);
  });

  it('retries a failed page it asked for ahead and keeps the order', async () => {
    sim = await startOmniqSimulator({ counts: { agents: 500 } });
    sim.injectFaults({ kind: 'status', status: 503 }, { kind: 'status', status: 502 });
    expect((await exportRows(sim, { index: 'agents' }, 100)).rows).toEqual(sim.records('agents'));
    expect(sim.requests.map((r) => r.status).filter((s) => s !== 200)).toEqual([503, 502]);
  });
});

describe('OmniQ createdAt windows', () => {
  it('cuts a query without a createdAt range into windows of at most 10,000 records, oldest first', async () => {
    sim = await startOmniqSimulator({ counts: { communications: 25_000 } });
    const got = await exportRows(sim, { index: 'communications' }, 5000);
    expect(got.rows).toEqual(sim.records('communications'));
    expect(got.warnings).toEqual([
      'The query has no createdAt range, so one was added to split it: records without a createdAt are not included.',
      'More than 10,000 records match: the export is fetched in createdAt windows.',
    ]);
    const paged = bodies(sim).filter((b) => b.size > 1 && b.filterBy?.createdAt);
    expect(paged.every((b) => b.from + b.size <= 10_000)).toBe(true);
    const starts = paged.map((b) => Date.parse((b.filterBy?.createdAt as { from: string }).from));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('pages straight through, in one query, a service that answers past 10,000 records', async () => {
    sim = await startOmniqSimulator({ counts: { communications: 25_000 }, resultWindow: null });
    const got = await exportRows(sim, { index: 'communications' }, 5000);
    expect(got.rows).toEqual(sim.records('communications'));
    expect(got.warnings).toEqual([]);
    const froms = bodies(sim).map((b) => b.from);
    // The first page, one probe far past any window (answered empty), then the other pages once each.
    // The page past the end, asked for while the last was on its way, is cancelled when the last one says
    // it is the last: it reaches the simulator only if it was sent before that.
    expect(froms.slice(0, 6)).toEqual([0, WINDOW_PROBE_FROM, 5000, 10_000, 15_000, 20_000]);
    expect(froms.slice(6)).toEqual(froms.length > 6 ? [25_000] : []);
    expect(bodies(sim).every((b) => b.filterBy?.createdAt === undefined)).toBe(true);
  });

  it('splits when OmniQ refuses the probe past its window, as Elasticsearch does', async () => {
    sim = await startOmniqSimulator({ counts: { communications: 12_000 } });
    const got = await exportRows(sim, { index: 'communications' }, 5000);
    expect(got.rows).toEqual(sim.records('communications'));
    expect(sim.requests[1]?.status).toBe(400);
    expect(bodies(sim)[1]).toMatchObject({ from: WINDOW_PROBE_FROM, size: 1 });
    expect(sim.requests.slice(2).every((r) => r.status === 200)).toBe(true);
  });

  it('takes any failure of the probe as a window, without trying it again', async () => {
    sim = await startOmniqSimulator({ counts: { communications: 12_000 }, resultWindow: null });
    sim.injectFaults({ kind: 'slow', delayMs: 0 }, { kind: 'status', status: 503 });
    const got = await exportRows(sim, { index: 'communications' }, 5000);
    expect(got.rows).toEqual(sim.records('communications'));
    const probes = sim.requests.filter((r) => (r.body as { from: number }).from === WINDOW_PROBE_FROM);
    expect(probes.map((r) => r.status)).toEqual([503]);
    expect(got.warnings).toContain(
      'More than 10,000 records match: the export is fetched in createdAt windows.',
    );
  });
});
