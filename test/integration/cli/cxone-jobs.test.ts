import { TENANT_CALL_INTERVAL_MS } from '../../../electron/providers/cxone/api.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LookupItem } from '../../../shared/api.ts';
import { cxoneWorld, type CxoneWorld } from '../../helpers/cxone-world.ts';

let w: CxoneWorld;

beforeEach(async () => {
  w = await cxoneWorld();
});
afterEach(async () => {
  await w.close();
});

const range = { entityName: 'qm-workflows', version: '3', startDate: '2025-05-01', endDate: '2025-05-20' };

async function jobsOnTenant(): Promise<LookupItem[]> {
  const r = await w.run(['connections', 'lookup', 'Tenant', 'jobs', '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as LookupItem[];
}

/** A job posted by some other tool of the tenant (the vendor's portal, a script), with its own token. */
async function postElsewhere(body: Record<string, string>): Promise<string> {
  const token = (await (
    await fetch(`${w.sim.authUrl}/authentication/v1/token/access-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessKeyId: 'AK-DEMO', accessKeySecret: 'demo-secret' }),
    })
  ).json()) as { access_token: string };
  const res = await fetch(`${w.sim.apiUrl}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return JSON.parse(await res.text()) as string;
}

describe('jobs on a CXone tenant', () => {
  it('lists the tenant’s jobs with their status, and what Export Desk submitted with its days', async () => {
    const foreign = await postElsewhere({ ...range, startDate: '2025-04-01', endDate: '2025-04-02' });
    // That call counted for the tenant, unseen by Export Desk's gate: let its 30 s pass.
    await w.clock.advance(30_000);
    const r = await w.run(['export', w.recipe(range), '--out', 'qm.csv']);
    expect(r.code, r.err).toBe(0);

    const items = await jobsOnTenant();
    expect(items.map((i) => i.facts?.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    // Newest first: the export's second part, its first, then the job Export Desk did not submit.
    expect(items.map((i) => [i.facts?.startDate, i.facts?.endDate])).toEqual([
      ['2025-05-15', '2025-05-20'],
      ['2025-05-01', '2025-05-14'],
      [null, null],
    ]);
    expect(items[0]?.facts).toMatchObject({ entityName: 'qm-workflows', version: '3' });
    expect(typeof items[0]?.facts?.createdAt).toBe('string');
    expect(items[2]).toMatchObject({ value: foreign, detail: 'SUCCEEDED · submitted outside Export Desk' });
    // The list is a Data Extraction call: it waited its turn.
    expect(w.sim.calls.at(-1)).toMatchObject({ method: 'GET', status: 200 });
    expect(w.sim.violations()).toBe(0);
  });

  it('says how long until the tenant’s next call', async () => {
    const before = await w.run(['connections', 'lookup', 'Tenant', 'next-call', '--json']);
    expect((JSON.parse(before.out) as LookupItem[])[0]?.facts?.waitMs).toBe(0);
    await jobsOnTenant();
    await w.clock.advance(10_000);
    const after = JSON.parse(
      (await w.run(['connections', 'lookup', 'Tenant', 'next-call', '--json'])).out,
    ) as LookupItem[];
    // 30 s from the last call as the vendor counts, plus a second for the call's travel time.
    expect(after[0]?.facts?.waitMs).toBe(TENANT_CALL_INTERVAL_MS - 10_000);
    expect(after[0]?.label).toBe('Next call in 21 s');
  });

  it('fetches the file of a job already on the tenant without submitting anything', async () => {
    const jobId = await postElsewhere(range);
    await w.clock.advance(120_000); // the job runs 90 s
    const r = await w.run(['export', w.recipe({ remoteJobId: jobId }), '--out', 'fetched.csv']);
    expect(r.code, r.err).toBe(0);
    expect(w.sim.posts()).toBe(1);
    expect(w.sim.violations()).toBe(0);
    expect(readFileSync(path.join(w.dir, 'fetched.csv'), 'utf8')).toBe(
      w.sim.expectedCsv('qm-workflows', '3', '2025-05-01', '2025-05-20').slice(1),
    );
  });

  it('says plainly when the job to fetch is not on the tenant, and which lists there are', async () => {
    const r = await w.run([
      'export',
      w.recipe({ remoteJobId: '00000000-0000-0000-0000-000000000000' }),
      '--out',
      'x.csv',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('CXone does not know this job');
    expect(w.sim.posts()).toBe(0);
    const bad = await w.run(['connections', 'lookup', 'Tenant', 'reports']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('jobs, next-call, versions');
    const versions = await w.run(['connections', 'lookup', 'Tenant', 'versions', 'entityName=qm-workflows']);
    expect(versions.out).toBe('1\t1\n3\t3\n4\t4\n');
    expect(w.sim.calls).toHaveLength(1);
  });
});
