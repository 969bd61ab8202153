import { afterEach, describe, expect, it } from 'vitest';
import { parseJson, startOmniqSimulator, type OmniqSimulator, type Row } from '../../simulators/omniq.ts';
import { call } from './http-client.ts';

let sim: OmniqSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('OmniQ simulator: extraRecords', () => {
  it('appends hand-written documents after the generated ones of that index only', async () => {
    const hostile = {
      _id: 'x1',
      campaign: '<img src=x onerror=alert(1)>',
      createdAt: '2025-06-01T00:00:00.000Z',
    };
    sim = await startOmniqSimulator({
      counts: { communications: 5, agents: 3 },
      extraRecords: { communications: [hostile] },
    });

    const records = sim.records('communications');
    expect(records).toHaveLength(6);
    expect(records.at(-1)).toEqual(hostile);
    expect(sim.records('agents')).toHaveLength(3);

    const res = await call(sim.url, {
      headers: { 'x-tenant-id': 'ACME-TENANT01' },
      body: { index: 'communications', from: 5, size: 10 },
    });
    const page = parseJson(res.text) as { results: { document: Row }[]; total: { value: number } };
    expect(page.total.value).toBe(6);
    expect(page.results.map((r) => r.document)).toEqual([hostile]);
  });
});
