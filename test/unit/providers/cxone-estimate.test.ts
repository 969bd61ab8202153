import { describe, expect, it } from 'vitest';
import { CXONE_MAX_DAYS_PER_JOB } from '../../../shared/providers/cxone.ts';
import { cxoneEstimate } from '../../../shared/providers/cxone-windows.ts';

describe('the CXone estimate before an export starts', () => {
  it('counts the days and the jobs the range is split into, two calls 30 s apart for each', () => {
    expect(cxoneEstimate({ startDate: '2025-05-01', endDate: '2025-05-31' }, CXONE_MAX_DAYS_PER_JOB)).toEqual(
      {
        days: 31,
        jobs: 3,
        minMs: 180_000,
      },
    );
    expect(
      cxoneEstimate(
        { startDate: '2025-05-01', endDate: '2025-05-15', endDateMeaning: 'exclusive' },
        CXONE_MAX_DAYS_PER_JOB,
      ),
    ).toEqual({ days: 14, jobs: 1, minMs: 60_000 });
  });

  it('gives nothing for a range that is not one', () => {
    expect(cxoneEstimate({ startDate: '2025-05-01' }, CXONE_MAX_DAYS_PER_JOB)).toBeUndefined();
    expect(
      cxoneEstimate({ startDate: '2025-05-02', endDate: '2025-05-01' }, CXONE_MAX_DAYS_PER_JOB),
    ).toBeUndefined();
  });
});
