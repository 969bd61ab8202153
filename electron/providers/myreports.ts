import {
  myreportsProvider,
  type MyreportsConnection,
  type MyreportsQuery,
} from '../../shared/providers/myreports.ts';
import { runAsyncJobs, type AsyncJobRepository } from '../jobs/async-job.ts';
import { ExportError } from '../jobs/errors.ts';
import { UserError } from '../base/user-error.ts';
import { MyreportsApi } from './myreports/api.ts';
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

const api = (ctx: TestContext<MyreportsConnection>, quick = false): MyreportsApi =>
  new MyreportsApi(ctx, quick ? { maxAttempts: 2, budgetMs: 15_000 } : undefined);

export const myreportsRuntime: ProviderRuntime<MyreportsConnection, MyreportsQuery> = {
  definition: myreportsProvider,

  // Presets stay presets: the vendor resolves them in the tenant's time zone when the report runs.
  resolveQuery: (query) => query,

  rangeEnd(query) {
    const end = 'end' in query.dateFilter ? query.dateFilter.end : undefined;
    return end ? new Date(end).toISOString() : undefined;
  },

  resumable: true,

  async testConnection(ctx) {
    const list = await api(ctx, true).workspaces('testing the connection');
    const names = list.slice(0, 3).map((w) => w.name);
    return `Signed in to Xarios: ${list.length} workspace${list.length === 1 ? '' : 's'} (${names.join(', ')}${list.length > 3 ? ', …' : ''}).`;
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

  signIn: startSignIn,

  run: runReport,
};

/**
 * The report as one async job: request it, poll its status until Complete, then stream the results into
 * the spool. The results of a complete request can be fetched again, so an answer that breaks off or
 * arrives malformed halfway through its rows is read again whole; a failing spool (a full disk) is not.
 */
function runReport(ctx: RunContext<MyreportsConnection, MyreportsQuery>): Promise<void> {
  const { query } = ctx;
  const client = api(ctx);
  let spoolFailed = false;
  const repo: AsyncJobRepository<true> = {
    vendor: VENDOR,
    describe: () => 'the report',
    pollMs: POLL_MS,
    deadlineMs: ctx.connection.pollDeadlineMinutes * 60_000,
    start: () => client.createRequest(query, 'requesting the report'),
    async status(requestId) {
      const { status, statusMessage } = await client.status(query, requestId, 'checking the report');
      const raw = String(status);
      const s = raw.toLowerCase().replace(/[\s_-]/g, '');
      if (status === 1 || COMPLETE.has(s)) return { state: 'done', raw, result: true };
      if (FAILED.has(s))
        return {
          state: 'failed',
          raw,
          reason: `Xarios says the report did not run: ${statusMessage ?? raw}.`,
          hint: 'Check the report, dates and filter, then retry.',
        };
      return { state: 'running', raw };
    },
    async fetch(requestId) {
      const body = await client.openData(query, requestId, 'downloading the results');
      spoolFailed = false;
      const append = (rows: Parameters<typeof ctx.append>[0]): Promise<void> =>
        ctx.append(rows).catch((e: unknown) => {
          spoolFailed = true;
          throw e;
        });
      await spoolResults(body, { ...ctx, append }).catch((e: unknown) => {
        body.destroy();
        throw e;
      });
    },
    damaged: (e) => e instanceof ExportError && e.step === RESULTS_STEP && !spoolFailed,
    waiting: (_label, _id, raw) => `Waiting for Xarios to run the report${raw ? ` (status "${raw}")` : ''}`,
    deadline: (_label, _id, raw, waited) =>
      new ExportError({
        vendor: VENDOR,
        step: 'waiting for the report',
        message: `Xarios had not finished the report after ${minutes(waited)}; its last status was "${raw}".`,
        hint: 'Retry later or narrow the dates; to wait longer, raise "Stop waiting for a report after (minutes)" on the connection.',
      }),
  };
  return runAsyncJobs(ctx, repo, { parts: [{ from: '', to: '' }], recordParts: false });
}

const minutes = (ms: number): string => {
  const m = Math.round(ms / 60_000);
  return `${m} minute${m === 1 ? '' : 's'}`;
};
