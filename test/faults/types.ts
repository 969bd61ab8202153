/**
 * The fault matrix: which faults every provider is put through, and what a provider's adapter supplies
 * so its exports can be run under each of them. One adapter file per provider, listed in adapters/index.ts.
 */
import type { FakeClock } from '../helpers/fake-clock.ts';
import type { FaultProxy } from './fault-proxy.ts';

export const FAULTS = [
  { id: 'refused', label: 'connection refused' },
  { id: 'reset', label: 'reset mid-response' },
  { id: 'timeout', label: 'timeout' },
  { id: '429-seconds', label: '429, Retry-After in seconds' },
  { id: '429-date', label: '429, Retry-After as HTTP date' },
  { id: '429-none', label: '429, no Retry-After' },
  { id: '5xx-burst', label: '500/502/503 burst' },
  { id: '401', label: '401 mid-export (token expired)' },
  { id: 'malformed-json', label: 'malformed JSON' },
  { id: 'truncated-json', label: 'truncated JSON' },
  { id: 'truncated-file', label: 'truncated CSV or gzip' },
  { id: 'expired-link', label: 'expired download link' },
  { id: 'sftp-drop', label: 'dropped SFTP connection' },
  { id: 'trickle', label: 'slow trickle' },
  { id: 'huge-page', label: 'huge answer (8 MB more)' },
  { id: 'endless-body', label: 'answer that never ends' },
  { id: 'long-record', label: 'one 16 MB record' },
  { id: 'escape-sequences', label: 'error text with terminal escapes' },
] as const;

export type FaultId = (typeof FAULTS)[number]['id'];

/** An answer to a GET damaged on the way: asking again gets a whole one. */
export const DAMAGED_ANSWERS: readonly FaultId[] = ['reset', 'malformed-json', 'truncated-json'];

/** What the harness hands an adapter for one cell: a clock it drives and a proxy in front of the vendor. */
export interface Bench {
  clock: FakeClock;
  proxy: FaultProxy;
}

/** One provider, started for one cell. */
export interface ProviderSetup {
  /** Arguments after `exportdesk connections add NAME` (the provider, its addresses pointing at the proxy). */
  connectionArgs: string[];
  /** Secrets, piped to `connections add` on stdin. */
  stdin?: string;
  /** Secrets stored on the connection after it is added, e.g. a refresh token from an earlier sign-in. */
  secrets?: Record<string, string>;
  /** The recipe's query. */
  query: Record<string, unknown>;
  /**
   * The fault-free output (CSV, formula guard off), computed from the simulator's data, not by the engine.
   * Given the export's job id at the vendor, where the vendor's data differs from one job to the next.
   */
  expected(remoteJobId?: string): string;
  /** Arms each fault for the next export; a fault that does not apply to this vendor is left out ("n/a"). */
  faults: Partial<Record<FaultId, () => void>>;
  /** Faults outside the HTTP proxy (e.g. an SFTP link to drop): how many were armed, how many struck. */
  outside?: { armed(): number; fired(): number };
  /** Calls that broke the vendor's rate limits, as the simulator counted them. */
  violations(): number;
  close(): Promise<void>;
}

export interface ProviderAdapter {
  /** The provider id, as in recipes. */
  id: string;
  /** The vendor's name as error messages give it. */
  vendor: string;
  /** Faults this vendor's exports must recover from, not merely fail clearly (the matrix holds them to it). */
  mustRecover?: readonly FaultId[];
  /**
   * Faults that cannot happen with this vendor (no download links, no SFTP), shown as n/a. Declared here so
   * a fault an adapter silently stops arming fails the matrix instead of turning into n/a.
   */
  notApplicable: readonly FaultId[];
  /** Starts the simulator behind `bench.proxy` (calling `bench.proxy.setTarget`). */
  start(bench: Bench): Promise<ProviderSetup>;
}
