import { createStore } from 'zustand/vanilla';
import type { SpoolProfile } from '../../shared/profile.ts';
import { errorMessage, type ExportDeskClient } from '../api/index.ts';

export interface ProfileState {
  jobId: string | undefined;
  /** The profile as last published with the export's rows; undefined before it came (or where none was kept). */
  profile: SpoolProfile | undefined;
  error: string | undefined;
  /** The date column the user picked for the rows over time; undefined: the first one. */
  dateColumn: string | undefined;
  /** Asks for the export's profile again (new rows arrived, or another export is shown). */
  load(jobId: string): void;
  pickDateColumn(column: string): void;
}

/** How long to wait before asking again for a profile still being made (see SpoolProfile.profiling). */
export const PROFILING_POLL_MS = 1000;

export interface ProfileStoreOptions {
  /** Runs `fn` after `ms` (tests run it when they choose). */
  later?(fn: () => void, ms: number): void;
}

/**
 * The shape of the data of the export on show (shared/profile.ts), following its rows while it runs, and
 * asking again while the profile of a vendor's CSV is still being made after the export finished.
 */
export function createProfileStore(client: ExportDeskClient, options: ProfileStoreOptions = {}) {
  const later = options.later ?? ((fn: () => void, ms: number) => void setTimeout(fn, ms));
  /** Answers to an older request (or for another export) are dropped. */
  let asked = 0;
  return createStore<ProfileState>()((set, get) => ({
    jobId: undefined,
    profile: undefined,
    error: undefined,
    dateColumn: undefined,
    load(jobId) {
      if (get().jobId !== jobId) set({ jobId, profile: undefined, error: undefined, dateColumn: undefined });
      const mine = ++asked;
      client.call('preview.profile', { jobId }).then(
        (profile) => {
          if (mine !== asked) return;
          set({ profile: profile ?? undefined, error: undefined });
          // Asked again unless another request (new rows, another export) came first.
          if (profile?.profiling) later(() => mine === asked && get().load(jobId), PROFILING_POLL_MS);
        },
        (e: unknown) => {
          if (mine === asked) set({ error: errorMessage(e) });
        },
      );
    },
    pickDateColumn(column) {
      set({ dateColumn: column });
    },
  }));
}
