import { isTerminal, type JobRecord, type JobState } from '../../../shared/jobs.ts';
import { findProvider } from '../../../shared/providers/index.ts';
import { formatDuration } from '../../../shared/job-text.ts';
import { formatBytes, formatRate } from '../../ui/format.ts';

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

function elapsedMs(job: JobRecord, now: number): number {
  const start = Date.parse(job.startedAt ?? job.createdAt);
  const end = job.finishedAt
    ? Date.parse(job.finishedAt)
    : isTerminal(job.state)
      ? Date.parse(job.updatedAt)
      : now;
  return Math.max(0, end - start);
}

/**
 * A rate is shown once it means something: while an export runs, after some seconds and more than one page
 * (the first page alone, a moment after the start, would read as hundreds of thousands of rows a second).
 */
const RATE_AFTER_MS = 5_000;
const RATE_AFTER_PAGES = 2;

function rateKnown(job: JobRecord, now: number): boolean {
  const ms = elapsedMs(job, now);
  if (job.counters.rows === 0) return false;
  if (isTerminal(job.state)) return ms >= 1_000;
  return ms >= RATE_AFTER_MS && job.counters.pages >= RATE_AFTER_PAGES;
}

function rateText(job: JobRecord, now: number): string {
  return rateKnown(job, now) ? formatRate(job.counters.rows, elapsedMs(job, now)) : '—';
}

/** How far a running export is: a share of a known total, or only its phase while the total is unknown. */
export interface JobProgress {
  /** 0 to 100; undefined while the total is unknown (an indeterminate bar). */
  percent?: number;
  /** What the bar counts ("1,200 of 2,000 rows", "job 2 of 3"), or the phase. */
  label: string;
  /** "about 2m 10s left", once the pace so far says something. */
  eta?: string;
}

/** "job 2 of 3" (CXone's parts), "file 2 of 5" (IntelePeer's result files): the runner's own status line. */
const STEP_OF = /\b(job|file) (\d+) of (\d+)\b/;

function etaText(leftMs: number): string {
  return `about ${formatDuration(Math.max(1_000, leftMs))} left`;
}

export function jobProgress(job: JobRecord, now: number): JobProgress | undefined {
  if (isTerminal(job.state)) return undefined;
  const { rows, expectedRows, expectedRelation } = job.counters;
  const ms = elapsedMs(job, now);
  if (expectedRows !== undefined && expectedRows > 0) {
    const share = Math.min(1, rows / expectedRows);
    const known = rateKnown(job, now) && expectedRelation !== 'gte';
    return {
      percent: Math.floor(share * 100),
      label: `${rowsText(job)} rows`,
      ...(known && rows < expectedRows ? { eta: etaText(((expectedRows - rows) * ms) / rows) } : {}),
    };
  }
  const parts = job.remote.parts;
  const step = job.message ? STEP_OF.exec(job.message) : null;
  const total = step ? Number(step[3]) : (parts?.length ?? 0);
  if (total > 1) {
    // Steps run one after another: those before the current one are done.
    const current = step ? Number(step[2]) : Math.max(1, parts?.filter((p) => p.jobId).length ?? 1);
    const done = Math.min(total, Math.max(0, current - 1));
    const unit = step?.[1] ?? 'job';
    return {
      percent: Math.floor((done / total) * 100),
      label: `${unit} ${current} of ${total}`,
      ...(done > 0 && ms >= RATE_AFTER_MS ? { eta: etaText(((total - done) * ms) / done) } : {}),
    };
  }
  return { label: STATES[job.state].label };
}

/** "in 12s" until the next status call to the vendor, while the export waits. */
function nextPollText(job: JobRecord, now: number): string {
  if (!job.nextPollAt || isTerminal(job.state)) return '—';
  // Behind another export, the next call is its call, not this one's.
  if (job.wait?.kind === 'turn' || job.wait?.kind === 'slots') return 'after its turn';
  // Held by the vendor's spacing: the next call goes when the limit says, whatever was planned.
  const ms = Date.parse(job.wait?.nextAt ?? job.nextPollAt) - now;
  return ms <= 0 ? 'now' : `in ${formatDuration(ms)}`;
}

function rowsText(job: JobRecord): string {
  const { rows, expectedRows, expectedRelation } = job.counters;
  const n = rows.toLocaleString();
  if (expectedRows === undefined) return n;
  return `${n} of ${expectedRelation === 'gte' ? 'at least ' : ''}${expectedRows.toLocaleString()}`;
}

/** The size of the file the last save wrote, once one was saved (and its size kept). */
export function savedSize(job: JobRecord): string | undefined {
  const bytes = job.saves.at(-1)?.bytes;
  return bytes === undefined ? undefined : formatBytes(bytes);
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
  // The rows as kept for preview and saving, not the file a save writes (its size is savedSize's).
  {
    label: 'Spooled data',
    testId: 'job-bytes',
    num: true,
    value: (job) => formatBytes(job.counters.bytes),
  },
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

/**
 * An export whose job runs at the vendor (CXone's extraction jobs, IntelePeer's queries): cancelling it
 * here stops the waiting and the download, not the vendor's job.
 */
export function runsAtVendor(job: JobRecord): boolean {
  if (isTerminal(job.state)) return false;
  return (
    job.remote.jobId !== undefined ||
    (job.remote.parts?.some((p) => p.jobId) ?? false) ||
    job.state === 'submitting' ||
    job.state === 'waiting'
  );
}

/**
 * What Cancel does to the vendor's job, for the confirmation. Neither vendor's API has a call to stop a
 * job (CXone Data Extraction v1, IntelePeer Insights v4), so it runs on to its end there.
 */
export function cancelNote(job: JobRecord): string {
  const provider = findProvider(job.recipe.provider);
  const vendor = provider?.vendor ?? job.recipe.provider;
  const ids = [job.remote.jobId, ...(job.remote.parts ?? []).map((p) => p.jobId)].filter(
    (x, i, all): x is string => typeof x === 'string' && all.indexOf(x) === i,
  );
  const which = ids.length ? `its job ${ids.join(', ')}` : 'a job already submitted';
  const later = provider?.capabilities.tenantJobs
    ? 'Its file can be fetched later from "Jobs on this tenant" on the Connections screen.'
    : 'Export Desk will not fetch its result; retry the export to get the rows.';
  return `${vendor} has no call to stop a job: ${which} runs on to its end at ${vendor}. Export Desk stops waiting and keeps no rows. ${later}`;
}
