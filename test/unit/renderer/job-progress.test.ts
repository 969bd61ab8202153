import { describe, expect, it } from 'vitest';
import { JobRecordSchema, type JobRecord } from '../../../shared/jobs.ts';
import { JOB_FIGURES, jobProgress } from '../../../renderer/features/jobs/job-info.ts';

const START = Date.parse('2026-01-01T10:00:00.000Z');

function job(patch: Partial<JobRecord>): JobRecord {
  return JobRecordSchema.parse({
    id: 'j1',
    recipe: { version: 1, connection: 'Acme', provider: 'cxone', query: {} },
    connectionId: 'c1',
    state: 'waiting',
    createdAt: new Date(START).toISOString(),
    updatedAt: new Date(START).toISOString(),
    startedAt: new Date(START).toISOString(),
    ...patch,
  });
}

const rate = JOB_FIGURES.find((f) => f.testId === 'job-rate');

describe('job progress', () => {
  it('counts rows against a known total, with the time left once the pace means something', () => {
    const j = job({ state: 'downloading', counters: { pages: 1, rows: 500, bytes: 0, expectedRows: 2000 } });
    expect(jobProgress(j, START + 800)).toEqual({ percent: 25, label: '500 of 2,000 rows' });
    expect(rate?.value(j, START + 800)).toBe('—');
    const later = { ...j, counters: { ...j.counters, pages: 4, rows: 1000 } };
    expect(jobProgress(later, START + 10_000)).toEqual({
      percent: 50,
      label: '1,000 of 2,000 rows',
      eta: 'about 10s left',
    });
    expect(rate?.value(later, START + 10_000)).toMatch(/^100 rows\/s$/);
  });

  it('counts CXone jobs and IntelePeer files from the status line', () => {
    const cx = job({
      message: 'Waiting for job 2 of 3 (2025-01-15 to 2025-01-29)',
      remote: {
        parts: [
          { from: 'a', to: 'b', jobId: '1' },
          { from: 'b', to: 'c', jobId: '2' },
          { from: 'c', to: 'd' },
        ],
      },
    });
    expect(jobProgress(cx, START + 60_000)).toEqual({
      percent: 33,
      label: 'job 2 of 3',
      eta: 'about 2m 00s left',
    });
    const ip = job({ state: 'downloading', message: 'Downloading result file 1 of 4 over SFTP' });
    expect(jobProgress(ip, START + 2_000)).toEqual({ percent: 0, label: 'file 1 of 4' });
  });

  it('names only the phase while nothing says how much is left, and nothing once finished', () => {
    expect(jobProgress(job({ message: 'Waiting for the vendor' }), START)).toEqual({
      label: 'Waiting for the vendor',
    });
    expect(jobProgress(job({ state: 'cancelled' }), START)).toBeUndefined();
  });
});
