import path from 'node:path';
import { isRelativeDate, resolveRelativeDate } from '../../shared/dates.ts';
import {
  INSIGHTS_COMMON_FIELDS,
  insightsTime,
  intelepeerProvider,
  type IntelepeerConnection,
  type IntelepeerQuery,
} from '../../shared/providers/intelepeer.ts';
import { UserError } from '../base/user-error.ts';
import { formatDuration } from '../http/retry.ts';
import { runAsyncJobs, type RemoteStatus } from '../jobs/async-job.ts';
import { ExportError } from '../jobs/errors.ts';
import { catalogue, insightsApi, queryAnswer, QueryLimitReached, submitQuery } from './intelepeer/api.ts';
import { authEndpoint, VENDOR } from './intelepeer/auth.ts';
import { readShards } from './intelepeer/download.ts';
import { NOT_FINISHED, resultPaths, UnsafePathError } from './intelepeer/result-paths.ts';
import { SftpFiles } from './intelepeer/sftp.ts';
import { acquireQuerySlot, SLOT_RULE } from './intelepeer/slots.ts';
import type { ProviderRuntime, RunContext, TestContext } from '../jobs/provider.ts';

/** Between status checks of a running query. */
const POLL_MS = 15_000;
/** After the vendor's first 429, before the query asks for a slot again; each later pause doubles. */
const REQUEUE_MS = 5_000;
const REQUEUE_MAX_MS = 30_000;

type Ctx = TestContext<IntelepeerConnection>;

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
  // Insights v4 has no call to cancel or delete a query (only GET/POST /dwh/Q, its status and its result).
  afterCancel: (ids) =>
    `IntelePeer has no call to stop a query, so query ${ids.join(', ')} runs on to its end there and holds one of the account's query slots until then; retry the export to get the rows.`,

  /** The body POST /dwh/Q receives: relative dates resolved, times at seconds precision. */
  resolveQuery(query, rc) {
    const ts = query.timestamp;
    if (!isRelativeDate(ts))
      return {
        ...query,
        timestamp: Object.fromEntries(Object.entries(ts).map(([op, v]) => [op, insightsTime(v)])),
      };
    const range = resolveRelativeDate(ts, rc.nowMs, rc.lastRunUntil);
    // The vendor's times are whole seconds and $lte includes its second: after a run that ended at
    // 12:00:05, the next one starts at 12:00:06, not at 12:00:05 again (rounded down from 12:00:05.001).
    const from = Math.ceil(Date.parse(range.from) / 1000) * 1000;
    return {
      ...query,
      timestamp: { $gte: insightsTime(new Date(from).toISOString()), $lte: insightsTime(range.to) },
    };
  },

  rangeEnd(query) {
    if (isRelativeDate(query.timestamp)) return undefined;
    const end = query.timestamp.$lte ?? query.timestamp.$lt;
    return end && !Number.isNaN(Date.parse(end)) ? new Date(Date.parse(end)).toISOString() : undefined;
  },

  async testConnection(ctx) {
    const events = Object.keys(await catalogue(insightsApi(ctx), 'testing the connection'));
    const files = sftpFiles(ctx);
    try {
      const entries = await files.listBase();
      const key = files.verdict;
      const pinned = key?.ok
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
      const events = await catalogue(insightsApi(ctx));
      return Object.entries(events).map(([event, spec]) => ({
        value: event,
        label: event,
        detail: `${spec.fields.length} field${spec.fields.length === 1 ? '' : 's'}, plus the common fields`,
        facts: { fields: spec.fields.join(',') },
      }));
    }
    if (name === 'fields') {
      const event = params.event ?? '';
      const spec = (await catalogue(insightsApi(ctx)))[event];
      if (!spec)
        throw new UserError(`IntelePeer's catalogue has no event "${event}" (names are case-sensitive).`);
      const common = INSIGHTS_COMMON_FIELDS.filter((f) => !spec.fields.includes(f));
      return [
        ...spec.fields.map((f) => ({ value: f, label: f, detail: event })),
        ...common.map((f) => ({ value: f, label: f, detail: 'common field' })),
      ];
    }
    throw new UserError(`IntelePeer connections offer the lists "catalogue" and "fields", not "${name}".`);
  },

  run: runQuery,
};

