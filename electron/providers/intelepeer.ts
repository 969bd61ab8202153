import path from 'node:path';
import { isRelativeDate, resolveRelativeDate } from '../../shared/dates.ts';
import {
  insightsBody,
  INSIGHTS_COMMON_FIELDS,
  intelepeerProvider,
  type IntelepeerConnection,
  type IntelepeerQuery,
} from '../../shared/providers/intelepeer.ts';
import { UserError } from '../app/user-error.ts';
import type { HeldLock } from '../http/tenant-lock.ts';
import { ExportError } from '../jobs/errors.ts';
import { InsightsApi, QueryLimitReached } from './intelepeer/api.ts';
import { authEndpoint, VENDOR } from './intelepeer/auth.ts';
import { readShards } from './intelepeer/download.ts';
import { NOT_FINISHED, resultPaths, UnsafePathError } from './intelepeer/result-paths.ts';
import { SftpFiles } from './intelepeer/sftp.ts';
import { acquireQuerySlot } from './intelepeer/slots.ts';
import type { ProviderRuntime, RunContext, TestContext } from './types.ts';

/** Between status checks of a running query. */
export const POLL_MS = 15_000;
/** After the vendor's 429, before the query asks for a slot again. */
export const REQUEUE_MS = 30_000;
const RUNNING = new Set(['pending', 'processing']);

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
    while (!guid) {
      slot = await takeSlot(waitIn);
      ctx.setState('submitting', 'Submitting the query');
      try {
        guid = await insights.submit(ctx.query, 'submitting the query');
      } catch (e) {
        if (!(e instanceof QueryLimitReached)) throw e;
        await slot.release();
        slot = undefined;
        waitIn = 'submitting';
        ctx.setState(
          'submitting',
          `waiting: IntelePeer says "${e.vendorText}"; the query is back in the queue and is sent again when a query ends`,
        );
        await ctx.clock.sleep(REQUEUE_MS, ctx.signal);
      }
    }
    ctx.setRemote({ jobId: guid, status: 'Pending' });
    await waitForQuery(ctx, insights, guid);
  } finally {
    await slot?.release();
  }
  const paths = await resultFiles(ctx, insights, guid);
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

async function waitForQuery(
  ctx: RunContext<IntelepeerConnection, IntelepeerQuery>,
  insights: InsightsApi,
  guid: string,
) {
  const step = 'waiting for the query';
  for (;;) {
    ctx.setState('waiting', `Query ${guid} is running at IntelePeer`);
    ctx.setRemote({ jobId: guid }, ctx.clock.now() + POLL_MS);
    await ctx.clock.sleep(POLL_MS, ctx.signal);
    const { status, messages } = await insights.status(guid, step);
    ctx.setRemote({ jobId: guid, status });
    const s = status.toLowerCase();
    if (s === 'completed') return;
    if (s === 'failed')
      throw new ExportError({
        vendor: VENDOR,
        step,
        message: `IntelePeer reports the query failed: ${messages.length ? messages.join('; ') : 'no reason given'}.`,
        hint: 'Add fields or narrow the time range as the message suggests, then run it again.',
      });
    if (s === 'canceled' || s === 'cancelled')
      throw new ExportError({
        vendor: VENDOR,
        step,
        message: 'IntelePeer canceled the query (a timeout or another error on its side).',
        hint: 'Run the export again, perhaps with a shorter time range.',
      });
    // Pending, Processing, or a status the docs do not list: the query is still running.
    if (!RUNNING.has(s))
      ctx.logger.info('IntelePeer sent a status not in its docs; still waiting', { status });
  }
}

async function resultFiles(
  ctx: RunContext<IntelepeerConnection, IntelepeerQuery>,
  insights: InsightsApi,
  guid: string,
): Promise<string[]> {
  const step = 'asking where the result files are';
  for (;;) {
    const text = await insights.result(guid, step);
    if (NOT_FINISHED.test(text)) {
      ctx.setState('waiting', 'IntelePeer is still writing the result files');
      ctx.setRemote({ jobId: guid }, ctx.clock.now() + POLL_MS);
      await ctx.clock.sleep(POLL_MS, ctx.signal);
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
