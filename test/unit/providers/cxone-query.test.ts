import { describe, expect, it } from 'vitest';
import { recipeJsonSchema } from '../../../electron/cli/write-schema.ts';
import { cxoneRuntime } from '../../../electron/providers/cxone.ts';
import { jobRanges } from '../../../shared/providers/cxone-windows.ts';
import { CXONE_MAX_DAYS_PER_JOB, CxoneQuerySchema } from '../../../shared/providers/cxone.ts';

const range = { entityName: 'qm-workflows', version: '3', startDate: '2025-05-01', endDate: '2025-05-20' };
const JOB = '20873a3f-b951-4481-b83b-f6fa1ebe0759';

describe('the CXone query', () => {
  it('is a range of days, or the id of a job already on the tenant', () => {
    expect(CxoneQuerySchema.safeParse(range).success).toBe(true);
    expect(CxoneQuerySchema.safeParse({ remoteJobId: JOB }).success).toBe(true);
    expect(CxoneQuerySchema.safeParse({ ...range, remoteJobId: JOB }).success).toBe(true);
  });

  it('says which field is missing, by name and how to write it', () => {
    const r = CxoneQuerySchema.safeParse({ entityName: 'qm-workflows' });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['version', 'Choose the entity version, e.g. 3'],
      ['startDate', 'Choose the first day to extract (a UTC day, YYYY-MM-DD), or a period'],
      ['endDate', 'Choose the last day to extract (a UTC day, YYYY-MM-DD), or a period'],
    ]);
    const bad = CxoneQuerySchema.safeParse({ remoteJobId: '../../etc/passwd' });
    expect(bad.error?.issues[0]?.path).toEqual(['remoteJobId']);
  });

  it('has the same rule in the recipe JSON Schema that editors read', () => {
    const defs = recipeJsonSchema().$defs as Record<string, { anyOf?: Array<{ required: string[] }> }>;
    const branches = defs.cxoneQuery?.anyOf ?? [];
    const jsonAccepts = (q: Record<string, string>) => branches.some((b) => b.required.every((k) => k in q));
    for (const q of [
      range,
      { remoteJobId: JOB },
      { entityName: 'x', version: '1' },
      {},
      { ...range, endDate: undefined },
      { entityName: 'x', version: '1', period: 'yesterday' },
    ]) {
      const sample = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >;
      expect(jsonAccepts(sample), JSON.stringify(sample)).toBe(CxoneQuerySchema.safeParse(sample).success);
    }
  });
});

describe('what the CXone end day means', () => {
  const month = { startDate: '2025-05-01', endDate: '2025-05-29' };
  const ranges = (q: Parameters<typeof jobRanges>[0]) =>
    jobRanges(q, CXONE_MAX_DAYS_PER_JOB).map((r) => `${r.startDate}..${r.endDate}`);

  it('is the last day extracted unless the recipe says otherwise', () => {
    expect(ranges(month)).toEqual([
      '2025-05-01..2025-05-14',
      '2025-05-15..2025-05-28',
      '2025-05-29..2025-05-29',
    ]);
    expect(ranges({ ...month, endDateMeaning: 'inclusive' })).toEqual(ranges(month));
    expect(cxoneRuntime.rangeEnd?.({ ...range, ...month })).toBe('2025-05-29T23:59:59.999Z');
  });

  it('is the first day not extracted with endDateMeaning "exclusive", for every job sent', () => {
    expect(ranges({ ...month, endDateMeaning: 'exclusive' })).toEqual([
      '2025-05-01..2025-05-15',
      '2025-05-15..2025-05-29',
    ]);
    expect(cxoneRuntime.rangeEnd?.({ ...range, ...month, endDateMeaning: 'exclusive' })).toBe(
      '2025-05-28T23:59:59.999Z',
    );
  });

  it('an exclusive end day must come after the start day', () => {
    const same = { ...range, startDate: '2025-05-01', endDate: '2025-05-01' };
    expect(CxoneQuerySchema.safeParse(same).success).toBe(true);
    const r = CxoneQuerySchema.safeParse({ ...same, endDateMeaning: 'exclusive' });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'endDate',
        'With endDateMeaning "exclusive" the end day is not extracted: make it later than the start day',
      ],
    ]);
    expect(
      CxoneQuerySchema.safeParse({ ...range, endDateMeaning: 'through' }).error?.issues[0]?.path,
    ).toEqual(['endDateMeaning']);
  });
});
