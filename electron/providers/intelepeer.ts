import path from 'node:path';
import { isRelativeDate, resolveRelativeDate } from '../../shared/dates.ts';
import {
  insightsBody,
  INSIGHTS_COMMON_FIELDS,
  intelepeerProvider,
  type IntelepeerConnection,
  type IntelepeerQuery,
} from '../../shared/providers/intelepeer.ts';
import { UserError } from '../base/user-error.ts';
import { formatDuration } from '../http/retry.ts';
import type { HeldLock } from '../base/lock-file.ts';
import { ExportError } from '../jobs/errors.ts';
import { InsightsApi, QueryLimitReached } from './intelepeer/api.ts';
import { authEndpoint, VENDOR } from './intelepeer/auth.ts';
import { readShards } from './intelepeer/download.ts';
import { NOT_FINISHED, resultPaths, UnsafePathError } from './intelepeer/result-paths.ts';
import { SftpFiles } from './intelepeer/sftp.ts';
import { acquireQuerySlot } from './intelepeer/slots.ts';
import type { ProviderRuntime, RunContext, TestContext } from '../jobs/provider.ts';

/** Between status checks of a running query. */
export const POLL_MS = 15_000;
/** After the vendor's first 429, before the query asks for a slot again; each later pause doubles. */
export const REQUEUE_MS = 5_000;
const REQUEUE_MAX_MS = 30_000;

type Ctx = TestContext<IntelepeerConnection>;

const api = (ctx: Ctx): InsightsApi =>
  new InsightsApi(ctx.http, ctx.clock, ctx.signal, ctx.connection, ctx.secrets.password ?? '');

function sftpFiles(ctx: Ctx, onDrop?: (m: string) => void, signal = ctx.signal): SftpFiles {
  const c = ctx.connection;
  const s = ctx.secrets;
  return new SftpFiles(
    {
      host: c.sftpHost,
      port: c.sftpPort,
      username: c.sftpUsername,
      ...(s.sftpPassword ? { password: s.sftpPassword } : {}),
      ...(s.sftpPrivateKey ? { privateKey: s.sftpPrivateKey } : {}),
      ...(s.sftpPassphrase ? { passphrase: s.sftpPassphrase } : {}),
      baseDir: c.sftpBaseDir,
      trustedKey: c.sftpHostKey,
      dataDir: ctx.dataDir,
    },
    ctx.clock,
    signal,
    onDrop,
  );
}

export const intelepeerRuntime: ProviderRuntime<IntelepeerConnection, IntelepeerQuery> = {
  definition: intelepeerProvider,
  resumable: true,

  resolveQuery(query, rc) {
    const range = isRelativeDate(query.timestamp)
      ? resolveRelativeDate(query.timestamp, rc.nowMs, rc.lastRunUntil)
      : undefined;
    return insightsBody(query, range) as IntelepeerQuery;
  },

  rangeEnd(query) {
    if (isRelativeDate(query.timestamp)) return undefined;
    const end = query.timestamp.$lte ?? query.timestamp.$lt;
    return end && !Number.isNaN(Date.parse(end)) ? new Date(Date.parse(end)).toISOString() : undefined;
  },

  async testConnection(ctx) {
    const events = Object.keys(await api(ctx).catalogue('testing the connection'));
    const files = sftpFiles(ctx);
    try {
      const entries = await files.listBase();
      const key = files.hostKey;
      const pinned = key
        ? key.pinnedNow
          ? `host key ${key.fingerprint} pinned now (first connection: compare it with the one IntelePeer gave you)`
          : `host key ${key.fingerprint} matches the pinned one`
        : 'host key checked';
      return (
        `Signed in to IntelePeer Insights: ${events.length} event${events.length === 1 ? '' : 's'} in the field catalogue. ` +
        `SFTP ${ctx.connection.sftpHost}:${ctx.connection.sftpPort}: ${pinned}; ${entries} entr${entries === 1 ? 'y' : 'ies'} in the base folder.`
      );
    } finally {
      await files.close();
    }
  },

  async lookup(name, params, ctx) {
    if (name === 'catalogue') {
      const catalogue = await api(ctx).catalogue();
      return Object.entries(catalogue).map(([event, spec]) => ({
        value: event,
        label: event,
        detail: `${spec.fields.length} field${spec.fields.length === 1 ? '' : 's'}, plus the common fields`,
        facts: { fields: spec.fields.join(',') },
      }));
    }
    if (name === 'fields') {
      const event = params.event ?? '';
      const spec = (await api(ctx).catalogue())[event];
      if (!spec)
        throw new UserError(`IntelePeer's catalogue has no event "${event}" (names are case-sensitive).`);
      return [
        ...spec.fields.map((f) => ({ value: f, label: f, detail: event })),
        ...INSIGHTS_COMMON_FIELDS.filter((f) => !spec.fields.includes(f)).map((f) => ({
          value: f,
          label: f,
          detail: 'common field',
        })),
      ];
    }
    throw new UserError(`IntelePeer connections offer the lists "catalogue" and "fields", not "${name}".`);
  },

  async run(ctx) {
    await runQuery(ctx);
  },
};

