import { isTerminal, type JobRecord, type JobState } from '../../../shared/jobs.ts';
import { findProvider } from '../../../shared/providers/index.ts';
import { formatDuration, formatRate } from '../../ui/format.ts';

export const STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  authenticating: 'Signing in',
  submitting: 'Submitting',
  waiting: 'Waiting for the vendor',
  downloading: 'Downloading',
  ready: 'Ready to save',
  saved: 'Saved',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const STATE_COLORS: Record<JobState, string> = {
  queued: 'gray',
  authenticating: 'blue',
  submitting: 'blue',
  waiting: 'indigo',
  downloading: 'blue',
  ready: 'cyan',
  saved: 'teal',
  failed: 'red',
  cancelled: 'gray',
};

export function jobTitle(job: JobRecord): string {
  if (job.recipe.name) return job.recipe.name;
  const q = job.recipe.query;
  const entity = [q.index, q.entityName, q.reportName, q.entity].find((x) => typeof x === 'string');
  const provider = findProvider(job.recipe.provider)?.name ?? job.recipe.provider;
  return entity ? `${provider}: ${String(entity)}` : provider;
}

export function elapsedMs(job: JobRecord, now: number): number {
  const start = Date.parse(job.startedAt ?? job.createdAt);
  const end = job.finishedAt
    ? Date.parse(job.finishedAt)
    : isTerminal(job.state)
      ? Date.parse(job.updatedAt)
      : now;
  return Math.max(0, end - start);
}

export function rateText(job: JobRecord, now: number): string {
  return formatRate(job.counters.rows, elapsedMs(job, now));
}

/** "in 12s" until the next status call to the vendor, while the export waits. */
export function nextPollText(job: JobRecord, now: number): string | undefined {
  if (!job.nextPollAt || isTerminal(job.state)) return undefined;
  const ms = Date.parse(job.nextPollAt) - now;
  return ms <= 0 ? 'now' : `in ${formatDuration(ms)}`;
}

export function rowsText(job: JobRecord): string {
  const { rows, expectedRows, expectedRelation } = job.counters;
  const n = rows.toLocaleString();
  if (expectedRows === undefined) return n;
  return `${n} of ${expectedRelation === 'gte' ? 'at least ' : ''}${expectedRows.toLocaleString()}`;
}
