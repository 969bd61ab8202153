import { isTerminal, type JobRecord, type JobState } from '../../../shared/jobs.ts';
import { findProvider } from '../../../shared/providers/index.ts';
import { formatBytes, formatDuration, formatRate } from '../../ui/format.ts';

export const STATES: Record<JobState, { label: string; color: string }> = {
  queued: { label: 'Queued', color: 'gray' },
  authenticating: { label: 'Signing in', color: 'blue' },
  submitting: { label: 'Submitting', color: 'blue' },
  waiting: { label: 'Waiting for the vendor', color: 'indigo' },
  downloading: { label: 'Downloading', color: 'blue' },
  ready: { label: 'Ready to save', color: 'cyan' },
  saved: { label: 'Saved', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};

export function jobTitle(job: JobRecord): string {
  if (job.recipe.name) return job.recipe.name;
  const q = job.recipe.query;
  const entity = [q.index, q.entityName, q.reportName, q.entity].find((x) => typeof x === 'string');
  const provider = findProvider(job.recipe.provider)?.name ?? job.recipe.provider;
  return entity ? `${provider}: ${String(entity)}` : provider;
}

function elapsedMs(job: JobRecord, now: number): number {
  const start = Date.parse(job.startedAt ?? job.createdAt);
  const end = job.finishedAt
    ? Date.parse(job.finishedAt)
    : isTerminal(job.state)
      ? Date.parse(job.updatedAt)
      : now;
  return Math.max(0, end - start);
}

function rateText(job: JobRecord, now: number): string {
  return formatRate(job.counters.rows, elapsedMs(job, now));
}

/** "in 12s" until the next status call to the vendor, while the export waits. */
function nextPollText(job: JobRecord, now: number): string {
  if (!job.nextPollAt || isTerminal(job.state)) return '—';
  const ms = Date.parse(job.nextPollAt) - now;
  return ms <= 0 ? 'now' : `in ${formatDuration(ms)}`;
}

function rowsText(job: JobRecord): string {
  const { rows, expectedRows, expectedRelation } = job.counters;
  const n = rows.toLocaleString();
  if (expectedRows === undefined) return n;
  return `${n} of ${expectedRelation === 'gte' ? 'at least ' : ''}${expectedRows.toLocaleString()}`;
}

/** What the list of exports and an export's own page both show, in this order; `num` ones align right. */
export const JOB_FIGURES: {
  label: string;
  testId: string;
  num: boolean;
  value(job: JobRecord, now: number): string;
}[] = [
  { label: 'Rows', testId: 'job-rows', num: true, value: rowsText },
  { label: 'Pages', testId: 'job-pages', num: true, value: (job) => job.counters.pages.toLocaleString() },
  { label: 'Size', testId: 'job-bytes', num: true, value: (job) => formatBytes(job.counters.bytes) },
  { label: 'Rate', testId: 'job-rate', num: true, value: rateText },
  {
    label: 'Elapsed',
    testId: 'job-elapsed',
    num: true,
    value: (job, now) => formatDuration(elapsedMs(job, now)),
  },
  { label: 'Remote job', testId: 'job-remote-id', num: false, value: (job) => job.remote.jobId ?? '—' },
  { label: 'Next poll', testId: 'job-next-poll', num: false, value: nextPollText },
];

function figure(testId: string): (typeof JOB_FIGURES)[number] {
  const f = JOB_FIGURES.find((x) => x.testId === testId);
  if (!f) throw new Error(`No job figure ${testId}`);
  return f;
}

/**
 * The list's columns: fewer than an export's own page, so the list fits a 1024px window with its actions in
 * sight. A column's second line (`sub`) carries what the page shows as a figure of its own.
 */
export const LIST_FIGURES: {
  label: string;
  num: boolean;
  value(job: JobRecord, now: number): string;
  sub?(job: JobRecord, now: number): string | undefined;
}[] = [
  { ...figure('job-rows'), sub: (job, now) => subText(rateText(job, now)) },
  {
    ...figure('job-bytes'),
    sub: (job) => `${job.counters.pages.toLocaleString()} page${job.counters.pages === 1 ? '' : 's'}`,
  },
  {
    ...figure('job-elapsed'),
    sub: (job, now) => {
      const next = nextPollText(job, now);
      return next === '—' ? undefined : `next poll ${next}`;
    },
  },
];

function subText(text: string): string | undefined {
  return text === '—' ? undefined : text;
}
