import { describe, expect, it } from 'vitest';
import { choosePrune, GB, type SpoolSize } from '../../../electron/app/prune.ts';
import type { JobState } from '../../../shared/jobs.ts';
import { jobRecord } from '../../helpers/job-record.ts';

const NOW = Date.UTC(2030, 0, 31);
const DAY = 24 * 60 * 60 * 1000;

function spool(id: string, daysAgo: number, bytes: number, state: JobState = 'saved'): SpoolSize {
  const at = new Date(NOW - daysAgo * DAY).toISOString();
  return { job: jobRecord({ id, state, createdAt: at, finishedAt: at }), bytes };
}

const spools = [
  spool('newest', 1, 0.5 * GB),
  spool('oldest', 30, 0.25 * GB),
  spool('middle', 10, 1 * GB),
  spool('running', 40, 2 * GB, 'downloading'),
];
const ids = (chosen: SpoolSize[]) => chosen.map((s) => s.job.id);
const all = () => true;

describe('which export data is pruned', () => {
  it('nothing without a bound', () => {
    expect(choosePrune(spools, { keepDays: null, keepGb: null }, NOW, all)).toEqual([]);
  });

  it('by age: every finished export older than the bound, oldest first', () => {
    expect(ids(choosePrune(spools, { keepDays: 7, keepGb: null }, NOW, all))).toEqual(['oldest', 'middle']);
    expect(ids(choosePrune(spools, { keepDays: 20, keepGb: null }, NOW, all))).toEqual(['oldest']);
  });

  it('by size: oldest first until every spool together fits, running ones counted but kept', () => {
    // 3.75 GB in all, 2 of them running.
    expect(ids(choosePrune(spools, { keepDays: null, keepGb: 3.5 }, NOW, all))).toEqual(['oldest']);
    expect(ids(choosePrune(spools, { keepDays: null, keepGb: 3 }, NOW, all))).toEqual(['oldest', 'middle']);
    expect(ids(choosePrune(spools, { keepDays: null, keepGb: 0.1 }, NOW, all))).toEqual([
      'oldest',
      'middle',
      'newest',
    ]);
  });

  it('both bounds together, and never one that is not removable', () => {
    expect(ids(choosePrune(spools, { keepDays: 20, keepGb: 3 }, NOW, all))).toEqual(['oldest', 'middle']);
    const notMiddle = (j: { id: string }) => j.id !== 'middle';
    expect(ids(choosePrune(spools, { keepDays: 7, keepGb: 3 }, NOW, notMiddle))).toEqual([
      'oldest',
      'newest',
    ]);
  });

  it('skips exports whose rows are already gone', () => {
    expect(ids(choosePrune([spool('empty', 30, 0)], { keepDays: 1, keepGb: null }, NOW, all))).toEqual([]);
  });
});
