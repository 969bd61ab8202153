import { rm } from 'node:fs/promises';
import { JOB_TRANSITIONS, type JobRecord, type JobState, type Recipe } from '../../shared/jobs.ts';
import type { Connection } from '../../shared/api.ts';
import { SpoolWriter } from '../export/spool.ts';
import type { HttpClient } from '../http/client.ts';
import type { Clock } from '../base/clock.ts';
import { isAbortError } from '../http/errors.ts';
import type { Logger } from '../http/redact.ts';
import type { Counters, ProviderRuntime, RunContext } from './provider.ts';
import { connectionSettings, vendorCall } from './vendor-call.ts';
import { UserError, zodMessage } from '../base/user-error.ts';
import { exportFailure } from './failure.ts';
import type { RecipeState } from './recipe-state.ts';
import { findInterruptedRun } from './interrupted.ts';
import { markRunning, markStopped } from '../base/liveness.ts';
import type { JobStore } from './store.ts';

/** What the runner needs of the saved connections: their settings and their secrets. */
export interface ConnectionSource {
  get(id: string): Promise<Connection>;
  secretValues(connection: Connection): Promise<Record<string, string | undefined>>;
  setSecret(id: string, field: string, value: string): Promise<unknown>;
  missingSecretMessage(connection: Connection, missing: readonly string[]): string;
}

export interface RunnerDeps {
  store: JobStore;
  connections: ConnectionSource;
  /** How each vendor is fetched, by provider id (the registry the app wires in). */
  runtime: (provider: string) => ProviderRuntime | undefined;
  http: () => HttpClient;
  clock: Clock;
  logger: (secrets: readonly string[]) => Logger;
  recipeState: RecipeState;
  dataDir: string;
  /** The script of the thread that profiles a vendor's CSV, when not the app's own (tests). */
  csvProfileWorker?: URL;
}

interface Active {
  abort: AbortController;
  done: Promise<JobRecord>;
}

/** What one run is given: the provider, the connection with its settings and secrets, and the query. */
interface Launch {
  runtime: ProviderRuntime;
  connection: Connection;
  settings: unknown;
  secrets: Record<string, string | undefined>;
  query: unknown;
  /** The remote jobs an interrupted run had started (RunContext.resume). */
  resume?: JobRecord['remote'];
}

/** Runs exports: one record per job, persisted at every change, events to every listener. */
export class JobRunner {
  private readonly active = new Map<string, Active>();
  private readonly records = new Map<string, JobRecord>();
  private readonly listeners = new Set<(r: JobRecord) => void>();

  constructor(private readonly deps: RunnerDeps) {}

