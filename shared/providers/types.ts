import type { z } from 'zod';
import type { DateRangeSpec } from '../date-range.ts';

/** One input a user fills in. The renderer builds forms from these; the CLI lists them. */
export interface FieldSpec {
  key: string;
  label: string;
  kind: 'text' | 'url' | 'number' | 'secret' | 'select' | 'multiselect' | 'boolean' | 'json' | 'date-range';
  required: boolean;
  help?: string;
  placeholder?: string;
  /** For 'select': the vendor's own values; `freeText` allows others too. */
  options?: readonly { value: string; label: string }[];
  freeText?: boolean;
  /**
   * For 'select' and 'multiselect': choices fetched from the vendor through the connection
   * (`connections.lookup` with this name). `dependsOn` names other query fields whose values are sent as
   * the lookup's params (a report list that depends on the chosen workspace); the lookup waits for them.
   */
  lookup?: { name: string; dependsOn?: readonly string[] };
  /** For 'json': the value is a list (a vendor's array of conditions) rather than an object. */
  jsonArray?: boolean;
  /**
   * For 'date-range': how this vendor writes a range (where its ends and periods are kept in the query, days
   * or instants, its wire format). The field's own key is where the range's messages are shown.
   */
  dateRange?: DateRangeSpec;
  min?: number;
  max?: number;
}

export interface QueryPreset {
  id: string;
  label: string;
  /** A partial query merged over the user's (dates are relative keywords, resolved when the export runs). */
  query: Record<string, unknown>;
}

/** What a provider offers beyond fields and an export: the window and the CLI ask this, never the id. */
export interface ProviderCapabilities {
  /** The connection lists the tenant's remote jobs and when the next call may go (`jobs`, `next-call` lookups). */
  tenantJobs: boolean;
  /** How the query is built: from `queryFields`, or with a vendor's own editor that places errors itself. */
  queryEditor: 'fields' | 'insights';
  /** Reports come with the vendor's totals (`resultInfo.summary`), which can be saved as a file of their own. */
  totals: boolean;
}

export interface ProviderDefinition<C extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  id: string;
  name: string;
  vendor: string;
  summary: string;
  /** Connection settings (non-secret fields) as stored in connections.json. */
  connectionSchema: C;
  connectionFields: readonly FieldSpec[];
  /** Names of connection fields kept in the OS keychain, never on disk. */
  secretFields: readonly string[];
  /** Secrets without which no call can be made. */
  requiredSecrets: readonly string[];
  querySchema: Q;
  queryFields: readonly FieldSpec[];
  defaultQuery: z.input<Q>;
  presets: readonly QueryPreset[];
  capabilities: ProviderCapabilities;
  /**
   * Users sign in through the vendor's page in a browser (`connections.signIn`); `secret` names the
   * secret field the sign-in stores (a refresh token), whose presence means "signed in".
   */
  browserSignIn?: { secret: string };
  /**
   * Where a connection's API address is kept: `field`, or while it is empty the host its `region` picks
   * from `regions`. `alsoSet` names the other address fields a user changes with it to point the
   * connection at a proxy or another host (the authentication address).
   */
  address: {
    field: string;
    regions?: Readonly<Record<string, { host: string }>>;
    alsoSet?: readonly string[];
  };
  /** What the job's `pages` counter counts when the vendor sends files rather than pages. */
  pagesAre?: 'files';
  /** Hosts the app may open in the system browser for this vendor (docs, sign-in pages). */
  externalHosts: readonly string[];
  /**
   * Columns holding a list of names (a document's labels): one cell with the names joined by "; " in CSV
   * and the preview, an array in JSON.
   */
  listColumns?: readonly string[];
  /**
   * Before Start, in one sentence: what the query becomes at the vendor and the least time that takes
   * (undefined when there is nothing worth saying, or the query is not complete yet).
   */
  estimate?(query: Record<string, unknown>): string | undefined;
}
