import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ExportDeskClient } from '../api/index.ts';
import { createAppStore, type AppState } from './app-store.ts';
import { createBuilderStore, type BuilderState } from './builder-store.ts';
import { createConnectionsStore, type ConnectionsState } from './connections-store.ts';
import { createJobsStore, type JobsState } from './jobs-store.ts';
import { createPreviewStore, startLayout, type PreviewState } from './preview-store.ts';
import { createProfileStore, type ProfileState } from './profile-store.ts';
import { createSchedulesStore, type SchedulesState } from './schedules-store.ts';

export function createStores(client: ExportDeskClient) {
  const jobs = createJobsStore(client);
  return {
    client,
    app: createAppStore(client),
    connections: createConnectionsStore(client),
    jobs,
    builder: createBuilderStore(),
    preview: createPreviewStore(client, (id) => startLayout(jobs.getState().jobs[id])),
    profile: createProfileStore(client),
    schedules: createSchedulesStore(client),
  };
}
export type Stores = ReturnType<typeof createStores>;

const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores needs a StoresProvider above it.');
  return stores;
}

export const useApp = <T,>(select: (s: AppState) => T): T => useStore(useStores().app, select);
export const useConnections = <T,>(select: (s: ConnectionsState) => T): T =>
  useStore(useStores().connections, select);
export const useJobs = <T,>(select: (s: JobsState) => T): T => useStore(useStores().jobs, select);
export const useBuilder = <T,>(select: (s: BuilderState) => T): T => useStore(useStores().builder, select);
export const usePreview = <T,>(select: (s: PreviewState) => T): T => useStore(useStores().preview, select);
export const useProfile = <T,>(select: (s: ProfileState) => T): T => useStore(useStores().profile, select);
export const useSchedules = <T,>(select: (s: SchedulesState) => T): T =>
  useStore(useStores().schedules, select);
