import {
  myreportsProvider,
  type MyreportsConnection,
  type MyreportsQuery,
} from '../../shared/providers/myreports.ts';
import { ExportError } from '../jobs/errors.ts';
import { UserError } from '../base/user-error.ts';
import { MyreportsApi, type ApiContext } from './myreports/api.ts';
import { VENDOR } from './myreports/endpoints.ts';
import { RESULTS_STEP, spoolResults } from './myreports/results.ts';
import { startSignIn } from './myreports/sign-in.ts';
import type { ProviderRuntime, RunContext, TestContext } from '../jobs/provider.ts';

/**
 * The docs name one status, the finished one: "Complete" from the status call, 1 (with "Report processing
 * complete") in the results document. Any other status means the report still runs, until the
 * connection's deadline, but for the words in FAILED, which can only mean it never will.
 */
const COMPLETE = new Set(['complete', 'completed']);
const FAILED = new Set(['failed', 'error', 'cancelled', 'canceled', 'aborted']);
/** Poll gently: quickly at first (small reports finish in seconds), then every 15 s. */
const POLL_MS = [2_000, 3_000, 5_000, 10_000, 15_000];

function api(
  ctx: TestContext<MyreportsConnection> | RunContext<MyreportsConnection, MyreportsQuery>,
  quick = false,
) {
  const c: ApiContext = {
    http: ctx.http,
    clock: ctx.clock,
    signal: ctx.signal,
    connection: ctx.connection,
    clientSecret: ctx.secrets.clientSecret ?? '',
    refreshToken: ctx.secrets.refreshToken,
    saveSecret: (f, v) => ctx.saveSecret(f, v),
    readSecret: (f) => ctx.readSecret(f),
    ...(quick ? { policy: { maxAttempts: 2, budgetMs: 15_000 } } : {}),
  };
  return new MyreportsApi(c);
}

export const myreportsRuntime: ProviderRuntime<MyreportsConnection, MyreportsQuery> = {
  definition: myreportsProvider,

  resolveQuery(query) {
    // Presets stay presets: the vendor resolves them in the tenant's time zone when the report runs.
    return query;
  },

  rangeEnd(query) {
    const end = 'end' in query.dateFilter ? query.dateFilter.end : undefined;
    return end ? new Date(end).toISOString() : undefined;
  },

  resumable: true,

  async testConnection(ctx) {
    const list = await api(ctx, true).workspaces('testing the connection');
    return `Signed in to Xarios: ${list.length} workspace${list.length === 1 ? '' : 's'} (${list
      .slice(0, 3)
      .map((w) => w.name)
      .join(', ')}${list.length > 3 ? ', …' : ''}).`;
  },

  async lookup(name, params, ctx) {
    if (name === 'workspaces') {
      const list = await api(ctx, true).workspaces();
      return list.map((w) => ({ value: w.id, label: w.name, ...(w.default ? { detail: 'default' } : {}) }));
    }
    if (name === 'reports') {
      if (!params.workspaceId) throw new UserError('Choose a workspace first.');
      const list = await api(ctx, true).reports(params.workspaceId);
      return list.map((r) => ({ value: r.id, label: r.name }));
    }
    throw new UserError(`Xarios connections offer no list named "${name}" (try workspaces or reports).`);
  },

  signIn(ctx) {
    return startSignIn(ctx);
  },

  async run(ctx) {
    await runReport(ctx);
  },
};

async function runReport(ctx: RunContext<MyreportsConnection, MyreportsQuery>): Promise<void> {
  const { query } = ctx;
  const client = api(ctx);
  let requestId = ctx.resume?.jobId;
  if (!requestId) {
    ctx.setState('submitting', 'Requesting the report');
    requestId = await client.createRequest(query, 'requesting the report');
  }
  ctx.setRemote({ jobId: requestId, status: 'Submitted' });
  const started = ctx.clock.now();
  const deadline = started + ctx.connection.pollDeadlineMinutes * 60_000;
  ctx.setState('waiting', 'Waiting for Xarios to run the report');
  for (let poll = 0; ; poll++) {
    const status = await client.status(query, requestId, 'checking the report');
    const raw = String(status.status);
    ctx.setRemote({ jobId: requestId, status: raw });
    const s = raw.toLowerCase().replace(/[\s_-]/g, '');
    if (status.status === 1 || COMPLETE.has(s)) break;
    if (FAILED.has(s))
      throw new ExportError({
        vendor: VENDOR,
        step: 'waiting for the report',
        message: `Xarios says the report did not run: ${status.statusMessage ?? raw}.`,
        hint: 'Check the report, dates and filter, then retry.',
      });
    ctx.setState('waiting', `Waiting for Xarios to run the report (status "${raw}")`);
    const wait = Math.min(POLL_MS[Math.min(poll, POLL_MS.length - 1)] as number, deadline - ctx.clock.now());
    if (wait <= 0)
      throw new ExportError({
        vendor: VENDOR,
        step: 'waiting for the report',
        message: `Xarios had not finished the report after ${minutes(ctx.clock.now() - started)}; its last status was "${raw}".`,
        hint: 'Retry later or narrow the dates; to wait longer, raise "Stop waiting for a report after (minutes)" on the connection.',
      });
    ctx.setRemote({ jobId: requestId }, ctx.clock.now() + wait);
    await ctx.clock.sleep(wait, ctx.signal);
  }
  ctx.setState('downloading', 'Downloading the report’s rows');
  await downloadResults(ctx, client, requestId);
}

const minutes = (ms: number): string => {
  const m = Math.round(ms / 60_000);
  return `${m} minute${m === 1 ? '' : 's'}`;
};

/** Whole downloads of the results: an answer damaged on the way is asked for again, from its first row. */
const RESULT_ATTEMPTS = 3;

/**
 * Reads the finished report's results into the spool. The results of a complete request can be fetched
 * again, so when the answer breaks off or arrives malformed halfway through its rows, the rows taken so
 * far are dropped and the whole answer is read again; a failing spool (a full disk) is not retried.
 */
async function downloadResults(
  ctx: RunContext<MyreportsConnection, MyreportsQuery>,
  client: MyreportsApi,
  requestId: string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const body = await client.openData(ctx.query, requestId, 'downloading the results');
    let spoolFailed = false;
    const append = (rows: Parameters<typeof ctx.append>[0]): Promise<void> =>
      ctx.append(rows).catch((e: unknown) => {
        spoolFailed = true;
        throw e;
      });
    try {
      await spoolResults(body, { ...ctx, append });
      return;
    } catch (e) {
      body.destroy();
      const damaged = e instanceof ExportError && e.step === RESULTS_STEP && !spoolFailed;
      if (ctx.signal.aborted || !damaged || attempt >= RESULT_ATTEMPTS) throw e;
      ctx.logger.warn('the results arrived damaged; reading them again', { attempt, error: e.message });
      ctx.setState('downloading', 'The rows arrived damaged; downloading them again');
      await ctx.discardRows();
    }
  }
}
