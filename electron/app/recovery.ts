import { isTerminal, type JobRecord } from '../../shared/jobs.ts';
import { findProvider } from '../../shared/providers/index.ts';
import { runningElsewhere } from '../base/liveness.ts';
import { cleanAbandonedSave } from '../export/save-journal.ts';
import type { JobStore } from '../jobs/store.ts';
import { providerRuntime } from '../providers/index.ts';
import type { AppService } from './service.ts';

const INTERRUPTED = 'Interrupted: Export Desk closed while this export was running.';

/**
 * A job left running by a process that is gone (crash, kill): one whose remote work is known goes on
 * (in the app, which stays open to finish it; a CLI command leaves it for the app), any other is marked
 * failed with a way forward.
 */
export async function recoverInterrupted(
  app: Pick<AppService, 'jobs' | 'runner' | 'logger'>,
  /** Go on with the exports whose remote jobs are known (the window and browser mode, not the CLI). */
  resume: boolean,
): Promise<void> {
  const { jobs, runner } = app;
  for (const job of await jobs.list()) {
    for (const file of await cleanAbandonedSave(jobs.jobDir(job.id)))
      app.logger().warn('removed the temporary file of a save that was interrupted', { file });
    if (await runningElsewhere(jobs.jobDir(job.id))) continue;
    // What a dead process was downloading; a resumed export fetches it again.
    await jobs.clearWork(job.id).catch(() => undefined);
    if (isTerminal(job.state)) continue;
    if (providerRuntime(job.recipe.provider)?.resumable && job.remote.jobId) {
      if (resume) {
        await runner.resume(job).catch(async (e: unknown) => {
          app.logger().error('could not resume an interrupted export', { job: job.id, error: String(e) });
          await markInterrupted(jobs, job);
        });
      }
      continue;
    }
    await markInterrupted(jobs, job);
  }
}

async function markInterrupted(jobs: JobStore, job: JobRecord): Promise<void> {
  await jobs.save({
    ...job,
    state: 'failed',
    message: INTERRUPTED,
    error: {
      vendor: findProvider(job.recipe.provider)?.name ?? job.recipe.provider,
      step: job.state,
      message: INTERRUPTED,
      hint: 'Retry the export.',
    },
    finishedAt: job.updatedAt,
  });
}
