import {
  CXONE_MAX_DAYS_PER_JOB,
  cxoneProvider,
  type CxoneConnection,
  type CxoneQuery,
} from '../../shared/providers/cxone.ts';
import { formatDuration } from '../http/retry.ts';
import { ExportError } from '../jobs/errors.ts';
import { CxoneApi, VENDOR } from './cxone/api.ts';
import { spoolDownload } from './cxone/download.ts';
import { CsvScanError } from '../export/csv-scan.ts';
import { cxoneLookup } from './cxone/jobs-view.ts';
import { rememberJob } from './cxone/ledger.ts';
import { addDays, jobRanges } from './cxone/windows.ts';
import type { ProviderRuntime, RunContext, TestContext } from '../jobs/provider.ts';

/** Statuses that mean "keep waiting"; every status the vendor documents is handled, anything else fails loudly. */
const WAITING = new Set(['RUNNING', 'QUEUED', 'PENDING']);

export const cxoneRuntime: ProviderRuntime<CxoneConnection, CxoneQuery> = {
  definition: cxoneProvider,

  resolveQuery(query) {
    return query;
  },

  resumable: true,

  rangeEnd(query) {
    // Fetching one remote job's file says nothing about what a scheduled recipe has covered.
    if (query.remoteJobId || !query.endDate) return undefined;
    const last = query.endDateMeaning === 'exclusive' ? addDays(query.endDate, -1) : query.endDate;
    return `${last}T23:59:59.999Z`;
  },

  async testConnection(ctx) {
    const jobs = await apiFor(ctx, 'testing the connection').list('testing the connection');
    return `Signed in to NICE CXone: ${jobs.length} extraction job${jobs.length === 1 ? '' : 's'} on this tenant.`;
  },

  async lookup(name, params, ctx) {
    return cxoneLookup(name, params, () => apiFor(ctx, `listing ${name}`), ctx.clock, ctx.dataDir);
  },

  async run(ctx) {
    await runCxone(ctx);
  },
};

function apiFor(ctx: TestContext<CxoneConnection>, step: string): CxoneApi {
  const secret = ctx.secrets.accessKeySecret;
  if (!secret)
    throw new ExportError({
      vendor: VENDOR,
      step,
      message: 'No access key secret is stored.',
      hint: 'Enter the access key secret of this connection.',
    });
  return new CxoneApi(ctx.http, ctx.clock, ctx.signal, ctx.connection, secret, ctx.dataDir);
}

/** The parts of an export: consecutive ranges of at most 14 days, or the one remote job asked for. */
function partsOf(query: CxoneQuery): Array<{ from: string; to: string; jobId?: string }> {
  if (query.remoteJobId)
    return [{ from: query.startDate ?? '', to: query.endDate ?? '', jobId: query.remoteJobId }];
  return jobRanges(
    { startDate: query.startDate ?? '', endDate: query.endDate ?? '', endDateMeaning: query.endDateMeaning },
    CXONE_MAX_DAYS_PER_JOB,
  ).map((w) => ({ from: w.startDate, to: w.endDate }));
}

async function runCxone(ctx: RunContext<CxoneConnection, CxoneQuery>): Promise<void> {
  const { query } = ctx;
  const api = new CxoneApi(
    ctx.http,
    ctx.clock,
    ctx.signal,
    ctx.connection,
    ctx.secrets.accessKeySecret ?? '',
    ctx.dataDir,
  );
  // The parts and their remote job ids live in the job record, so a restart polls them instead of
  // submitting again (the vendor keeps each file for 24 hours).
  const windows = (ctx.resume?.parts ?? partsOf(query)).map((p) => ({ ...p }));
  ctx.setRemote({ parts: windows });
  if (windows.length > 1)
    ctx.warn(
      `The ${windows.length} parts of this range are extracted one after another (CXone allows at most ${CXONE_MAX_DAYS_PER_JOB} days per job).`,
    );
  let header: string[] | undefined;
  let pages = 0;
  for (const [i, w] of windows.entries()) {
    const part = windows.length > 1 ? `job ${i + 1} of ${windows.length}` : 'the job';
    let jobId = w.jobId;
    if (!jobId) {
      ctx.setState('submitting', `Submitting ${part} (${w.from} to ${w.to})`);
      ctx.setRemote({ status: 'SUBMITTING' }, await api.nextCallAt());
      const request = {
        entityName: query.entityName ?? '',
        version: query.version ?? '',
        startDate: w.from,
        endDate: w.to,
      };
      jobId = await api.submit(request, `submitting ${part}`);
      w.jobId = jobId;
      await rememberJob(ctx.dataDir, { jobId, ...request, createdAt: ctx.clock.now() }).catch((e: unknown) =>
        ctx.logger.warn('could not note the submitted job', { jobId, error: String(e) }),
      );
    }
    const range = w.from ? `${w.from} to ${w.to}` : jobId;
    ctx.setRemote({ jobId, status: 'RUNNING', parts: windows });
    let cuts = 0;
    let expired = 0;
    const waitingSince = ctx.clock.now();
    for (;;) {
      ctx.setState('waiting', `Waiting for ${part} (${range})`);
      ctx.setRemote({ jobId }, await api.nextCallAt());
      const status = await api.status(jobId, `checking ${part}`);
      const known = status.status.toUpperCase();
      ctx.setRemote({ jobId, status: status.status });
      if (WAITING.has(known)) {
        const waited = ctx.clock.now() - waitingSince;
        if (waited >= ctx.connection.pollDeadlineMinutes * 60_000)
          throw deadlineError(part, jobId, status.status, waited);
        continue;
      }
      if (known === 'SUCCEEDED' && status.url) {
        ctx.setState('downloading', `Downloading ${part}`);
        const file = await download(api, ctx, status.url, part, header);
        if (file === 'expired' || file === 'cut') {
          if (file === 'cut' && ++cuts >= MAX_CUT_DOWNLOADS) throw cutError(part);
          if (file === 'expired' && ++expired >= MAX_EXPIRED_LINKS) throw expiredError(part);
          // A link lives 30 s and is spent once cut off: ask for a fresh one (within the tenant's limit).
          ctx.logger.warn(`the file ${file === 'cut' ? 'download was cut off' : 'link had expired'}`, {
            jobId,
          });
          continue;
        }
        const result = file;
        header ??= result.columns;
        ctx.progress({ pages: ++pages });
        break;
      }
      throw statusError(status, part);
    }
  }
}

