import { createStore } from 'zustand/vanilla';
import { CsvOptionsSchema, type CsvOptions, type OutputFormat } from '../../shared/output.ts';
import { findProvider } from '../../shared/providers/index.ts';

export type BuilderStep = 0 | 1 | 2;

export interface BuilderState {
  step: BuilderStep;
  connectionId: string | undefined;
  providerId: string | undefined;
  query: Record<string, unknown>;
  format: OutputFormat;
  csv: CsvOptions;
  name: string;
  setStep(step: BuilderStep): void;
  /** Picks the connection; a different provider starts from that provider's default query. */
  chooseConnection(connectionId: string, providerId: string): void;
  setQuery(query: Record<string, unknown>): void;
  setOutput(patch: { format?: OutputFormat; csv?: CsvOptions }): void;
  setName(name: string): void;
  /**
   * What the vendor said about the query last time (a failed export opened for editing), shown beside
   * the part of the query it concerns until the builder is reset.
   */
  vendorError: string | undefined;
  /** Opens an earlier export's query for editing, with the vendor's complaint about it. */
  editQuery(
    connectionId: string,
    providerId: string,
    query: Record<string, unknown>,
    vendorError?: string,
  ): void;
  reset(csv?: CsvOptions): void;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export function createBuilderStore() {
  return createStore<BuilderState>()((set, get) => ({
    step: 0,
    connectionId: undefined,
    providerId: undefined,
    query: {},
    format: 'csv',
    csv: CsvOptionsSchema.parse({}),
    name: '',
    vendorError: undefined,
    setStep(step) {
      set({ step });
    },
    chooseConnection(connectionId, providerId) {
      if (providerId === get().providerId) {
        set({ connectionId });
        return;
      }
      const provider = findProvider(providerId);
      const query = provider ? clone(provider.defaultQuery as Record<string, unknown>) : {};
      set({ connectionId, providerId, query });
    },
    setQuery(query) {
      set({ query });
    },
    setOutput(patch) {
      set(patch);
    },
    setName(name) {
      set({ name });
    },
    editQuery(connectionId, providerId, query, vendorError) {
      set({ step: 1, connectionId, providerId, query: clone(query), vendorError });
    },
    reset(csv) {
      set({
        vendorError: undefined,
        step: 0,
        connectionId: undefined,
        providerId: undefined,
        query: {},
        format: 'csv',
        csv: csv ?? CsvOptionsSchema.parse({}),
        name: '',
      });
    },
  }));
}
export type BuilderStore = ReturnType<typeof createBuilderStore>;