async function runQuery(ctx: RunContext<IntelepeerConnection, IntelepeerQuery>): Promise<void> {
  const insights = api(ctx);
  const account = `${authEndpoint(ctx.connection.authUrl)}|${ctx.connection.username}`;
  let guid = ctx.resume?.jobId;
  let slot: HeldLock | undefined;
  let poll: PollDeadline;
  // The messages of a query that ended Failed, which the vendor's docs define as "returned empty values".
  let noData: string[] | undefined;
  const takeSlot = async (state: 'queued' | 'submitting' | 'waiting'): Promise<HeldLock> =>
    acquireQuerySlot({
      dataDir: ctx.dataDir,
      account,
      clock: ctx.clock,
      signal: ctx.signal,
      onWait: (m) => ctx.setState(state, m),
    });
  try {
    // A query resumed after a restart is still running at the vendor: it counts, so it takes a slot too.
    if (guid) slot = await takeSlot('waiting');
    // The state the wait for a slot is shown in: a job never goes back from submitting to queued.
    let waitIn: 'queued' | 'submitting' = ctx.resume ? 'submitting' : 'queued';
    // A 429 while this query holds a slot comes with fewer than two of the account's queries running
    // here: someone else holds the vendor's slots, or the query is over its ~1 TB limit (the same answer).
    // Only the pauses after a 429 count against the bound, not the waits for this app's own slots.
    const retryMs = ctx.connection.limitRetrySeconds * 1000;
    let refusedMs = 0;
    let pause = REQUEUE_MS;
    while (!guid) {
      slot = await takeSlot(waitIn);
      ctx.setState('submitting', 'Submitting the query');
      try {
        guid = await insights.submit(ctx.query, 'submitting the query');
      } catch (e) {
        if (!(e instanceof QueryLimitReached)) throw e;
        await slot.release();
        slot = undefined;
        if (refusedMs >= retryMs) throw stillRefused(e.vendorText, refusedMs);
        waitIn = 'submitting';
        const wait = Math.min(pause, retryMs - refusedMs);
        ctx.setState(
          'submitting',
          `waiting: IntelePeer says "${e.vendorText}"; the query is sent again in ${formatDuration(wait)}`,
        );
        await ctx.clock.sleep(wait, ctx.signal);
        refusedMs += wait;
        pause = Math.min(pause * 2, REQUEUE_MAX_MS);
      }
    }
    ctx.setRemote({ jobId: guid, status: 'Pending' });
    poll = { since: ctx.clock.now(), deadlineMs: ctx.connection.pollDeadlineMinutes * 60_000 };
    noData = await waitForQuery(ctx, insights, guid, poll);
  } finally {
    await slot?.release();
  }
  if (noData) return emptyResult(ctx, noData);
  const paths = await resultFiles(ctx, insights, guid, poll);
  ctx.setState(
    'downloading',
    `Downloading ${paths.length} result file${paths.length === 1 ? '' : 's'} over SFTP`,
  );
  const files = sftpFiles(ctx, (m) => ctx.warn(m));
  try {
    await readShards({
      files,
      paths,
      signal: ctx.signal,
      appendCsv: (source, opts) => ctx.appendCsv(source, opts),
      // The next file comes over a second connection while one is appended (the account limit is on
      // running queries, not on file transfers).
      prefetch: {
        open: (signal) => sftpFiles(ctx, (m) => ctx.warn(m), signal),
        dir: path.join(ctx.workDir, 'sftp'),
      },
      onShard: (done, total) => {
        ctx.progress({ pages: done });
        if (done < total)
          ctx.setState('downloading', `Downloading result file ${done + 1} of ${total} over SFTP`);
      },
    });
  } finally {
    await files.close();
  }
}

/** When the polls of one query began, and how long they may go on. */
interface PollDeadline {
  since: number;
  deadlineMs: number;
}

