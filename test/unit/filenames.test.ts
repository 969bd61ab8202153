import { describe, expect, it } from 'vitest';
import { exportTitle, suggestFileName, suggestRecipeFileName } from '../../shared/filenames.ts';
import type { JobRecord } from '../../shared/jobs.ts';

const job = (
  provider: string,
  resolvedQuery: Record<string, unknown>,
  createdAt = '2025-10-02T09:15:07.123Z',
): Pick<JobRecord, 'recipe' | 'resolvedQuery' | 'createdAt'> => ({
  recipe: { version: 1, connection: 'c', provider, query: {}, output: { format: 'csv' } } as never,
  resolvedQuery,
  createdAt,
});

describe('default export titles and file names', () => {
  it('carry the vendor, the vendor’s object and the days the query covers', () => {
    const omniq = job('omniq', {
      index: 'communications',
      filterBy: { createdAt: { from: '2025-01-01T00:00:00.000Z', to: '2025-01-31T23:59:59.999Z' } },
    });
    expect(exportTitle(omniq)).toBe('OmniQ communications 2025-01-01–2025-01-31');
    expect(suggestFileName(omniq, 'csv')).toBe('OmniQ-communications-2025-01-01_2025-01-31.csv');

    const cxone = job('cxone', {
      entityName: 'qm-workflows',
      startDate: '2025-05-01',
      endDate: '2025-05-20',
    });
    expect(exportTitle(cxone)).toBe('NICE CXone qm-workflows 2025-05-01–2025-05-20');
    expect(suggestFileName(cxone, 'json')).toBe('NICE-CXone-qm-workflows-2025-05-01_2025-05-20.json');
  });

  it('read the ranges of every vendor’s query: start/end and $gte/$lte too', () => {
    const xarios = job('myreports', {
      reportId: 'r',
      dateFilter: { start: '2025-09-01T00:00:00+01:00', end: '2025-09-30T23:59:59+01:00' },
    });
    expect(exportTitle(xarios)).toBe('Xarios reports 2025-09-01–2025-09-30');
    const insights = job('intelepeer', {
      timestamp: { $gte: '2025-09-01T00:00:00Z', $lte: '2025-09-02T00:00:00Z' },
    });
    expect(suggestFileName(insights, 'ndjson')).toBe('IntelePeer-Insights-2025-09-01_2025-09-02.ndjson');
    expect(suggestFileName(insights, 'parquet')).toBe('IntelePeer-Insights-2025-09-01_2025-09-02.parquet');
  });

  it('take the report’s name and the period of a preset from what the vendor said of the result', () => {
    const preset = job('myreports', { reportId: '7f3c', dateFilter: { presetName: 'LastMonth' } });
    // Before the result: only the time the export was made.
    expect(exportTitle(preset)).toBe('Xarios reports 2025-10-02 09:15:07');
    const done = {
      ...preset,
      resultInfo: {
        subject: 'CallListByUserSegmented',
        period: { from: '2025-09-01T00:00:00', to: '2025-09-30T23:59:59' },
      },
    };
    expect(exportTitle(done)).toBe('Xarios reports CallListByUserSegmented 2025-09-01–2025-09-30');
    expect(suggestFileName(done, 'csv')).toBe(
      'Xarios-reports-CallListByUserSegmented-2025-09-01_2025-09-30.csv',
    );
    // The query's own range wins over the vendor's account of it.
    const fixed = {
      ...done,
      resolvedQuery: {
        reportId: '7f3c',
        dateFilter: { start: '2025-08-01T00:00:00+01:00', end: '2025-08-02T00:00:00+01:00' },
      },
    };
    expect(exportTitle(fixed)).toBe('Xarios reports CallListByUserSegmented 2025-08-01–2025-08-02');
  });

  it('without a range, carry the time the export was made, so two of one day differ', () => {
    const morning = job('myreports', { dateFilter: { presetName: 'ThisMonth' } }, '2025-10-02T09:15:07.123Z');
    const later = job('myreports', { dateFilter: { presetName: 'ThisMonth' } }, '2025-10-02T09:15:08.001Z');
    expect(exportTitle(morning)).toBe('Xarios reports 2025-10-02 09:15:07');
    expect(suggestFileName(morning, 'csv')).toBe('Xarios-reports-2025-10-02T091507.csv');
    expect(suggestFileName(later, 'csv')).not.toBe(suggestFileName(morning, 'csv'));
  });
});

describe('recipe file names', () => {
  const recipe = (query: Record<string, unknown>, name?: string) =>
    ({
      version: 1,
      connection: 'c',
      provider: 'omniq',
      query,
      output: {},
      ...(name ? { name } : {}),
    }) as never;

  it('carry the vendor, the object and the range asked for, fixed or relative', () => {
    const fixed = { from: '2025-01-01T00:00:00.000Z', to: '2025-01-31T23:59:59.999Z' };
    expect(suggestRecipeFileName(recipe({ index: 'communications', filterBy: { createdAt: fixed } }))).toBe(
      'OmniQ-communications-2025-01-01_2025-01-31.recipe.json',
    );
    expect(suggestRecipeFileName(recipe({ index: 'agents', filterBy: { createdAt: 'this-month' } }))).toBe(
      'OmniQ-agents-this-month.recipe.json',
    );
    expect(suggestRecipeFileName(recipe({ index: 'agents' }))).toBe('OmniQ-agents.recipe.json');
  });

  it('use the recipe’s name when it has one', () => {
    expect(suggestRecipeFileName(recipe({ index: 'agents' }, 'Ventes : été/2025'))).toBe(
      'Ventes-ete-2025.recipe.json',
    );
    expect(suggestRecipeFileName(recipe({ index: 'agents' }, ' / '))).toBe('OmniQ-agents.recipe.json');
  });
});
