import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CxoneFault } from '../../simulators/cxone.ts';
import { cxoneWorld, type CxoneWorld } from '../../helpers/cxone-world.ts';

let w: CxoneWorld;
beforeEach(async () => {
  w = await cxoneWorld();
});
afterEach(async () => {
  await w.close();
});

const query = { entityName: 'qm-workflows', version: '3', startDate: '2025-05-01', endDate: '2025-05-02' };
const fault = (status: number, message: string): CxoneFault => ({
  kind: 'status',
  status,
  body: JSON.stringify({ message }),
});

describe('each error status of a CXone export says what to do', () => {
  const cases: Array<{ status: number; times: number; said: string; todo: string }> = [
    { status: 400, times: 1, said: 'Incorrect date filters', todo: 'Check the entity, version and dates' },
    // The first 401 signs in afresh; a second one is the answer.
    { status: 401, times: 2, said: 'Invalid credentials', todo: 'check the access key id and secret' },
    { status: 403, times: 1, said: 'Forbidden', todo: 'ask your CXone administrator for the permission' },
    { status: 404, times: 1, said: 'Missing entity', todo: 'Check the entity name and version' },
    // Retried with backoff until the attempts run out.
    { status: 500, times: 8, said: 'Internal Server Error', todo: 'if it persists, contact NICE support' },
  ];
  for (const c of cases) {
    it(`HTTP ${c.status}`, async () => {
      w.sim.injectFaults(...Array.from({ length: c.times }, () => fault(c.status, c.said)));
      const r = await w.run(['export', w.recipe(query), '--out', 'x.csv']);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`HTTP ${c.status}`);
      expect(r.err).toContain(c.said);
      expect(r.err).toContain(c.todo);
      expect(w.sim.violations()).toBe(0);
    });
  }

  it('a status call refused part-way through a job (the permission was taken away)', async () => {
    w.sim.injectFaults({ kind: 'status', status: 202, body: '"00000000-0000-0000-0000-000000000001"' });
    w.sim.injectFaults(fault(403, 'User does not have permission to view job status'));
    const r = await w.run(['export', w.recipe(query), '--out', 'x.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('checking the job');
    expect(r.err).toContain('User does not have permission to view job status');
    expect(r.err).toContain('ask your CXone administrator for the permission');
  });

  it('a file link the storage refuses', async () => {
    const id = '00000000-0000-0000-0000-000000000002';
    const url = `${w.sim.authUrl}/s3/results-bucket/data-extraction/${id}.csv?X-Amz-Signature=forged`;
    w.sim.injectFaults(
      { kind: 'status', status: 202, body: JSON.stringify(id) },
      {
        kind: 'status',
        status: 200,
        body: JSON.stringify({ jobStatus: { id, status: 'SUCCEEDED', result: { url } } }),
      },
    );
    const r = await w.run(['export', w.recipe(query), '--out', 'x.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('SignatureDoesNotMatch');
    expect(r.err).toContain(
      "The storage refused the file link: check that this computer's date and time are right",
    );
    expect(r.err).not.toContain('forged');
  });

  it('a FAILED job shows CXone’s reason and what to do', async () => {
    w.sim.failNextJob('Too much data requested');
    const r = await w.run(['export', w.recipe(query), '--out', 'x.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('CXone reports the extraction failed: Too much data requested.');
    expect(r.err).toContain('Check the entity, version and dates, then retry.');
  });
});
