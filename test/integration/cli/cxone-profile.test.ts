/**
 * The profile of a vendor's CSV export covers every record, however many: the CLI's --json `saved` event
 * carries it whole (not partial), with every record in the rows per day.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpoolProfileSchema } from '../../../shared/profile.ts';
import { cxoneWorld, exportQmWorkflows, type CxoneWorld } from '../../helpers/cxone-world.ts';

let w: CxoneWorld;

beforeEach(async () => {
  w = await cxoneWorld({ rowsPerDay: 1_500 });
});
afterEach(async () => {
  await w.close();
});

describe('exportdesk export --json (NICE CXone): the profile of the data', () => {
  it('profiles all 15,000 records of ten days, not only the first ones', async () => {
    const r = await exportQmWorkflows(
      w,
      { startDate: '2025-05-01', endDate: '2025-05-10' },
      'qm.csv',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const last = JSON.parse(r.out.trim().split('\n').at(-1) ?? '{}') as {
      event?: string;
      rows?: number;
      profile?: unknown;
    };
    expect(last.event).toBe('saved');
    expect(last.rows).toBe(15_000);
    const profile = SpoolProfileSchema.parse(last.profile);
    expect(profile.partial).toBeUndefined();
    expect(profile.rowCount).toBe(15_000);
    for (const column of profile.columns) expect(column.empty).toBeLessThanOrEqual(15_000);
    const timeline = profile.timelines[0];
    expect(timeline?.buckets.reduce((n, [, rows]) => n + rows, 0)).toBe(15_000);
  });
});
