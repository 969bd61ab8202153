import { createStore } from 'zustand/vanilla';
import { NO_FILTER, type JobFilter } from '../../shared/job-search.ts';
import type { JobRecord } from '../../shared/jobs.ts';
import { errorMessage, type ExportDeskClient } from '../api/index.ts';

export interface JobsState {
  jobs: Record<string, JobRecord>;
  loaded: boolean;
  error: string | undefined;
  /** The Exports list's search and filters: kept here, so Back from an export returns to the same list. */
  filter: JobFilter;
  /** How many of the matching exports the list shows (it grows by a page at a time). */
  shown: number;
  setFilter(patch: Partial<JobFilter>): void;
  clearFilter(): void;
  showMore(): void;
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

/** Rows the Exports list adds at a time: a table of thousands would be slow to draw and to read. */
export const LIST_PAGE = 100;

export function createJobsStore(client: ExportDeskClient) {
  return createStore<JobsState>()((set, get) => ({
    jobs: {},
    loaded: false,
    error: undefined,
    filter: NO_FILTER,
    shown: LIST_PAGE,
    setFilter(patch) {
      set({ filter: { ...get().filter, ...patch }, shown: LIST_PAGE });
    },
    clearFilter() {
      set({ filter: NO_FILTER, shown: LIST_PAGE });
    },
    showMore() {
      set({ shown: get().shown + LIST_PAGE });
    },
    async load() {
      try {
        // One change for the whole list: thousands of exports in one copy, not one copy each.
        const jobs = { ...get().jobs };
        for (const job of await client.call('jobs.list', {})) {
          const known = jobs[job.id];
          if (!known || known.updatedAt <= job.updatedAt) jobs[job.id] = job;
        }
        set({ jobs, loaded: true, error: undefined });
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
