/**
 * "Jobs on this tenant": the vendor's job list (GET /jobs, a Data Extraction call like any other, so it
 * waits its turn at the tenant's gate) with what Export Desk noted when it submitted each job.
 */
import type { LookupItem } from '../../../shared/api.ts';
import { CXONE_ENTITIES } from '../../../shared/providers/cxone.ts';
import { UserError } from '../../base/user-error.ts';
import type { Clock } from '../../base/clock.ts';
import type { CxoneApi } from './api.ts';
import { recallJob } from './ledger.ts';

/**
 * The lists `lookup` offers: the tenant's jobs, when the tenant's next call may go out, and the versions
 * known for an entity (the last needs no call to the vendor).
 */
export const CXONE_LOOKUPS = ['jobs', 'next-call', 'versions'] as const;

export async function cxoneLookup(
  name: string,
  params: Readonly<Record<string, string>>,
  api: () => CxoneApi,
  clock: Clock,
  dataDir: string,
): Promise<LookupItem[]> {
  switch (name) {
    case 'jobs':
      return tenantJobs(api(), dataDir);
    case 'next-call':
      return [await nextCall(api(), clock)];
    case 'versions': {
      const entity = CXONE_ENTITIES.find((e) => e.entityName === params.entityName);
      return (entity?.versions ?? []).map((v: string) => ({ value: v, label: v }));
    }
    default:
      throw new UserError(`NICE CXone offers the lists ${CXONE_LOOKUPS.join(', ')}, not "${name}".`);
  }
}

async function tenantJobs(api: CxoneApi, dataDir: string): Promise<LookupItem[]> {
  const jobs = await api.list('listing the jobs on this tenant');
  const items = await Promise.all(
    jobs.map(async (job) => {
      const note = await recallJob(dataDir, job.id);
      const item: LookupItem = {
        value: job.id,
        label: note ? `${note.entityName} v${note.version}, ${note.startDate} to ${note.endDate}` : job.id,
        detail: note ? job.status : `${job.status} · submitted outside Export Desk`,
        facts: {
          status: job.status,
          entityName: note?.entityName ?? null,
          version: note?.version ?? null,
          startDate: note?.startDate ?? null,
          endDate: note?.endDate ?? null,
          createdAt: note ? new Date(note.createdAt).toISOString() : null,
        },
      };
      return { item, createdAt: note?.createdAt ?? -Infinity };
    }),
  );
  // Newest first; jobs Export Desk did not submit (no time known) after them, in the vendor's order.
  return items.sort((a, b) => b.createdAt - a.createdAt || 0).map((x) => x.item);
}

async function nextCall(api: CxoneApi, clock: Clock): Promise<LookupItem> {
  const at = await api.nextCallAt();
  const waitMs = Math.max(0, at - clock.now());
  return {
    value: 'next-call',
    label: waitMs > 0 ? `Next call in ${Math.ceil(waitMs / 1000)} s` : 'A call may go out now',
    // waitMs lets a window count down on its own clock, whatever the app's clock says.
    facts: { nextCallAt: new Date(at).toISOString(), waitMs },
  };
}
