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
import { VENDOR, type CxoneApi, type JobStatus } from './api.ts';
import { spoolDownload } from './download.ts';
import { rememberJob } from './ledger.ts';
import { jobRanges } from './windows.ts';

/** Statuses that mean "keep waiting"; every status the vendor documents is handled, anything else fails loudly. */
const WAITING = new Set(['RUNNING', 'QUEUED', 'PENDING']);
/** Downloads cut off this many times for one part fail the export: the line is not usable. */
const MAX_CUT_DOWNLOADS = 3;
/** Links found expired this many times for one part fail the export rather than asking forever. */
const MAX_EXPIRED_LINKS = 5;
const CUT = 'the file download was cut off';
const EXPIRED = 'the file link had expired';

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

export async function cxoneJobs(ctx: RunContext<CxoneConnection, CxoneQuery>, api: CxoneApi): Promise<void> {
  const parts = partsOf(ctx.query);
  const count = ctx.resume?.parts?.length ?? parts.length;
  if (count > 1)
    ctx.warn(
      `The ${count} parts of this range are extracted one after another (CXone allows at most ${CXONE_MAX_DAYS_PER_JOB} days per job).`,
    );
  let pages = 0;
  const repo: AsyncJobRepository<string> = {
    vendor: VENDOR,
    describe: (p, i, n) =>
      `${n > 1 ? `job ${i + 1} of ${n}` : 'the job'} (${p.from ? `${p.from} to ${p.to}` : p.jobId})`,
    // The tenant's gate spaces the status calls; the countdown shows its time.
    pollMs: [0],
    nextCallAt: () => api.nextCallAt(),
    deadlineMs: ctx.connection.pollDeadlineMinutes * 60_000,
    async start(part, label) {
      const q = ctx.query;
      const body = {
        entityName: q.entityName ?? '',
        version: q.version ?? '',
        startDate: part.from,
        endDate: part.to,
      };
      return api.submit(body, `submitting ${nameOf(label)}`);
    },
    async submitted(jobId, part) {
      const q = ctx.query;
      await rememberJob(ctx.dataDir, {
        jobId,
        entityName: q.entityName ?? '',
        version: q.version ?? '',
        startDate: part.from,
        endDate: part.to,
        createdAt: ctx.clock.now(),
      });
    },
    async status(jobId, _part, label) {
      return remoteStatus(await api.status(jobId, `checking ${nameOf(label)}`));
    },
    async fetch(_jobId, url, _part, label) {
      const name = nameOf(label);
      const body = await api.openFile(url, `downloading ${name}`);
      if (!body) return { again: EXPIRED };
      try {
        // The first file's header is kept for the whole export; a later part must have the same.
        if ((await spoolDownload(body, ctx)) === 'cut') return { again: CUT };
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
      const name = nameOf(label);
      if (reason === CUT && times >= MAX_CUT_DOWNLOADS)
        return new ExportError({
          vendor: VENDOR,
          step: `downloading ${name}`,
          message: `The file of ${name} was cut off ${MAX_CUT_DOWNLOADS} times while downloading.`,
          hint: 'Check your network connection and proxy settings, then retry the export.',
        });
      if (reason === EXPIRED && times >= MAX_EXPIRED_LINKS)
        return new ExportError({
          vendor: VENDOR,
          step: `downloading ${name}`,
          message: `The file link of ${name} had expired each of the ${MAX_EXPIRED_LINKS} times it was used (links live 30 seconds).`,
          hint: "Check that this computer's date and time are right, and that the proxy does not hold requests back, then retry the export.",
        });
      return undefined;
    },
    deadline({ label, status, waitedMs, jobId }) {
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

/** The vendor's job status in the engine's words; the file link is the result. */
function remoteStatus(status: JobStatus): RemoteStatus<string> {
  const raw = status.status;
  const known = raw.toUpperCase();
  if (WAITING.has(known)) return { state: 'running', raw };
  if (known === 'SUCCEEDED' && status.url) return { state: 'done', raw, result: status.url };
  return { state: 'failed', raw, ...failure(known, raw, status.errorMessage) };
}

function failure(known: string, raw: string, errorMessage?: string): { reason: string; hint: string } {
  switch (known) {
    case 'FAILED':
      return {
        reason: `CXone reports the extraction failed: ${errorMessage ?? 'no reason given'}.`,
        hint: 'Check the entity, version and dates, then retry.',
      };
    case 'CANCELLED':
      return { reason: 'The extraction was cancelled on the CXone side.', hint: 'Retry the export.' };
    case 'EXPIRED':
      return {
        reason: 'CXone says the extraction expired before its file was fetched.',
        hint: 'Retry the export.',
      };
    case 'SUCCEEDED':
      return {
        reason: 'CXone says the extraction succeeded but sent no file link.',
        hint: 'Retry the export; if it happens again, report it to NICE support.',
      };
    default:
      return {
        reason: raw
          ? `CXone answered with a job status Export Desk does not know: "${raw}".`
          : 'CXone answered without a job status.',
        hint: 'Report this to the Export Desk team with the time of the export.',
      };
  }
}
