import { useCallback, useEffect, useState } from 'react';
import type { LookupItem } from '../../../shared/api.ts';
import { errorMessage } from '../../api/index.ts';
import { useStores } from '../../stores/context.tsx';

export interface TenantJobsState {
  items: LookupItem[] | undefined;
  loading: boolean;
  error?: string;
  /** While the list waits for the tenant's next free call: when that is, on this window's clock. */
  callAt?: number;
  reload(): void;
}

/**
 * The vendor's jobs of one connection's tenant. The list is a rate-limited call, so first ask how long
 * the tenant's gate holds the next call (a free question) to show a countdown, then ask for the list.
 */
export function useTenantJobs(connectionId: string): TenantJobsState {
  const { client } = useStores();
  const [state, setState] = useState<Omit<TenantJobsState, 'reload'>>({ items: undefined, loading: true });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    setState((s) => ({ items: s.items, loading: true }));
    void (async () => {
      try {
        const next = await client.call('connections.lookup', {
          id: connectionId,
          name: 'next-call',
          params: {},
        });
        const waitMs = Number(next.items[0]?.facts?.waitMs ?? 0);
        if (live && waitMs > 0) setState((s) => ({ ...s, callAt: Date.now() + waitMs }));
        const jobs = await client.call('connections.lookup', { id: connectionId, name: 'jobs', params: {} });
        if (live) setState({ items: jobs.items, loading: false });
      } catch (e) {
        if (live) setState((s) => ({ items: s.items, loading: false, error: errorMessage(e) }));
      }
    })();
    return () => {
      live = false;
    };
  }, [connectionId, generation, client]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
