import type { LookupItem } from '../../shared/api.ts';
import type { JobRecord, JobState, JobWait, ResultInfo } from '../../shared/jobs.ts';
import type { ProviderDefinition } from '../../shared/providers/types.ts';
import type { Row } from '../../shared/records.ts';
import type { HttpClient } from '../http/client.ts';
import type { Clock } from '../base/clock.ts';
import type { Logger } from '../http/redact.ts';

export type Counters = JobRecord['counters'];

/** Everything a provider needs to run one export. The runner owns state, persistence and cancellation. */
export interface RunContext<C, Q> {
  connection: C;
  /** Secret connection fields, by name (absent when not stored). */
  secrets: Readonly<Record<string, string | undefined>>;
  query: Q;
  http: HttpClient;
  clock: Clock;
  /** Aborted when the user cancels: pass it to every request and wait. */
  signal: AbortSignal;
  logger: Logger;
  /** The app's data folder, for state shared across exports and processes (e.g. per-tenant call times). */
  dataDir: string;
  /**
   * This job's folder for temporary files (inside the data folder): empty when the run starts, removed
   * when it ends in any way, and emptied after a crash. Nothing here is kept.
   */
  workDir: string;
  /** After a restart: what the interrupted run had started remotely, to be polled again, never resubmitted. */
  resume?: JobRecord['remote'];
  /**
   * Rows land in the spool as they arrive. `texts[i]`, when given, is the JSON text `rows[i]` was parsed
   * from by parseJson (json-lossless.ts), kept in the spool as it is (see SpoolWriter.append).
   */
  append(rows: readonly Row[], texts?: readonly (string | undefined)[]): Promise<void>;
  /**
   * Drops every row appended so far, and the columns learnt from them: the spool starts over. For a
   * provider that reads a whole answer again after it arrived damaged halfway through its rows.
   */
  discardRows(): Promise<void>;
  /**
   * A vendor's CSV file (its bytes, gunzipped) goes into the spool as it is, checked as it streams in:
   * the first record is the header, kept once for the whole export; a later file must have the same
   * header (`expectHeader`, else the first file's). A malformed file rejects with a message naming its
   * line, and leaves the spool as it was before the file. An export uses either this or `append`.
   */
  appendCsv(
    source: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
    opts?: { expectHeader?: readonly string[] },
  ): Promise<{ rows: number; columns: string[] }>;
  setState(state: JobState, message?: string): void;
  progress(update: Partial<Pick<Counters, 'pages' | 'expectedRows' | 'expectedRelation'>>): void;
  setRemote(remote: JobRecord['remote'], nextPollAt?: number): void;
  /** What holds the export back, and by whose limit (shown as it is); undefined once the call goes. */
  setWait(wait: JobWait | undefined): void;
  warn(message: string): void;
  /** Columns to lead with, in this order, whether or not a row has them (the vendor's display order). */
  columns(names: readonly string[]): void;
  /** Facts about the result as a whole (time zone, totals, limits), kept on the job record. */
  setResultInfo(info: ResultInfo): void;
  /** Stores a secret field of the connection (a rotated refresh token); never on disk in clear. */
  saveSecret(field: string, value: string): Promise<void>;
  /** Reads a secret field afresh (another process may have rotated it since the export started). */
  readSecret(field: string): Promise<string | undefined>;
}

/** What a call outside an export (test, lookup, sign-in) gets: the run's context without a job. */
export type TestContext<C> = Pick<
  RunContext<C, unknown>,
  'connection' | 'secrets' | 'http' | 'clock' | 'signal' | 'logger' | 'dataDir' | 'saveSecret' | 'readSecret'
>;

/** A browser sign-in the provider started: where to send the user, and the secrets it ends with. */
export interface SignInSession {
  url: string;
  /** Resolves with the secret fields to store once the user approved; rejects with a reason to show. */
  done: Promise<Record<string, string>>;
  cancel(): void;
}

export interface ResolveContext {
  nowMs: number;
  /** The `to` of the last successful run of the same recipe, for `since-last-run`. */
  lastRunUntil?: string;
}

export interface ProviderRuntime<C = unknown, Q = unknown> {
  definition: ProviderDefinition;
  /** Turns relative dates into fixed ones; the result is stored on the job and sent to the vendor. */
  resolveQuery(query: Q, ctx: ResolveContext): Q;
  /** Where the resolved query ends in time, remembered for `since-last-run`. */
  rangeEnd?(query: Q): string | undefined;
  testConnection(ctx: TestContext<C>): Promise<string>;
  /** Whether an export interrupted by a crash can go on from its remote job ids (see RunContext.resume). */
  resumable?: boolean;
  run(ctx: RunContext<C, Q>): Promise<void>;
  /**
   * For exports whose jobs run at the vendor: what becomes of the remote jobs (by id) still unfinished when
   * the export is cancelled, said on the cancelled record. Without it, nothing is said.
   */
  afterCancel?(remoteJobIds: readonly string[]): string;
  /**
   * Choices fetched from the vendor for a query field (FieldSpec.lookup) or a view (a tenant's jobs).
   * Throws a UserError for a name it does not know; `params` carry the values of `dependsOn` fields.
   */
  lookup?(name: string, params: Readonly<Record<string, string>>, ctx: TestContext<C>): Promise<LookupItem[]>;
  /** Providers whose users sign in through the vendor's page in a browser (OAuth2 with a loopback redirect). */
  signIn?(ctx: TestContext<C>): Promise<SignInSession>;
}
