import {
  myreportsProvider,
  type MyreportsConnection,
  type MyreportsQuery,
} from '../../shared/providers/myreports.ts';
import { ExportError } from '../jobs/errors.ts';
import { UserError } from '../app/user-error.ts';
import { MyreportsApi, type ApiContext } from './myreports/api.ts';
import { VENDOR } from './myreports/endpoints.ts';
import { RESULTS_STEP, spoolResults } from './myreports/results.ts';
import { startSignIn } from './myreports/sign-in.ts';
import type { ProviderRuntime, RunContext, TestContext } from './types.ts';

/** Statuses that mean "keep waiting". Only "Complete" is documented; anything unknown fails loudly. */
const WAITING = new Set([
  'pending',
  'queued',
  'processing',
  'running',
  'inprogress',
  'started',
  'created',
  'new',
]);
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
  for (let poll = 0; ; poll++) {
    ctx.setState('waiting', 'Waiting for Xarios to run the report');
    const status = await client.status(query, requestId, 'checking the report');
    ctx.setRemote({ jobId: requestId, status: status.status });
    const s = status.status.toLowerCase().replace(/[\s_-]/g, '');
    if (s === 'complete' || s === 'completed') break;
    if (FAILED.has(s))
      throw new ExportError({
        vendor: VENDOR,
        step: 'waiting for the report',
        message: `Xarios says the report did not run: ${status.statusMessage ?? status.status}.`,
        hint: 'Check the report, dates and filter, then retry.',
      });
    if (!WAITING.has(s))
      throw new ExportError({
        vendor: VENDOR,
        step: 'waiting for the report',
        message: `Xarios answered with a report status Export Desk does not know: "${status.status}".`,
        hint: 'Report this to the Export Desk team with the time of the export.',
      });
    const wait = POLL_MS[Math.min(poll, POLL_MS.length - 1)] as number;
    ctx.setRemote({ jobId: requestId }, ctx.clock.now() + wait);
    await ctx.clock.sleep(wait, ctx.signal);
  }
  ctx.setState('downloading', 'Downloading the report’s rows');
  await downloadResults(ctx, client, requestId);
}

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
