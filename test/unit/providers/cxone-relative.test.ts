/**
 * CXone recipes with a relative period: the UTC days it stands for when the export starts (the clock is
 * injected as the runner's `nowMs`), and since-last-run taking each whole day exactly once across runs.
 */
import { describe, expect, it } from 'vitest';
import { cxoneRuntime } from '../../../electron/providers/cxone.ts';
import type { RelativeDate } from '../../../shared/dates.ts';
import { cxoneProvider, CxoneQuerySchema, type CxoneQuery } from '../../../shared/providers/cxone.ts';

const base = { entityName: 'qm-workflows', version: '3' };
const resolve = (q: CxoneQuery, now: string, lastRunUntil?: string) =>
  cxoneRuntime.resolveQuery(q, { nowMs: Date.parse(now), lastRunUntil });
const days = (period: RelativeDate, now: string, lastRunUntil?: string) => {
  const r = resolve({ ...base, period }, now, lastRunUntil);
  return `${r.startDate}..${r.endDate}`;
};

describe('a CXone period', () => {
  it('is accepted by the query schema instead of fixed days, never beside them', () => {
    expect(CxoneQuerySchema.safeParse({ ...base, period: 'last-7-days' }).success).toBe(true);
    const both = CxoneQuerySchema.safeParse({ ...base, period: 'yesterday', startDate: '2025-09-01' });
    expect(both.error?.issues.map((i) => i.message)).toEqual([
      'Give either a period or a first and last day (startDate, endDate), not both',
    ]);
    const unknown = CxoneQuerySchema.safeParse({ ...base, period: 'last-30-days' });
    expect(unknown.error?.issues[0]?.message).toBe(
      'The period must be one of today, yesterday, last-7-days, this-month, since-last-run, or give startDate and endDate',
    );
  });

  it('becomes UTC days when the export starts', () => {
    const now = '2025-09-10T00:30:00.000Z';
    expect(days('today', now)).toBe('2025-09-10..2025-09-10');
    expect(days('yesterday', now)).toBe('2025-09-09..2025-09-09');
    expect(days('last-7-days', now)).toBe('2025-09-03..2025-09-09');
    expect(days('this-month', now)).toBe('2025-09-01..2025-09-10');
    // Just before midnight UTC it is still the same day, whatever the user's clock says.
    expect(days('yesterday', '2025-09-10T23:59:59.999Z')).toBe('2025-09-09..2025-09-09');
    expect(days('this-month', '2025-03-01T08:00:00.000Z')).toBe('2025-03-01..2025-03-01');
  });

  it('leaves no period in the query sent, and writes endDate as the tenant reads it', () => {
    const r = resolve(
      { ...base, period: 'last-7-days', endDateMeaning: 'exclusive' },
      '2025-09-10T12:00:00Z',
    );
    expect(r).toEqual({
      ...base,
      startDate: '2025-09-03',
      endDate: '2025-09-10',
      endDateMeaning: 'exclusive',
    });
    expect(cxoneRuntime.rangeEnd?.(r)).toBe('2025-09-09T23:59:59.999Z');
  });

  it('since the last run: each whole UTC day once, today left for the next run', () => {
    const q = { ...base, period: 'since-last-run' as const };
    // A first run takes yesterday.
    const first = resolve(q, '2025-09-10T06:00:00Z');
    expect(`${first.startDate}..${first.endDate}`).toBe('2025-09-09..2025-09-09');
    // The next day's run goes on from where the first ended: no day twice, none left out.
    const mark1 = cxoneRuntime.rangeEnd?.(first);
    expect(mark1).toBe('2025-09-09T23:59:59.999Z');
    const second = resolve(q, '2025-09-11T06:00:00Z', mark1);
    expect(`${second.startDate}..${second.endDate}`).toBe('2025-09-10..2025-09-10');
    // After a week off, the days missed are all taken (as consecutive 14-day jobs when many).
    const third = resolve(q, '2025-09-18T23:00:00Z', cxoneRuntime.rangeEnd?.(second));
    expect(`${third.startDate}..${third.endDate}`).toBe('2025-09-11..2025-09-17');
    // A mark in the middle of a day (a run of another kind) takes that day again rather than lose its rest.
    expect(days('since-last-run', '2025-09-18T06:00:00Z', '2025-09-15T12:00:00.000Z')).toBe(
      '2025-09-15..2025-09-17',
    );
  });

  it('since the last run, run again the same day: says there is nothing new and when to run it', () => {
    expect(() =>
      resolve({ ...base, period: 'since-last-run' }, '2025-09-10T18:00:00Z', '2025-09-09T23:59:59.999Z'),
    ).toThrow(
      'Nothing new to extract since the last run: it covered the UTC days up to 2025-09-09, and today is not over yet. Run the recipe again tomorrow.',
    );
  });

  it('is the default query, so the builder carries no fixed example dates', () => {
    expect(cxoneProvider.defaultQuery).toEqual({ ...base, period: 'last-7-days' });
    expect(JSON.stringify(cxoneProvider.queryFields)).not.toMatch(/20\d\d-\d\d-\d\d/);
  });

  it('is estimated as the jobs it becomes', () => {
    expect(cxoneProvider.estimate({ ...base, period: 'last-7-days' })).toMatch(
      /^7 days → 1 CXone job, about 1 minute/,
    );
    expect(cxoneProvider.estimate({ ...base, period: 'since-last-run' })).toMatch(/since the last run/);
  });
});
