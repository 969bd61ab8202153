import { createStore } from 'zustand/vanilla';
import type { Connection, RequestInput, SaveConnectionInput } from '../../shared/api.ts';
import { errorMessage, type ExportDeskClient } from '../api/index.ts';

export interface TestResult {
  pending: boolean;
  ok?: boolean;
  message?: string;
  /** When the answer came (ms since the epoch), shown beside it. */
  at?: number;
}

export interface SignInState extends TestResult {
  /** The vendor's page, once the main process listens for its answer (a link for the user). */
  url?: string;
}

export interface ConnectionsState {
  connections: Connection[];
  loaded: boolean;
  error: string | undefined;
  /**
   * The last test and the last sign-in of each connection. Only the newer of the two is kept once it has
   * its answer: a sign-in makes an older "not signed in" test result stale, and a test an older sign-in's.
   */
  tests: Record<string, TestResult>;
  signIns: Record<string, SignInState>;
  load(): Promise<void>;
  /** Saves settings, then any secrets typed in the same form. Throws with a user-facing message. */
  save(input: SaveConnectionInput, secrets?: Record<string, string>): Promise<Connection>;
  remove(id: string): Promise<void>;
  setSecret(id: string, field: string, value: string): Promise<void>;
  deleteSecret(id: string, field: string): Promise<void>;
  test(id: string): Promise<void>;
  /** Tests what a new connection's form holds, before it is saved. Never throws. */
  testDraft(input: RequestInput<'connections.testDraft'>): Promise<{ ok: boolean; message: string }>;
  /**
   * A browser sign-in: the main process listens for the vendor's redirect and opens the page where it can
   * (desktop); `openPage` is told the page and whether it was opened already, or undefined when the
   * sign-in could not start. Never throws.
   */
  signIn(id: string, openPage: (url: string | undefined, opened: boolean) => void): Promise<void>;
}

export function createConnectionsStore(client: ExportDeskClient) {
  return createStore<ConnectionsState>()((set, get) => {
    const put = (c: Connection) => {
      const list = get().connections;
      const known = list.some((x) => x.id === c.id);
      set({ connections: known ? list.map((x) => (x.id === c.id ? c : x)) : [...list, c] });
    };
    return {
      connections: [],
      loaded: false,
      error: undefined,
      tests: {},
      signIns: {},
      async load() {
        try {
          set({ connections: await client.call('connections.list', {}), loaded: true, error: undefined });
        } catch (e) {
          set({ error: errorMessage(e), loaded: true });
        }
      },
      async save(input, secrets = {}) {
        let saved = await client.call('connections.save', input);
        put(saved);
        for (const [field, value] of Object.entries(secrets)) {
          if (value === '') continue;
          saved = await client.call('connections.setSecret', { id: saved.id, field, value });
          put(saved);
        }
        return saved;
      },
      async remove(id) {
        await client.call('connections.remove', { id });
        set({ connections: get().connections.filter((c) => c.id !== id) });
      },
      async setSecret(id, field, value) {
        put(await client.call('connections.setSecret', { id, field, value }));
      },
      async deleteSecret(id, field) {
        put(await client.call('connections.deleteSecret', { id, field }));
      },
      async test(id) {
        set({ tests: { ...get().tests, [id]: { pending: true } } });
        const result = await client.call('connections.test', { id }).then(
          (r) => ({ ok: r.ok, message: r.message }),
          (e: unknown) => ({ ok: false, message: errorMessage(e) }),
        );
        const { [id]: signIn, ...otherSignIns } = get().signIns;
        set({
          tests: { ...get().tests, [id]: { pending: false, ...result, at: Date.now() } },
          // A sign-in still waiting for the vendor's page stays; one that ended is older than this answer.
          ...(signIn && !signIn.pending ? { signIns: otherSignIns } : {}),
        });
      },
      testDraft(input) {
        return client.call('connections.testDraft', input).then(
          (r) => r,
          (e: unknown) => ({ ok: false, message: errorMessage(e) }),
        );
      },
      async signIn(id, openPage) {
        const state = (s: SignInState) => {
          if (s.pending) {
            set({ signIns: { ...get().signIns, [id]: s } });
            return;
          }
          // The sign-in's answer is newer than any test result shown: that one no longer holds.
          const { [id]: _older, ...tests } = get().tests;
          set({
            signIns: { ...get().signIns, [id]: { ...s, at: Date.now() } },
            ...(get().tests[id]?.pending ? {} : { tests }),
          });
        };
        state({ pending: true });
        let started = false;
        try {
          const { url, opened } = await client.call('connections.signIn', { id });
          started = true;
          state({ pending: true, url });
          openPage(url, opened);
          const r = await client.call('connections.signInResult', { id });
          state({ pending: false, ok: r.signedIn, message: r.message });
        } catch (e) {
          if (!started) openPage(undefined, false);
          state({ pending: false, ok: false, message: errorMessage(e) });
        }
        // The stored-or-not flags changed (or a failed sign-in left them as they were): show them afresh.
        await get().load();
      },
    };
  });
}
