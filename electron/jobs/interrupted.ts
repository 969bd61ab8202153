/**
 * A process killed while a vendor prepared its data leaves the job's record with the remote job's id. The
 * window goes on with such jobs when it opens; a new run of the same export (the command run again after a
 * crash) goes on with it too, rather than submitting the same work to the vendor a second time and leaving
 * the earlier record waiting forever.
 */
import { isTerminal, type JobRecord } from '../../shared/jobs.ts';
import { runningElsewhere } from '../base/liveness.ts';
import type { JobStore } from './store.ts';

/**
 * The newest interrupted run of the same export whose remote job can be polled again (for a provider whose
 * runs are `resumable`): not finished, not running in this process (`active`) nor in another live one.
 * Undefined when there is none. The same export is the same connection, provider and query as it was resolved.
 */
export async function findInterruptedRun(
  store: JobStore,
  key: Pick<JobRecord, 'connectionId' | 'recipe' | 'resolvedQuery'>,
  active: ReadonlyMap<string, unknown>,
): Promise<JobRecord | undefined> {
  const query = JSON.stringify(key.resolvedQuery);
  for (const job of await store.list()) {
    if (isTerminal(job.state) || !job.remote.jobId || active.has(job.id)) continue;
    if (job.connectionId !== key.connectionId || job.recipe.provider !== key.recipe.provider) continue;
    if (JSON.stringify(job.resolvedQuery ?? job.recipe.query) !== query) continue;
    if (await runningElsewhere(store.jobDir(job.id))) continue;
    return job;
  }
  return undefined;
}
