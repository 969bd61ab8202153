import { createStore } from 'zustand/vanilla';
import { CsvOptionsSchema, type CsvOptions, type OutputFormat } from '../../shared/output.ts';
import type { Recipe } from '../../shared/jobs.ts';
import { findProvider } from '../../shared/providers/index.ts';
import { getPath } from '../ui/paths.ts';

export type BuilderStep = 0 | 1 | 2;

export interface JsonDraft {
  text: string;
  problem?: string;
}

export interface BuilderState {
  step: BuilderStep;
  connectionId: string | undefined;
  providerId: string | undefined;
  query: Record<string, unknown>;
  format: OutputFormat;
  csv: CsvOptions;
  name: string;
  /** The columns a recipe opened here names (output.columns), carried into the export it starts. */
  columns: string[] | undefined;
  /**
   * What the vendor said about query fields in a failed export (field key -> message), shown under them
   * until the field is changed.
   */
  vendorErrors: Record<string, string>;
  /**
   * The text of each JSON field as typed (field key -> text and, while it does not parse into what the
   * field takes, what is wrong with it). The query holds only JSON that parsed, so a field with a problem
   * blocks going on: the export would otherwise run without what was typed there.
   */
  jsonDrafts: Record<string, JsonDraft>;
  setJsonDraft(key: string, draft: JsonDraft): void;
  /** Picks the connection; a different provider starts from that provider's default query. */
  chooseConnection(connectionId: string, providerId: string): void;
  setQuery(query: Record<string, unknown>): void;
  /**
   * What the vendor said about the query last time (a failed export opened for editing), shown beside
   * the part of the query it concerns until the builder is reset.
   */
  vendorError: string | undefined;
  reset(csv?: CsvOptions): void;
  /**
   * Opens a finished export's recipe for editing at the query step, with the vendor's complaint: under the
   * field it names, or where a provider's own query editor places it.
   */
  editRecipe(recipe: Recipe, connectionId: string, vendor?: { message: string; field?: string }): void;
}

/** A builder that has not begun: no connection yet, and the given (or built-in) CSV options. */
const blank = (csv?: CsvOptions) => ({
  step: 0 as const,
  connectionId: undefined,
  providerId: undefined,
  query: {},
  format: 'csv' as const,
  csv: csv ?? CsvOptionsSchema.parse({}),
  name: '',
  columns: undefined,
  vendorErrors: {},
  vendorError: undefined,
  jsonDrafts: {},
});

export function createBuilderStore() {
  return createStore<BuilderState>()((set, get) => ({
    ...blank(),
    chooseConnection(connectionId, providerId) {
      if (providerId === get().providerId) {
        set({ connectionId });
        return;
      }
      const provider = findProvider(providerId);
      const query = provider ? structuredClone(provider.defaultQuery as Record<string, unknown>) : {};
      set({ connectionId, providerId, query, vendorErrors: {}, vendorError: undefined, jsonDrafts: {} });
    },
    setQuery(query) {
      const { query: before, vendorErrors } = get();
      const same = (key: string) =>
        JSON.stringify(getPath(before, key)) === JSON.stringify(getPath(query, key));
      const kept = Object.fromEntries(Object.entries(vendorErrors).filter(([key]) => same(key)));
      set({ query, vendorErrors: kept });
    },
    setJsonDraft(key, draft) {
      set({ jsonDrafts: { ...get().jsonDrafts, [key]: draft } });
    },
    reset(csv) {
      set(blank(csv));
    },
    editRecipe(recipe, connectionId, vendor) {
      set({
        step: 1,
        connectionId,
        providerId: recipe.provider,
        query: structuredClone(recipe.query),
        format: recipe.output.format,
        csv: structuredClone(recipe.output.csv),
        name: recipe.name ?? '',
        columns: recipe.output.columns ? [...recipe.output.columns] : undefined,
        vendorErrors: vendor?.field ? { [vendor.field]: vendor.message } : {},
        vendorError: vendor?.message,
        jsonDrafts: {},
      });
    },
  }));
}
