import { createStore } from 'zustand/vanilla';
import type { JobRecord } from '../../shared/jobs.ts';
import { errorMessage, type ExportDeskClient } from '../api/index.ts';

export interface JobsState {
  jobs: Record<string, JobRecord>;
  loaded: boolean;
  error: string | undefined;
  load(): Promise<void>;
  /**
   * Takes a record from a reply or a 'job.updated' event, and returns it; an older copy never replaces a
   * newer one.
   */
  apply(job: JobRecord): JobRecord;
  start(recipe: JobRecord['recipe']): Promise<JobRecord>;
  cancel(id: string): Promise<void>;
  retry(id: string): Promise<JobRecord>;
  remove(id: string): Promise<void>;
  /** Listens for live updates; returns the unsubscribe. */
  subscribe(): () => void;
}

/** Newest first: the export just started is on top. */
export function sortedJobs(jobs: Record<string, JobRecord>): JobRecord[] {
  return Object.values(jobs).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function createJobsStore(client: ExportDeskClient) {
  return createStore<JobsState>()((set, get) => ({
    jobs: {},
    loaded: false,
    error: undefined,
    async load() {
      try {
        for (const job of await client.call('jobs.list', {})) get().apply(job);
        set({ loaded: true, error: undefined });
      } catch (e) {
        set({ error: errorMessage(e), loaded: true });
      }
    },
    apply(job) {
      const known = get().jobs[job.id];
      if (!known || known.updatedAt <= job.updatedAt) set({ jobs: { ...get().jobs, [job.id]: job } });
      return job;
    },
    start: async (recipe) => get().apply(await client.call('exports.start', { recipe })),
    async cancel(id) {
      get().apply(await client.call('exports.cancel', { jobId: id }));
    },
    retry: async (id) => get().apply(await client.call('exports.retry', { jobId: id })),
    async remove(id) {
      await client.call('jobs.remove', { jobId: id });
      const { [id]: _removed, ...rest } = get().jobs;
      set({ jobs: rest });
    },
    subscribe() {
      return client.on('job.updated', (job) => get().apply(job));
    },
  }));
}
