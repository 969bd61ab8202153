import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { isFiltered, STATE_FILTERS, type StateFilter } from '../../../shared/job-search.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import { PROVIDERS } from '../../../shared/providers/index.ts';
import { useJobs, useStores } from '../../stores/context.tsx';

const STATE_LABELS: Record<StateFilter, string> = {
  running: 'Running',
  ready: 'Ready to save',
  saved: 'Saved',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The Exports list's search box and filters; each change applies at once and is kept in the jobs store. */
export function JobFilters({ jobs }: { jobs: readonly JobRecord[] }) {
  const stores = useStores();
  const filter = useJobs((s) => s.filter);
  const set = stores.jobs.getState().setFilter;
  // The connections exports were made with, deleted ones included: history outlives a connection.
  const connections = useMemo(
    () => [...new Set(jobs.map((j) => j.recipe.connection))].sort((a, b) => a.localeCompare(b)),
    [jobs],
  );
  const vendors = PROVIDERS.filter((p) => jobs.some((j) => j.recipe.provider === p.id));
  return (
    <Group gap="sm" align="end" role="search" aria-label="Find exports" data-testid="job-filters">
      <TextInput
        label="Search"
        placeholder="Name, title, vendor or connection"
        value={filter.text}
        onChange={(e) => set({ text: e.currentTarget.value })}
        data-testid="job-filter-text"
        type="search"
        style={{ flex: '1 1 14rem' }}
      />
      <NativeSelect
        label="Vendor"
        value={filter.provider}
        onChange={(e) => set({ provider: e.currentTarget.value })}
        data={[{ value: '', label: 'All vendors' }, ...vendors.map((p) => ({ value: p.id, label: p.name }))]}
        data-testid="job-filter-vendor"
      />
      <NativeSelect
        label="Connection"
        value={filter.connection}
        onChange={(e) => set({ connection: e.currentTarget.value })}
        data={[{ value: '', label: 'All connections' }, ...connections]}
        data-testid="job-filter-connection"
      />
      <NativeSelect
        label="State"
        value={filter.state}
        onChange={(e) => set({ state: e.currentTarget.value as StateFilter | '' })}
        data={[
          { value: '', label: 'Any state' },
          ...STATE_FILTERS.map((s) => ({ value: s, label: STATE_LABELS[s] })),
        ]}
        data-testid="job-filter-state"
      />
      <TextInput
        type="date"
        label="Created from"
        value={filter.from}
        onChange={(e) => set({ from: e.currentTarget.value })}
        data-testid="job-filter-from"
      />
      <TextInput
        type="date"
        label="Created to"
        value={filter.to}
        onChange={(e) => set({ to: e.currentTarget.value })}
        data-testid="job-filter-to"
      />
      {isFiltered(filter) && (
        <Button variant="subtle" onClick={() => stores.jobs.getState().clearFilter()}>
          Clear filters
        </Button>
      )}
    </Group>
  );
}
