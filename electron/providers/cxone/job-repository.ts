/**
 * A CXone export as async jobs: one extraction job per range of at most 14 days (or the one job a recipe
 * names), submitted once, polled at the tenant's gate, its file streamed from the link into the spool. A
 * link that expired, or a download cut off part-way, is asked for again through a fresh status call.
 */
import {
  CXONE_MAX_DAYS_PER_JOB,
  type CxoneConnection,
  type CxoneQuery,
} from '../../../shared/providers/cxone.ts';
import { CsvScanError } from '../../export/csv-scan.ts';
import { formatDuration } from '../../http/retry.ts';
import {
  runAsyncJobs,
  type AsyncJobRepository,
  type RemotePart,
  type RemoteStatus,
} from '../../jobs/async-job.ts';
import { ExportError } from '../../jobs/errors.ts';
import type { RunContext } from '../../jobs/provider.ts';
import type { GateWait } from '../../http/tenant-gate.ts';
import { CALL_RULE, type CxoneApi, type JobStatus } from './api.ts';
import { spoolDownload } from './download.ts';
import { VENDOR } from './errors.ts';
import { rememberJob } from './ledger.ts';
import { jobRanges } from '../../../shared/providers/cxone-windows.ts';

/** Statuses that mean "keep waiting". */
const WAITING = new Set(['RUNNING', 'QUEUED', 'PENDING']);
/** A fresh link is asked for after each of these, up to `times` for one part; then the export fails. */
const AGAIN = {
  cut: {
    // The line is not usable.
    times: 3,
    message: (part: string) => `The file of ${part} was cut off 3 times while downloading.`,
    hint: 'Check your network connection and proxy settings, then retry the export.',
  },
  expired: {
    times: 5,
    message: (part: string) =>
      `The file link of ${part} had expired each of the 5 times it was used (links live 30 seconds).`,
    hint: "Check that this computer's date and time are right, and that the proxy does not hold requests back, then retry the export.",
  },
} as const;

/** The parts of an export: consecutive ranges of at most 14 days, or the one remote job asked for. */
function partsOf(query: CxoneQuery): RemotePart[] {
  if (query.remoteJobId)
    return [{ from: query.startDate ?? '', to: query.endDate ?? '', jobId: query.remoteJobId }];
  return jobRanges(
    { startDate: query.startDate ?? '', endDate: query.endDate ?? '', endDateMeaning: query.endDateMeaning },
    CXONE_MAX_DAYS_PER_JOB,
  ).map((w) => ({ from: w.startDate, to: w.endDate }));
}

/** "job 2 of 3 (2025-05-15 to 2025-05-28)" → "job 2 of 3": what steps and messages call a part. */
const nameOf = (label: string): string => label.replace(/ \(.*\)$/, '');

/**
 * `openApi` makes the connection's calls, telling the watcher it is given what each call waits for at the
 * tenant's gate: that is shown on the export, with CXone's rule, until the call goes.
 */