/** Downloads cut off this many times for one part fail the export: the line is not usable. */
const MAX_CUT_DOWNLOADS = 3;
/** Links found expired this many times for one part fail the export rather than asking forever. */
const MAX_EXPIRED_LINKS = 5;

/** The part's file in the spool; 'expired' for a spent link, 'cut' for a download that broke off. */
async function download(
  api: CxoneApi,
  ctx: RunContext<CxoneConnection, CxoneQuery>,
  url: string,
  part: string,
  header: readonly string[] | undefined,
): Promise<{ rows: number; columns: string[] } | 'expired' | 'cut'> {
  const body = await api.openFile(url, `downloading ${part}`);
  if (!body) return 'expired';
  try {
    return await spoolDownload(body, ctx, header);
  } catch (e) {
    if (!(e instanceof CsvScanError) || ctx.signal.aborted) throw e;
    throw new ExportError({
      vendor: VENDOR,
      step: `reading the file of ${part}`,
      message: e.message,
      hint: 'Retry the export; if it fails again, report it to NICE support.',
      cause: e,
    });
  }
}

function cutError(part: string): ExportError {
  return new ExportError({
    vendor: VENDOR,
    step: `downloading ${part}`,
    message: `The file of ${part} was cut off ${MAX_CUT_DOWNLOADS} times while downloading.`,
    hint: 'Check your network connection and proxy settings, then retry the export.',
  });
}

function expiredError(part: string): ExportError {
  return new ExportError({
    vendor: VENDOR,
    step: `downloading ${part}`,
    message: `The file link of ${part} had expired each of the ${MAX_EXPIRED_LINKS} times it was used (links live 30 seconds).`,
    hint: "Check that this computer's date and time are right, and that the proxy does not hold requests back, then retry the export.",
  });
}

function deadlineError(part: string, jobId: string, status: string, waitedMs: number): ExportError {
  return new ExportError({
    vendor: VENDOR,
    step: `waiting for ${part}`,
    message: `Stopped waiting for ${part} after ${formatDuration(waitedMs)}: its last status was "${status}".`,
    hint: `CXone keeps a job 24 hours: fetch its file later with the query {"remoteJobId": "${jobId}"} (or "Jobs on this tenant"), or raise "Stop waiting for a job after (minutes)" on the connection.`,
  });
}

function statusError(
  status: { status: string; errorMessage?: string; url?: string },
  part: string,
): ExportError {
  const step = `waiting for ${part}`;
  switch (status.status.toUpperCase()) {
    case 'FAILED':
      return new ExportError({
        vendor: VENDOR,
        step,
        message: `CXone reports the extraction failed: ${status.errorMessage ?? 'no reason given'}.`,
        hint: 'Check the entity, version and dates, then retry.',
      });
    case 'CANCELLED':
      return new ExportError({
        vendor: VENDOR,
        step,
        message: 'The extraction was cancelled on the CXone side.',
        hint: 'Retry the export.',
      });
    case 'EXPIRED':
      return new ExportError({
        vendor: VENDOR,
        step,
        message: 'CXone says the extraction expired before its file was fetched.',
        hint: 'Retry the export.',
      });
    case 'SUCCEEDED':
      return new ExportError({
        vendor: VENDOR,
        step,
        message: 'CXone says the extraction succeeded but sent no file link.',
        hint: 'Retry the export; if it happens again, report it to NICE support.',
      });
    default:
      return new ExportError({
        vendor: VENDOR,
        step,
        message: status.status
          ? `CXone answered with a job status Export Desk does not know: "${status.status}".`
          : 'CXone answered without a job status.',
        hint: 'Report this to the Export Desk team with the time of the export.',
      });
  }
}