  on(listener: (r: JobRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isActive(id: string): boolean {
    return this.active.has(id);
  }

  /** The job as it is now: the running record, else the one on disk; UserError when there is none. */
  async get(id: string): Promise<JobRecord> {
    const r = this.records.get(id) ?? (await this.deps.store.load(id));
    if (!r) throw new UserError(`No export with id ${id}.`);
    return r;
  }

  /**
   * Validates the recipe against its connection and provider, then starts it. Bad input throws UserError.
   * `schedule` names the schedule starting it: the record says so, and `since-last-run` goes on from that
   * schedule's own last run.
   */
  async start(recipe: Recipe, opts: { schedule?: string } = {}): Promise<JobRecord> {
    const connection = await this.deps.connections.get(recipe.connection);
    if (connection.provider !== recipe.provider) {
      throw new UserError(
        `The recipe is for ${recipe.provider} but connection "${connection.name}" is a ${connection.provider} connection.`,
      );
    }
    const runtime = this.deps.runtime(recipe.provider);
    if (!runtime) throw new UserError(`Unknown provider "${recipe.provider}".`);
    const { definition } = runtime;
    const parsedQuery = definition.querySchema.safeParse(recipe.query);
    if (!parsedQuery.success) throw new UserError(zodMessage(parsedQuery.error, 'query'));
    const settings = connectionSettings(definition, connection);
    const secrets = await this.deps.connections.secretValues(connection);
    const missing = definition.requiredSecrets.filter((f) => !secrets[f]);
    if (missing.length > 0)
      throw new UserError(this.deps.connections.missingSecretMessage(connection, missing));
    const nowMs = this.deps.clock.now();
    const resolvedQuery = runtime.resolveQuery(parsedQuery.data, {
      nowMs,
      lastRunUntil: await this.deps.recipeState.lastRunUntil(recipe, opts.schedule),
    }) as Record<string, unknown>;
    const key = { connectionId: connection.id, recipe, resolvedQuery };
    const earlier = runtime.resumable && (await findInterruptedRun(this.deps.store, key, this.active));
    if (earlier) {
      const { schedule: _earlierSchedule, ...rest } = earlier;
      return this.resume({
        ...rest,
        recipe,
        ...(opts.schedule !== undefined ? { schedule: opts.schedule } : {}),
      });
    }
    const now = new Date(nowMs).toISOString();
    const record: JobRecord = {
      id: this.deps.store.newId(),
      recipe,
      ...(opts.schedule !== undefined ? { schedule: opts.schedule } : {}),
      resolvedQuery,
      connectionId: connection.id,
      state: 'queued',
      createdAt: now,
      updatedAt: now,
      remote: {},
      counters: { pages: 0, rows: 0, bytes: 0 },
      warnings: [],
      saves: [],
    };
    return this.launch(record, { runtime, connection, settings, secrets, query: resolvedQuery });
  }

  /**
   * Goes on with an export a crash or restart interrupted, from the remote job ids its record holds: the
   * provider polls them again instead of submitting anew. The rows are fetched again into a fresh spool.
   */
  async resume(previous: JobRecord): Promise<JobRecord> {
    const connection = await this.deps.connections.get(previous.connectionId);
    const runtime = this.deps.runtime(previous.recipe.provider);
    if (!runtime?.resumable) throw new Error(`${previous.recipe.provider} exports cannot be resumed`);
    const settings = connectionSettings(runtime.definition, connection);
    const secrets = await this.deps.connections.secretValues(connection);
    const record: JobRecord = {
      ...previous,
      state: 'queued',
      message: 'Resuming after a restart',
      counters: { ...previous.counters, pages: 0, rows: 0, bytes: 0 },
      updatedAt: new Date(this.deps.clock.now()).toISOString(),
    };
    const query = previous.resolvedQuery ?? previous.recipe.query;
    return this.launch(record, { runtime, connection, settings, secrets, query, resume: previous.remote });
  }

  private async launch(record: JobRecord, run: Launch): Promise<JobRecord> {
    this.records.set(record.id, record);
    await this.deps.store.save(record);
    this.emit(record);
    const abort = new AbortController();
    const done = this.execute(record.id, run, abort.signal);
    this.active.set(record.id, { abort, done });
    // execute() settles every failure into the record; this only guards against a bug escaping it.
    void done.catch(() => undefined).finally(() => this.active.delete(record.id));
    return record;
  }

  /** Resolves when the job reaches ready, failed or cancelled. */
  wait(id: string): Promise<JobRecord> {
    return this.active.get(id)?.done ?? this.get(id);
  }

  cancel(id: string): boolean {
    const a = this.active.get(id);
    if (!a) return false;
    a.abort.abort(new DOMException('The export was cancelled.', 'AbortError'));
    return true;
  }

  private emit(r: JobRecord): void {
    for (const l of this.listeners) {
      try {
        l(r);
      } catch {
        // a listener's failure must not stop the export
      }
    }
  }

  /** Applies a change, persists it (in order) and tells listeners. */
  update(id: string, patch: Partial<JobRecord>): JobRecord {
    const prev = this.records.get(id);
    if (!prev) throw new Error(`No running job ${id}`);
    if (patch.state && patch.state !== prev.state && !JOB_TRANSITIONS[prev.state].includes(patch.state)) {
      throw new Error(`A job cannot go from ${prev.state} to ${patch.state}`);
    }
    const next: JobRecord = { ...prev, ...patch, updatedAt: new Date(this.deps.clock.now()).toISOString() };
    this.records.set(id, next);
    void this.deps.store.save(next).catch((e: unknown) => {
      this.deps.logger([]).error('could not save the job record', { job: id, error: String(e) });
    });
    this.emit(next);
    return next;
  }

  private async execute(id: string, run: Launch, signal: AbortSignal): Promise<JobRecord> {
    const { runtime, query, resume } = run;
    const call = vendorCall(this.deps, run.connection, run.settings, run.secrets, signal);
    let spool: SpoolWriter | undefined;
    const spoolDir = this.deps.store.spoolDir(id);
    const output = this.records.get(id)?.recipe.output;
    // The recipe's CSV options: a save with them copies the CSV text the spool keeps as rows arrive.
    this.update(id, { startedAt: new Date(this.deps.clock.now()).toISOString() });
    const get = (): JobRecord => this.records.get(id) as JobRecord;
    const count = (c: Partial<Counters>) => this.update(id, { counters: { ...get().counters, ...c } });
    const spoolOptions = {
      listColumns: runtime.definition.listColumns,
      ...(this.deps.csvProfileWorker ? { csvProfileWorker: this.deps.csvProfileWorker } : {}),
      ...(output?.format === 'csv' ? { csv: output.csv } : {}),
      // The counts shown are those of the rows a preview can read (the spool's published meta).
      onPublish: (rows: number, bytes: number) => {
        if (this.records.has(id)) count({ rows, bytes });
      },
    };
    const ctx: RunContext<unknown, unknown> = {
      ...call,
      query,
      workDir: this.deps.store.workDir(id),
      ...(resume ? { resume } : {}),
      append: async (rows, texts) => {
        signal.throwIfAborted();
        await (spool as SpoolWriter).append(rows, texts);
      },
      discardRows: async () => {
        signal.throwIfAborted();
        await (spool as SpoolWriter).close().catch(() => undefined);
        // A fresh spool in the same folder: its empty meta goes first, so no reader mixes the two.
        spool = await SpoolWriter.create(spoolDir, spoolOptions);
        count({ rows: 0, bytes: 0 });
      },
      appendCsv: async (source, opts) => {
        signal.throwIfAborted();
        const added = await (spool as SpoolWriter).appendCsv(source, {
          signal,
          ...(opts?.expectHeader ? { expectHeader: opts.expectHeader } : {}),
        });
        if (added.invalidUtf8 > 0) {
          const n = added.invalidUtf8.toLocaleString('en-US');
          ctx.warn(
            `The vendor's file was not all UTF-8 text: ${n} byte sequence${added.invalidUtf8 === 1 ? ' was' : 's were'} replaced by "\uFFFD".`,
          );
        }
        return added;
      },
      setState: (state: JobState, message?: string) => {
        if (get().state !== state || message !== undefined)
          this.update(id, { state, ...(message ? { message } : {}) });
      },
      progress: (u) =>
        count({
          ...(u.pages !== undefined ? { pages: u.pages } : {}),
          ...(u.expectedRows !== undefined ? { expectedRows: u.expectedRows } : {}),
          ...(u.expectedRelation !== undefined ? { expectedRelation: u.expectedRelation } : {}),
        }),
      setRemote: (remote, nextPollAt) =>
        this.update(id, {
          remote: { ...get().remote, ...remote },
          ...(nextPollAt !== undefined ? { nextPollAt: new Date(nextPollAt).toISOString() } : {}),
        }),
      setWait: (wait) => {
        if (JSON.stringify(get().wait) !== JSON.stringify(wait)) this.update(id, { wait });
      },
      warn: (message) => {
        call.logger.warn(message, { job: id });
        this.update(id, { warnings: [...get().warnings, message] });
      },
      columns: (names) => (spool as SpoolWriter).preferColumns(names),
      setResultInfo: (info) => this.update(id, { resultInfo: { ...get().resultInfo, ...info } }),
    };
    try {
      // Inside the try: a spool that cannot be created (disk full, permissions) fails this job, not the process.
      spool = await SpoolWriter.create(spoolDir, spoolOptions);
      await markRunning(this.deps.store.jobDir(id));
      await this.deps.store.clearWork(id);
      await runtime.run(ctx);
      signal.throwIfAborted();
      const summary = await spool.close();
      this.update(id, {
        state: 'ready',
        wait: undefined,
        message: `${summary.rowCount.toLocaleString('en-US')} rows ready to save`,
        counters: { ...get().counters, rows: summary.rowCount, bytes: summary.bytes },
        finishedAt: new Date(this.deps.clock.now()).toISOString(),
      });
    } catch (e) {
      await spool?.close().catch(() => undefined);
      const finishedAt = new Date(this.deps.clock.now()).toISOString();
      if (signal.aborted || isAbortError(e)) {
        this.update(id, {
          state: 'cancelled',
          wait: undefined,
          finishedAt,
          ...cancelledRemote(get().remote, runtime),
        });
      } else {
        const { err, diskFull } = await exportFailure(
          e,
          this.deps.dataDir,
          runtime.definition.name,
          get().state,
        );
        // The rows fetched so far filled the disk, and a failed export cannot be saved: give their space
        // back, so the record of the failure (and whatever runs next) can still be written.
        if (diskFull) await rm(spoolDir, { recursive: true, force: true }).catch(() => undefined);
        call.logger.error('export failed', { job: id, error: err.message, step: err.step });
        this.update(id, {
          state: 'failed',
          wait: undefined,
          error: err.toJobError(),
          message: err.message,
          finishedAt,
        });
      }
    }
    await this.deps.store.clearWork(id).catch((e: unknown) => {
      call.logger.warn('could not remove the temporary files of the export', { job: id, error: String(e) });
    });
    const final = get();
    try {
      await this.deps.store.save(final);
      await markStopped(this.deps.store.jobDir(id));
    } catch (e) {
      call.logger.error('could not record the end of the export', { job: id, error: String(e) });
    }
    // From here on the record on disk is the truth; saves and removals change it there.
    this.records.delete(id);
    return final;
  }

  /** Tells listeners about a change made outside a run (a save, a removal), after it was written. */
  publish(record: JobRecord): void {
    if (this.records.has(record.id)) this.records.set(record.id, record);
    this.emit(record);
  }

  forget(id: string): void {
    this.records.delete(id);
  }
}

/** A vendor's final job statuses (CXone's, IntelePeer's), in upper case: those jobs need no word on cancel. */
const REMOTE_FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'CANCELED', 'EXPIRED', 'COMPLETED']);

/**
 * The cancelled record's message and remote part. A vendor job that was still running is not shown with
 * its last status (it is no longer watched, so "RUNNING" would go stale); the message says what becomes of
 * it, and its id stays on the record so its result can be found later.
 */
function cancelledRemote(
  remote: JobRecord['remote'],
  runtime: ProviderRuntime,
): Pick<JobRecord, 'message' | 'remote'> {
  const { status, ...rest } = remote;
  const running = status !== undefined && !REMOTE_FINAL.has(status.toUpperCase());
  const ids = [remote.jobId, ...(remote.parts ?? []).map((p) => p.jobId)].filter(
    (x, i, all): x is string => typeof x === 'string' && all.indexOf(x) === i,
  );
  const note = running && ids.length && runtime.afterCancel ? runtime.afterCancel(ids) : undefined;
  return {
    message: note ? `Cancelled. ${note}` : 'Cancelled',
    remote: running ? rest : remote,
  };
}