async function runQuery(ctx: RunContext<IntelepeerConnection, IntelepeerQuery>): Promise<void> {
  const insights = insightsApi(ctx);
  const account = `${authEndpoint(ctx.connection.authUrl)}|${ctx.connection.username}`;
  // A 429 while this query holds a slot comes with fewer than two of the account's queries running
  // here: someone else holds the vendor's slots, or the query is over its ~1 TB limit (the same answer).
  // Only the pauses after a 429 count against the bound, not the waits for this app's own slots.
  const retryMs = ctx.connection.limitRetrySeconds * 1000;
  let refusedMs = 0;
  let pause = REQUEUE_MS;
  // Once Completed, only the result call is asked again while the files are being written.
  let completed = false;
  await runAsyncJobs(
    ctx,
    {
      vendor: VENDOR,
      describe: () => 'the query',
      pollMs: [POLL_MS],
      waitFirst: true,
      deadlineMs: ctx.connection.pollDeadlineMinutes * 60_000,
      // A query resumed after a restart is still running at the vendor: it counts, so it takes a slot too.
      hold: async (state) => {
        const slot = await acquireQuerySlot({
          dataDir: ctx.dataDir,
          account,
          clock: ctx.clock,
          signal: ctx.signal,
          onWait: (m) => {
            ctx.setWait({ kind: 'slots', rule: SLOT_RULE, scope: 'account' });
            ctx.setState(state, m);
          },
        });
        ctx.setWait(undefined);
        return slot;
      },
      async start() {
        try {
          return await submitQuery(insights, ctx.query, 'submitting the query');
        } catch (e) {
          if (!(e instanceof QueryLimitReached)) throw e;
          if (refusedMs >= retryMs) throw stillRefused(e.vendorText, refusedMs);
          const later = Math.min(pause, retryMs - refusedMs);
          refusedMs += later;
          pause = Math.min(pause * 2, REQUEUE_MAX_MS);
          return {
            later,
            message: `waiting: IntelePeer says "${e.vendorText}"; the query is sent again in ${formatDuration(later)}`,
          };
        }
      },
      async status(guid) {
        if (!completed) {
          const answer = await queryAnswer(insights, guid, '/status', 'waiting for the query');
          const s = answer.status.toLowerCase();
          // The docs: "Failed: The query returned empty values" ("No Data Returned").
          if (s === 'failed') return emptyResult(ctx, answer.status, answer.messages);
          if (s === 'canceled' || s === 'cancelled')
            return {
              state: 'failed',
              raw: answer.status,
              reason: 'IntelePeer canceled the query (a timeout or another error on its side).',
              hint: 'Run the export again, perhaps with a shorter time range.',
            };
          // Every other status is shown as sent: Pending, Processing, or one the docs do not list.
          if (s !== 'completed') return { state: 'running', raw: answer.status };
          completed = true;
        }
        const { status: text } = await queryAnswer(insights, guid, '', 'asking where the result files are');
        if (NOT_FINISHED.test(text)) return { state: 'running', raw: text };
        return { state: 'done', raw: 'Completed', result: filesOf(text) };
      },
      waiting: (_label, guid, raw) =>
        completed
          ? 'IntelePeer is still writing the result files'
          : `Query ${guid} is running at IntelePeer (status "${raw ?? 'Pending'}")`,
      deadline: (_label, guid, raw, waited) =>
        new ExportError({
          vendor: VENDOR,
          step: completed ? 'asking where the result files are' : 'waiting for the query',
          message: `Stopped waiting for query ${guid} after ${formatDuration(waited)}; IntelePeer last said "${raw}".`,
          hint: 'Run the export again later, perhaps with a shorter time range, or raise "Stop waiting for a query after (minutes)" on the connection.',
        }),
      fetch: (_guid, paths) => download(ctx, paths),
    },
    // One query, its id kept on the job record as the remote job id.
    { parts: [{ from: '', to: '' }], recordParts: false },
  );
}

/** The result files over SFTP into the spool, the next one fetched ahead over a second connection. */
async function download(
  ctx: RunContext<IntelepeerConnection, IntelepeerQuery>,
  paths: string[],
): Promise<void> {
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

/** A query that found no data: a file with the selected fields as its header, and a notice why. */
function emptyResult(
  ctx: RunContext<IntelepeerConnection, IntelepeerQuery>,
  raw: string,
  messages: string[],
): RemoteStatus<string[]> {
  ctx.setState('downloading', 'IntelePeer returned no data: nothing to download');
  ctx.columns([...new Set(Object.values(ctx.query.data).flatMap((e) => e.fields))]);
  return {
    state: 'empty',
    raw,
    notice: `IntelePeer returned no data for this query (status Failed${messages.length ? `: ${messages.join('; ')}` : ''}); the file has the header only. If you expected rows, add fields or correct the query (its time range or filters).`,
  };
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

/** The files a finished result lists: relative paths under the base folder, at least one. */
function filesOf(text: string): string[] {
  const fail = (message: string, hint: string): ExportError =>
    new ExportError({ vendor: VENDOR, step: 'asking where the result files are', message, hint });
  let paths: string[];
  try {
    paths = resultPaths(text);
  } catch (e) {
    if (!(e instanceof UnsafePathError)) throw e;
    throw fail(e.message, 'Report this answer to IntelePeer support; nothing was downloaded.');
  }
  if (paths.length === 0)
    throw fail(
      `IntelePeer finished the query but listed no result file: "${text.slice(0, 200)}"`,
      'Run the export again; if it happens again, report it to IntelePeer support.',
    );
  return paths;
}
