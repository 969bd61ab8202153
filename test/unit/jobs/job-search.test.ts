import { describe, expect, it } from 'vitest';
import {
  countText,
  filterJobs,
  isFiltered,
  NO_FILTER,
  recipeIdentity,
  runsOf,
  type JobFilter,
} from '../../../shared/job-search.ts';
import { RecipeState } from '../../../electron/jobs/recipe-state.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import { jobRecord } from '../../helpers/job-record.ts';

const local = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h).toISOString();

const jobs: JobRecord[] = [
  jobRecord({ id: 'a', state: 'saved', createdAt: local(2030, 1, 1) }),
  jobRecord({
    id: 'b',
    state: 'failed',
    createdAt: local(2030, 1, 5),
    recipe: {
      version: 1,
      name: 'Weekly agent calls',
      connection: 'Tenant EU',
      provider: 'cxone',
      query: {},
      output: jobRecord({ id: 'x' }).recipe.output,
    },
  }),
  jobRecord({ id: 'c', state: 'downloading', createdAt: local(2030, 1, 10, 0) }),
  jobRecord({ id: 'd', state: 'cancelled', createdAt: local(2030, 1, 10, 23) }),
];

const ids = (f: Partial<JobFilter>) => filterJobs(jobs, { ...NO_FILTER, ...f }).map((j) => j.id);

describe('finding past exports', () => {
  it('shows everything with no filter, and says nothing is filtered', () => {
    expect(ids({})).toEqual(['a', 'b', 'c', 'd']);
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(isFiltered({ ...NO_FILTER, text: 'x' })).toBe(true);
  });

  it('matches every word of the text in the name, title, vendor or connection, in any case', () => {
    expect(ids({ text: 'weekly' })).toEqual(['b']);
    expect(ids({ text: 'AGENT weekly' })).toEqual(['b']);
    expect(ids({ text: 'weekly communications' })).toEqual([]);
    // The default title names the vendor's object and the dates of the query.
    expect(ids({ text: 'communications 2030-01-01' })).toEqual(['a', 'c', 'd']);
    expect(ids({ text: 'cxone' })).toEqual(['b']);
    expect(ids({ text: 'tenant eu' })).toEqual(['b']);
  });

  it('filters by vendor and by connection', () => {
    expect(ids({ provider: 'cxone' })).toEqual(['b']);
    expect(ids({ provider: 'omniq' })).toEqual(['a', 'c', 'd']);
    expect(ids({ connection: 'Acme OmniQ' })).toEqual(['a', 'c', 'd']);
    expect(ids({ connection: 'Acme' })).toEqual([]);
  });

  it('filters by state, every state before ready counting as running', () => {
    expect(ids({ state: 'running' })).toEqual(['c']);
    expect(ids({ state: 'saved' })).toEqual(['a']);
    expect(ids({ state: 'failed' })).toEqual(['b']);
    expect(ids({ state: 'cancelled' })).toEqual(['d']);
    expect(ids({ state: 'ready' })).toEqual([]);
  });

  it('takes both ends of the date range as whole local days', () => {
    expect(ids({ from: '2030-01-05' })).toEqual(['b', 'c', 'd']);
    expect(ids({ to: '2030-01-05' })).toEqual(['a', 'b']);
    expect(ids({ from: '2030-01-10', to: '2030-01-10' })).toEqual(['c', 'd']);
    expect(ids({ from: '2030-01-06', to: '2030-01-09' })).toEqual([]);
  });

  it('combines the filters', () => {
    expect(ids({ provider: 'omniq', state: 'cancelled', text: 'communications' })).toEqual(['d']);
    expect(ids({ provider: 'cxone', state: 'saved' })).toEqual([]);
  });

  it('filters thousands of records in one pass', () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      jobRecord({
        id: `j${i}`,
        state: i % 3 === 0 ? 'failed' : 'saved',
        createdAt: local(2030, 1, 1 + (i % 28)),
      }),
    );
    const found = filterJobs(many, { ...NO_FILTER, state: 'failed', from: '2030-01-02', to: '2030-01-02' });
    // Day 2 is index 1 mod 28, failed is 0 mod 3: 57, then every 84th.
    expect(found.map((j) => j.id)).toEqual(Array.from({ length: 36 }, (_, k) => `j${57 + 84 * k}`));
  });

  it('says how many are shown of how many', () => {
    expect(countText(3, 3)).toBe('3 exports');
    expect(countText(1, 1)).toBe('1 export');
    expect(countText(12, 3000)).toBe('12 of 3,000 exports');
  });
});

describe('the runs of a recipe', () => {
  const recipe = jobRecord({ id: 'r' }).recipe;
  const run = (id: string, createdAt: string, patch: Partial<typeof recipe> = {}) =>
    jobRecord({ id, createdAt, recipe: { ...recipe, ...patch } });

  it('are the exports with the same name, or with none the same connection, vendor and query, newest first', () => {
    const a = run('a', '2030-01-01T00:00:00.000Z');
    const b = run('b', '2030-01-03T00:00:00.000Z');
    const otherQuery = run('c', '2030-01-02T00:00:00.000Z', { query: { index: 'agents' } });
    const otherConnection = run('d', '2030-01-02T00:00:00.000Z', { connection: 'Other' });
    const named = run('e', '2030-01-04T00:00:00.000Z', { name: 'Daily', query: { index: 'agents' } });
    const namedToo = run('f', '2030-01-05T00:00:00.000Z', { name: 'Daily' });
    const all = [a, b, otherQuery, otherConnection, named, namedToo];
    expect(runsOf(a, all).map((j) => j.id)).toEqual(['b', 'a']);
    expect(runsOf(named, all).map((j) => j.id)).toEqual(['f', 'e']);
    expect(runsOf(otherQuery, all).map((j) => j.id)).toEqual(['c']);
  });

  it('share the key the since-last-run marks are kept by, and only they do', () => {
    const recipes = [
      recipe,
      { ...recipe },
      { ...recipe, query: { index: 'agents' } },
      { ...recipe, connection: 'Other' },
      { ...recipe, name: 'Daily' },
      { ...recipe, name: 'Daily', query: {} },
    ];
    for (const x of recipes)
      for (const y of recipes)
        expect(RecipeState.key(x) === RecipeState.key(y)).toBe(recipeIdentity(x) === recipeIdentity(y));
  });
});