/** Sleeps until the next poll, or stops the export once the connection's poll deadline has passed. */
async function nextPoll(
  ctx: RunContext<IntelepeerConnection, IntelepeerQuery>,
  guid: string,
  poll: PollDeadline,
  step: string,
  lastStatus: string,
): Promise<void> {
  const waited = ctx.clock.now() - poll.since;
  if (waited >= poll.deadlineMs)
    throw new ExportError({
      vendor: VENDOR,
      step,
      message: `Stopped waiting for query ${guid} after ${formatDuration(waited)}; IntelePeer last said "${lastStatus}".`,
      hint: 'Run the export again later, perhaps with a shorter time range, or raise "Stop waiting for a query after (minutes)" on the connection.',
    });
  ctx.setRemote({ jobId: guid }, ctx.clock.now() + POLL_MS);
  await ctx.clock.sleep(Math.min(POLL_MS, poll.deadlineMs - waited), ctx.signal);
}

/** Polls the query's status until it ends: undefined once Completed, the vendor's messages once Failed. */
async function waitForQuery(
  ctx: RunContext<IntelepeerConnection, IntelepeerQuery>,
  insights: InsightsApi,
  guid: string,
  poll: PollDeadline,
): Promise<string[] | undefined> {
  const step = 'waiting for the query';
  let status = 'Pending';
  for (;;) {
    // Every status is shown as sent: Pending, Processing, or one the docs do not list (still running).
    ctx.setState('waiting', `Query ${guid} is running at IntelePeer (status "${status}")`);
    await nextPoll(ctx, guid, poll, step, status);
    const answer = await insights.status(guid, step);
    status = answer.status;
    ctx.setRemote({ jobId: guid, status });
    const s = status.toLowerCase();
    if (s === 'completed') return undefined;
    // The docs: "Failed: The query returned empty values" ("No Data Returned").
    if (s === 'failed') return answer.messages;
    if (s === 'canceled' || s === 'cancelled')
      throw new ExportError({
        vendor: VENDOR,
        step,
        message: 'IntelePeer canceled the query (a timeout or another error on its side).',
        hint: 'Run the export again, perhaps with a shorter time range.',
      });
  }
}

/** A query that found no data: a file with the selected fields as its header, and a notice why. */
function emptyResult(ctx: RunContext<IntelepeerConnection, IntelepeerQuery>, messages: string[]): void {
  ctx.setState('downloading', 'IntelePeer returned no data: nothing to download');
  ctx.columns([...new Set(Object.values(ctx.query.data).flatMap((e) => e.fields))]);
  ctx.warn(
    `IntelePeer returned no data for this query (status Failed${messages.length ? `: ${messages.join('; ')}` : ''}); the file has the header only. If you expected rows, add fields or correct the query (its time range or filters).`,
  );
}

/** The error once IntelePeer has refused the query (429) for the connection's whole retry time. */
function stillRefused(vendorText: string, refusedMs: number): ExportError {
  return new ExportError({
    vendor: VENDOR,
    step: 'submitting the query',
    status: 429,
    message:
      `IntelePeer kept refusing the query for ${formatDuration(refusedMs)}: "${vendorText}". Fewer than two of the account's ` +
      'queries run from Export Desk, so either other users or tools on the account hold its two query slots, ' +
      "or this query is over IntelePeer's limit of about 1 TB of data per query (both give this answer).",
    hint:
      "Wait until the account's other queries have ended and run the export again, or narrow the timestamp range " +
      '(or choose fewer events and fields) so the query reads less data. "Retry a refused query for (seconds)" ' +
      'on the connection sets how long a refused query is sent again.',
  });
}

async function resultFiles(
  ctx: RunContext<IntelepeerConnection, IntelepeerQuery>,
  insights: InsightsApi,
  guid: string,
  poll: PollDeadline,
): Promise<string[]> {
  const step = 'asking where the result files are';
  for (;;) {
    const text = await insights.result(guid, step);
    if (NOT_FINISHED.test(text)) {
      ctx.setState('waiting', 'IntelePeer is still writing the result files');
      await nextPoll(ctx, guid, poll, step, text);
      continue;
    }
    let paths: string[];
    try {
      paths = resultPaths(text);
    } catch (e) {
      if (!(e instanceof UnsafePathError)) throw e;
      throw new ExportError({
        vendor: VENDOR,
        step,
        message: e.message,
        hint: 'Report this answer to IntelePeer support; nothing was downloaded.',
      });
    }
    if (paths.length === 0)
      throw new ExportError({
        vendor: VENDOR,
        step,
        message: `IntelePeer finished the query but listed no result file: "${text.slice(0, 200)}"`,
        hint: 'Run the export again; if it happens again, report it to IntelePeer support.',
      });
    return paths;
  }
}
