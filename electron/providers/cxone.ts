import { cxoneProvider, type CxoneConnection, type CxoneQuery } from '../../shared/providers/cxone.ts';
import { ExportError } from '../jobs/errors.ts';
import { cxoneApi, VENDOR, type CxoneApi } from './cxone/api.ts';
import { cxoneJobs } from './cxone/job-repository.ts';
import { cxoneLookup } from './cxone/jobs-view.ts';
import { addDays } from './cxone/windows.ts';
import type { ProviderRuntime, TestContext } from '../jobs/provider.ts';

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
    await cxoneJobs(ctx, cxoneApi(ctx, ctx.secrets.accessKeySecret ?? ''));
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
  return cxoneApi(ctx, secret);
}
