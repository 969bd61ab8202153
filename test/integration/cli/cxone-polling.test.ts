import { afterEach, describe, expect, it } from 'vitest';
import { cxoneWorld, type CxoneWorld } from '../../helpers/cxone-world.ts';

let w: CxoneWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const QUERY = { entityName: 'qm-workflows', version: '3', startDate: '2025-05-01', endDate: '2025-05-02' };
const HOURS = 3_600_000;

describe('CXone: waiting for a job', () => {
  it('stops after 60 minutes by default, naming the last status, the time waited and the job', async () => {
    w = await cxoneWorld({ jobRunMs: 3 * HOURS });
    const r = await w.run(['export', w.recipe(QUERY), '--out', 'x.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Stopped waiting for the job after 60 min');
    expect(r.err).toContain('its last status was "RUNNING"');
    const jobId = w.sim.calls
      .find((c) => c.path.startsWith('/data-extraction/V1/jobs/'))
      ?.path.split('/')
      .pop();
    expect(r.err).toContain(`{"remoteJobId": "${jobId}"}`);
    expect(w.sim.posts()).toBe(1);
    expect(w.sim.violations()).toBe(0);
  });

  it('stops at the connection setting "Stop waiting for a job after (minutes)"', async () => {
    w = await cxoneWorld({ jobRunMs: 3 * HOURS }, { pollDeadlineMinutes: '5' });
    const r = await w.run(['export', w.recipe(QUERY), '--out', 'x.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Stopped waiting for the job after 5 min');
  });

  it('shows a status it does not know exactly as CXone sent it', async () => {
    w = await cxoneWorld();
    w.sim.setNextJobStatus('Paused');
    const r = await w.run(['export', w.recipe(QUERY), '--out', 'x.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('a job status Export Desk does not know: "Paused"');
  });
});
