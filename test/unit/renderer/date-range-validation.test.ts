/**
 * What the builder says about a date range before Next: its own words for an incomplete or backwards
 * range, the schema's for the vendor's form, and a vendor form the control does not edit kept as written.
 */
import { describe, expect, it } from 'vitest';
import { AS_WRITTEN, readRange } from '../../../renderer/features/export-builder/date-range.ts';
import { validateQuery } from '../../../renderer/features/export-builder/recipe.ts';
import { cxoneProvider } from '../../../shared/providers/cxone.ts';
import { intelepeerProvider } from '../../../shared/providers/intelepeer.ts';
import { myreportsProvider } from '../../../shared/providers/myreports.ts';

const cxone = { entityName: 'qm-workflows', version: '3' };
const xarios = { workspaceId: 'w', reportId: 'r' };
const data = { ApplicationExitEvent: { fields: ['FlowId'] } };

describe('a date range before Next', () => {
  it('CXone: a period or both days; messages at the one control', () => {
    expect(validateQuery(cxoneProvider, { ...cxone, period: 'yesterday' }, 'UTC')).toEqual({});
    expect(validateQuery(cxoneProvider, cxone, 'UTC').period).toBe('Choose a period or fixed days.');
    expect(validateQuery(cxoneProvider, { ...cxone, startDate: '2025-09-01', endDate: '' }, 'UTC')).toEqual({
      period: 'Choose both the first and the last day, or a period.',
    });
    expect(
      validateQuery(cxoneProvider, { ...cxone, startDate: '2025-09-02', endDate: '2025-09-01' }, 'UTC'),
    ).toEqual({
      period:
        'The last day (2025-09-01) is before the first day (2025-09-02): choose a last day on or after the first.',
    });
    // With endDate read as the first day not extracted, the same day twice is no day at all.
    expect(
      validateQuery(
        cxoneProvider,
        { ...cxone, startDate: '2025-09-02', endDate: '2025-09-02', endDateMeaning: 'exclusive' },
        'UTC',
      ).period,
    ).toBe(
      'The last day (2025-09-01) is before the first day (2025-09-02): choose a last day on or after the first.',
    );
  });

  it('Xarios: an end not after the start is refused in the user’s own time', () => {
    const q = {
      ...xarios,
      dateFilter: { start: '2025-09-01T00:00:00+01:00', end: '2025-09-01T00:00:00+01:00' },
    };
    expect(validateQuery(myreportsProvider, q, 'Europe/Berlin')).toEqual({
      dateFilter:
        'The end (2025-09-01 01:00) is the same as the start (2025-09-01 01:00): choose an end after the start.',
    });
    expect(
      validateQuery(myreportsProvider, { ...xarios, dateFilter: { presetName: 'LastMonth' } }, 'UTC'),
    ).toEqual({});
  });

  it('IntelePeer: a pasted range in operators the control does not edit is kept and judged by the schema', () => {
    const spec = intelepeerProvider.queryFields.find((f) => f.key === 'timestamp')?.dateRange;
    if (!spec) throw new Error('IntelePeer has a date range');
    const q = { timestamp: { $gt: '2025-09-01T00:00:00Z', $lt: '2025-09-02T00:00:00Z' }, data };
    expect(readRange(spec, q).choice).toBe(AS_WRITTEN);
    expect(validateQuery(intelepeerProvider, q, 'UTC')).toEqual({});
    expect(
      validateQuery(intelepeerProvider, { timestamp: { $gte: '2025-09-01T00:00:00Z' }, data }, 'UTC'),
    ).toEqual({
      timestamp: 'Choose both a start and an end, or a period.',
    });
  });
});
