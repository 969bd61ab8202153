import { cxoneProvider, type CxoneConnection, type CxoneQuery } from '../../shared/providers/cxone.ts';
import { cxoneApi } from './cxone/api.ts';
import { cxoneJobs } from './cxone/job-repository.ts';
import { cxoneLookup } from './cxone/jobs-view.ts';
import { addDays } from '../../shared/providers/cxone-windows.ts';
import { resolveRelativeDays } from '../../shared/dates.ts';
import { UserError } from '../base/user-error.ts';
import type { ProviderRuntime } from '../jobs/provider.ts';

export const cxoneRuntime: ProviderRuntime<CxoneConnection, CxoneQuery> = {
  definition: cxoneProvider,

  /**
   * A period becomes the UTC days it stands for when the export starts (resolveRelativeDays: since-last-run
   * takes the whole days after the last run's last day, up to yesterday). The end day is written the way the
   * query says the tenant reads it.
   */
  resolveQuery(query, ctx) {
    const { period, ...rest } = query;
    if (period === undefined || query.remoteJobId !== undefined) return query;
    const days = resolveRelativeDays(period, ctx.nowMs, ctx.lastRunUntil);
    if (!days) {
      const yesterday = new Date(ctx.nowMs - 86_400_000).toISOString().slice(0, 10);
      throw new UserError(
        `Nothing new to extract since the last run: it covered the UTC days up to ${yesterday}, and today is not over yet. Run the recipe again tomorrow.`,
      );
    }
    const exclusive = query.endDateMeaning === 'exclusive';
    return {
      ...rest,
      startDate: days.startDate,
      endDate: exclusive ? addDays(days.endDate, 1) : days.endDate,
    };
  },

  resumable: true,
  // Data Extraction v1 has no call to cancel or delete a job (only GET /jobs, POST /jobs, GET /jobs/{id}).
  afterCancel: (ids) =>
    `CXone has no call to stop an extraction job, so job ${ids.join(', ')} runs on to its end there; its file can be fetched later from "Jobs on this tenant" (CXone keeps a job 24 hours).`,

  rangeEnd(query) {
    // Fetching one remote job's file says nothing about what a scheduled recipe has covered.
    if (query.remoteJobId || !query.endDate) return undefined;
    const last = query.endDateMeaning === 'exclusive' ? addDays(query.endDate, -1) : query.endDate;
    return `${last}T23:59:59.999Z`;
  },

  async testConnection(ctx) {
    const jobs = await cxoneApi(ctx, 'testing the connection').list('testing the connection');
    return `Signed in to NICE CXone: ${jobs.length} extraction job${jobs.length === 1 ? '' : 's'} on this tenant.`;
  },

  lookup: async (name, params, ctx) =>
    cxoneLookup(name, params, () => cxoneApi(ctx, `listing ${name}`), ctx.clock, ctx.dataDir),

  run: async (ctx) => cxoneJobs(ctx, (watch) => cxoneApi(ctx, 'signing in', watch)),
};
