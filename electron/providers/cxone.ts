import { cxoneProvider, type CxoneConnection, type CxoneQuery } from '../../shared/providers/cxone.ts';
import { cxoneApi } from './cxone/api.ts';
import { cxoneJobs } from './cxone/job-repository.ts';
import { cxoneLookup } from './cxone/jobs-view.ts';
import { addDays } from '../../shared/providers/cxone-windows.ts';
import type { ProviderRuntime } from '../jobs/provider.ts';

export const cxoneRuntime: ProviderRuntime<CxoneConnection, CxoneQuery> = {
  definition: cxoneProvider,

  resolveQuery: (query) => query,

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