export async function cxoneJobs(
  ctx: RunContext<CxoneConnection, CxoneQuery>,
  openApi: (watch: (wait: GateWait | undefined) => void) => CxoneApi,
): Promise<void> {
  /** The part being submitted: its status line says so only once the call goes. */
  let submitting: string | undefined;
  const api = openApi((wait) => {
    ctx.setWait(
      wait && {
        kind: wait.kind,
        rule: CALL_RULE,
        scope: 'tenant',
        ...(wait.kind === 'pace' ? { nextAt: new Date(wait.until).toISOString() } : {}),
      },
    );
    if (submitting) ctx.setState('submitting', `${wait ? 'Waiting to submit' : 'Submitting'} ${submitting}`);
  });
  const parts = partsOf(ctx.query);
  const count = ctx.resume?.parts?.length ?? parts.length;
  if (count > 1)
    ctx.warn(
      `The ${count} parts of this range are extracted one after another (CXone allows at most ${CXONE_MAX_DAYS_PER_JOB} days per job).`,
    );
  let pages = 0;
  const { entityName = '', version = '' } = ctx.query;
  const request = (p: RemotePart) => ({ entityName, version, startDate: p.from, endDate: p.to });
  const repo: AsyncJobRepository<string> = {
    vendor: VENDOR,
    describe: (p, i, n) =>
      `${n > 1 ? `job ${i + 1} of ${n}` : 'the job'} (${p.from ? `${p.from} to ${p.to}` : p.jobId})`,
    // The tenant's gate spaces the status calls; the countdown shows its time.
    pollMs: [0],
    nextCallAt: () => api.nextCallAt(),
    deadlineMs: ctx.connection.pollDeadlineMinutes * 60_000,
    async start(part, label) {
      submitting = label;
      try {
        return await api.submit(request(part), `submitting ${nameOf(label)}`);
      } finally {
        submitting = undefined;
      }
    },
    submitted: (jobId, part) =>
      rememberJob(ctx.dataDir, { jobId, ...request(part), createdAt: ctx.clock.now() }),
    async status(jobId, _part, label) {
      return remoteStatus(await api.status(jobId, `checking ${nameOf(label)}`));
    },
    async fetch(_jobId, url, _part, label) {
      const name = nameOf(label);
      const body = await api.openFile(url, `downloading ${name}`);
      if (!body) return { again: 'expired' };
      try {
        // The first file's header is kept for the whole export; a later part must have the same.
        if ((await spoolDownload(body, ctx)) === 'cut') return { again: 'cut' };
      } catch (e) {
        if (!(e instanceof CsvScanError) || ctx.signal.aborted) throw e;
        throw new ExportError({
          vendor: VENDOR,
          step: `reading the file of ${name}`,
          message: e.message,
          hint: 'Retry the export; if it fails again, report it to NICE support.',
          cause: e,
        });
      }
      ctx.progress({ pages: ++pages });
    },
    againLimit(reason, times, label) {
      const { times: most, message, hint } = AGAIN[reason as keyof typeof AGAIN];
      const name = nameOf(label);
      if (times < most) return undefined;
      return new ExportError({ vendor: VENDOR, step: `downloading ${name}`, message: message(name), hint });
    },
    deadline(label, jobId, status, waitedMs) {
      const name = nameOf(label);
      // Stopped because the next status call would come after the deadline: that is how long was waited.
      const waited = Math.max(waitedMs, ctx.connection.pollDeadlineMinutes * 60_000);
      return new ExportError({
        vendor: VENDOR,
        step: `waiting for ${name}`,
        message: `Stopped waiting for ${name} after ${formatDuration(waited)}: its last status was "${status}".`,
        hint: `CXone keeps a job 24 hours: fetch its file later with the query {"remoteJobId": "${jobId}"} (or "Jobs on this tenant"), or raise "Stop waiting for a job after (minutes)" on the connection.`,
      });
    },
  };
  // The parts and their remote job ids live in the job record, so a restart polls them instead of
  // submitting again (the vendor keeps each file for 24 hours).
  await runAsyncJobs(ctx, repo, { parts, recordParts: true });
}

/**
 * The vendor's job status in the engine's words; the file link is the result. Every status the vendor
 * documents is handled, and anything else fails loudly, shown as it was sent.
 */
function remoteStatus({ status: raw, result }: JobStatus): RemoteStatus<string> {
  const known = raw.toUpperCase();
  if (WAITING.has(known)) return { state: 'running', raw };
  if (known === 'SUCCEEDED' && typeof result.url === 'string' && result.url)
    return { state: 'done', raw, result: result.url };
  const errorMessage = [result.errorMessage, result.messageError].find(
    (m): m is string => typeof m === 'string',
  );
  const retry = 'Retry the export.';
  const failures: Record<string, [string, string]> = {
    FAILED: [
      `CXone reports the extraction failed: ${errorMessage || 'no reason given'}.`,
      'Check the entity, version and dates, then retry.',
    ],
    CANCELLED: ['The extraction was cancelled on the CXone side.', retry],
    EXPIRED: ['CXone says the extraction expired before its file was fetched.', retry],
    SUCCEEDED: [
      'CXone says the extraction succeeded but sent no file link.',
      'Retry the export; if it happens again, report it to NICE support.',
    ],
  };
  const [reason, hint] = failures[known] ?? [
    raw
      ? `CXone answered with a job status Export Desk does not know: "${raw}".`
      : 'CXone answered without a job status.',
    'Report this to the Export Desk team with the time of the export.',
  ];
  return { state: 'failed', raw, reason, hint };
}
