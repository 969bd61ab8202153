import { useCallback, useEffect, useState } from 'react';
import type { LookupItem } from '../../../shared/api.ts';
import { errorMessage } from '../../api/index.ts';
import { useStores } from '../../stores/context.tsx';

export interface LookupState {
  items: LookupItem[];
  loading: boolean;
  error?: string;
  /** Names of `dependsOn` fields still empty: the lookup waits for them. */
  waitingFor: string[];
  /** Which inputs (connection, list, params) the lookup is for now, and which `items`/`error` answer. */
  key: string;
  loadedFor?: string;
  reload(): void;
}

/**
 * Fetches a vendor list (users, workspaces ...) through the connection, again whenever a field it depends
 * on changes. An answer that arrives after the inputs changed is dropped.
 */
export function useLookup(
  connectionId: string | undefined,
  name: string | undefined,
  params: Record<string, string | undefined>,
): LookupState {
  const { client } = useStores();
  const [state, setState] = useState<Omit<LookupState, 'reload' | 'waitingFor' | 'key'>>({
    items: [],
    loading: false,
  });
  const [generation, setGeneration] = useState(0);
  const waitingFor = Object.entries(params)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  const key = JSON.stringify([connectionId, name, params]);

  useEffect(() => {
    if (!connectionId || !name || waitingFor.length > 0) {
      setState({ items: [], loading: false, loadedFor: key });
      return;
    }
    let current = true;
    setState((s) => ({ items: s.items, loading: true }));
    const sent = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
    client
      .call('connections.lookup', { id: connectionId, name, params: sent })
      .then((r) => current && setState({ items: r.items, loading: false, loadedFor: key }))
      .catch(
        (e: unknown) =>
          current && setState({ items: [], loading: false, error: errorMessage(e), loadedFor: key }),
      );
    return () => {
      current = false;
    };
    // `key` stands for connectionId, name and params.
  }, [key, generation, client]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, waitingFor, key, reload };
}
