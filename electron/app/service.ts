import { appendFileSync, mkdirSync } from 'node:fs';
import type { z } from 'zod';
import { requests, type LookupItem, type RequestName, type Settings } from '../../shared/api.ts';
import { isTerminal, RecipeSchema, type JobRecord, type Recipe } from '../../shared/jobs.ts';
import type { OutputOptions } from '../../shared/output.ts';
import { findProvider } from '../../shared/providers/index.ts';
import { beginSave, cleanAbandonedSave } from '../export/save-journal.ts';
import { saveSpool } from '../export/save.ts';
import { previewPage, SpoolReader } from '../export/spool.ts';
import { HttpClient } from '../http/client.ts';
import type { StallPolicy } from '../http/deadline.ts';
import { systemClock, type Clock } from '../base/clock.ts';
import { createLogger, type Logger } from '../http/redact.ts';
import { runningElsewhere } from '../base/liveness.ts';
import { RecipeState } from '../jobs/recipe-state.ts';
import { JobRunner } from '../jobs/runner.ts';
import { JobStore } from '../jobs/store.ts';
import { providerRuntime } from '../providers/index.ts';
import type { TestContext } from '../jobs/provider.ts';
import { openSecretStore, type SecretStore } from '../secrets/store.ts';
import { ConnectionStore } from './connections.ts';
import { dispatch } from './dispatch.ts';
import { dataPaths, type DataPaths } from './paths.ts';
import { SettingsStore } from './settings.ts';
import { outputMetadata } from './output-metadata.ts';
import { SignIns } from './sign-ins.ts';
import { UserError, zodMessage } from '../base/user-error.ts';

/** What a transport adds: the desktop shell asks with dialogs, browser mode answers with downloads. */
export interface TransportHooks {
  /** Asks the user where to save; undefined when they cancel. */
  chooseSavePath?(suggestedName: string, format: OutputOptions['format']): Promise<string | undefined>;
  revealInFolder?(path: string): void;
  prepareDownload?(
    jobId: string,
    output: OutputOptions,
    fileName: string,
    metadata?: Record<string, unknown>,
  ): { url: string };
  /** Opens a vendor's sign-in page in the system browser; false when it would not (the page opens it). */
  openSignInPage?(url: string): boolean;
  /** After settings changed (the desktop shell follows the theme choice in native menus and dialogs). */
  settingsChanged?(settings: Settings): void;
}

export interface AppServiceOptions {
  dataDir: string;
  clock?: Clock;
  secrets?: SecretStore;
  env?: NodeJS.ProcessEnv;
  version?: string;
  /** Go on with interrupted exports whose remote jobs are known (the window and browser mode, not the CLI). */
  resumeInterrupted?: boolean;
  /** How long a vendor may stay silent before a request times out (default 60 s); tests shorten it. */
  httpTimeoutMs?: number;
  /** The longest one request may take, body included (default 30 min); tests shorten it. */
  httpDeadlineMs?: number;
  /** The slowest a body may arrive before it is given up as stalled (default 16 KB a minute). */
  httpStall?: StallPolicy;
}

/** The application: everything the window, the browser mode and the CLI can ask for. */
export class AppService {
  readonly paths: DataPaths;
  readonly connections: ConnectionStore;
  readonly jobs: JobStore;
  readonly settings: SettingsStore;
  readonly runner: JobRunner;
  private readonly recipeState: RecipeState;
  private http: HttpClient | undefined;
  private readonly retiredHttp: HttpClient[] = [];
  private httpSettings = '';
  private currentSettings: Settings | undefined;
  hooks: TransportHooks = {};
  readonly signIns: SignIns;

  private constructor(
    private readonly opts: AppServiceOptions,
    readonly secrets: SecretStore,
  ) {
    this.paths = dataPaths(opts.dataDir);
    mkdirSync(this.paths.root, { recursive: true });
    this.connections = new ConnectionStore(this.paths.connections, secrets, opts.env ?? process.env);
    this.jobs = new JobStore(this.paths.jobs);
    this.settings = new SettingsStore(this.paths.settings);
    this.recipeState = new RecipeState(this.paths.recipeState);
    this.runner = new JobRunner({
      store: this.jobs,
      connections: this.connections,
      runtime: providerRuntime,
      http: () => this.httpClient(),
      clock: opts.clock ?? systemClock,
      logger: (s) => this.logger(s),
      recipeState: this.recipeState,
      dataDir: this.paths.root,
    });
    this.signIns = new SignIns({
      context: (ref) => this.callContext(ref),
      connections: this.connections,
      openSignInPage: (url) => this.hooks.openSignInPage?.(url) ?? false,
    });
  }

  static async open(opts: AppServiceOptions): Promise<AppService> {
    const secrets = opts.secrets ?? (await openSecretStore());
    const app = new AppService(opts, secrets);
    app.currentSettings = await app.settings.get();
    await app.recoverInterrupted();
    return app;
  }

  logger(secrets: readonly string[] = []): Logger {
    const file = this.paths.log;
    return createLogger({
      secrets: () => secrets,
      sink: (line) => {
        try {
          appendFileSync(file, `${line}\n`, { mode: 0o600 });
        } catch {
          // logging never stops an export
        }
      },
    });
  }

  private httpClient(): HttpClient {
    const s = this.currentSettings;
    const key = JSON.stringify([s?.proxyUrl, s?.caFile]);
    if (!this.http || key !== this.httpSettings) {
      // Exports already running keep the client they started with; it is closed with the app.
      if (this.http) this.retiredHttp.push(this.http);
      this.http = new HttpClient({
        ...(s?.proxyUrl ? { proxyUrl: s.proxyUrl } : {}),
        ...(s?.caFile ? { caFile: s.caFile } : {}),
        env: this.opts.env ?? process.env,
        userAgent: `ExportDesk/${this.opts.version ?? '0'}`,
        ...(this.opts.httpTimeoutMs ? { timeoutMs: this.opts.httpTimeoutMs } : {}),
        ...(this.opts.httpDeadlineMs ? { deadlineMs: this.opts.httpDeadlineMs } : {}),
        ...(this.opts.httpStall ? { stall: this.opts.httpStall } : {}),
      });
      this.httpSettings = key;
    }
    return this.http;
  }

  /**
   * A job left running by a process that is gone (crash, kill): one whose remote work is known goes on
   * (in the app, which stays open to finish it; a CLI command leaves it for the app), any other is marked
   * failed with a way forward.
   */
  private async recoverInterrupted(): Promise<void> {
    for (const job of await this.jobs.list()) {
      for (const file of await cleanAbandonedSave(this.jobs.jobDir(job.id)))
        this.logger().warn('removed the temporary file of a save that was interrupted', { file });
      if (await runningElsewhere(this.jobs.jobDir(job.id))) continue;
      // What a dead process was downloading; a resumed export fetches it again.
      await this.jobs.clearWork(job.id).catch(() => undefined);
      if (isTerminal(job.state)) continue;
      if (providerRuntime(job.recipe.provider)?.resumable && job.remote.jobId) {
        if (this.opts.resumeInterrupted) {
          await this.runner.resume(job).catch(async (e: unknown) => {
            this.logger().error('could not resume an interrupted export', { job: job.id, error: String(e) });
            await this.markInterrupted(job);
          });
        }
        continue;
      }
      await this.markInterrupted(job);
    }
  }

  private async markInterrupted(job: JobRecord): Promise<void> {
    await this.jobs.save({
      ...job,
      state: 'failed',
      message: 'Interrupted: Export Desk closed while this export was running.',
      error: {
        vendor: findProvider(job.recipe.provider)?.name ?? job.recipe.provider,
        step: job.state,
        message: 'Interrupted: Export Desk closed while this export was running.',
        hint: 'Retry the export.',
      },
      finishedAt: job.updatedAt,
    });
  }

  info() {
    return {
      version: this.opts.version ?? '0.1.0',
      dataDir: this.paths.root,
      keychain: {
        kind: this.secrets.kind,
        ...(this.secrets.warning ? { warning: this.secrets.warning } : {}),
      },
    };
  }

  async setSettings(patch: Partial<Settings>): Promise<Settings> {
    this.currentSettings = await this.settings.set(patch);
    this.hooks.settingsChanged?.(this.currentSettings);
    return this.currentSettings;
  }

  /** What a provider needs to call the vendor outside an export: test, lookups. */
  async callContext(ref: string) {
    const c = await this.connections.get(ref);
    const runtime = providerRuntime(c.provider);
    const def = findProvider(c.provider);
    if (!runtime || !def) throw new UserError(`Unknown provider "${c.provider}".`);
    const settings = def.connectionSchema.parse(c.settings);
    const secrets = await this.connections.secretValues(c);
    const ctx: TestContext<unknown> = {
      connection: settings,
      secrets,
      http: this.httpClient(),
      clock: this.opts.clock ?? systemClock,
      signal: new AbortController().signal,
      logger: this.logger(Object.values(secrets).filter((s): s is string => !!s)),
      dataDir: this.paths.root,
      saveSecret: async (field, value) => {
        await this.connections.setSecret(c.id, field, value);
      },
      readSecret: async (field) => (await this.connections.secretValues(c))[field],
    };
    return { runtime, ctx, connection: c };
  }

  async testConnection(ref: string): Promise<{ ok: boolean; message: string }> {
    const { runtime, ctx, connection } = await this.callContext(ref);
    const required = findProvider(connection.provider)?.requiredSecrets ?? [];
    const missing = required.filter((f) => !ctx.secrets[f]);
    if (missing.length > 0)
      return { ok: false, message: this.connections.missingSecretMessage(connection, missing) };
    try {
      return { ok: true, message: await runtime.testConnection(ctx) };
    } catch (e) {
      return { ok: false, message: withHint(e) };
    }
  }

  /** Choices from the vendor for a query field or a view; failures become messages for the user. */
  async lookup(ref: string, name: string, params: Readonly<Record<string, string>>): Promise<LookupItem[]> {
    const { runtime, ctx, connection } = await this.callContext(ref);
    if (!runtime.lookup) throw new UserError(`${connection.name} offers no list named "${name}".`);
    try {
      return await runtime.lookup(name, params, ctx);
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(withHint(e));
    }
  }

  parseRecipe(raw: unknown): Recipe {
    // "$schema" points an editor at docs/recipe.schema.json; it is not part of the recipe.
    if (raw && typeof raw === 'object' && !Array.isArray(raw) && '$schema' in raw) {
      const { $schema: _editorHint, ...rest } = raw as Record<string, unknown>;
      raw = rest;
    }
    const parsed = RecipeSchema.safeParse(raw);
    if (!parsed.success) throw new UserError(zodMessage(parsed.error));
    return parsed.data;
  }

  async startExport(recipe: Recipe): Promise<JobRecord> {
    return this.runner.start(recipe);
  }

  async getJob(id: string): Promise<JobRecord> {
    const r = this.runner.current(id) ?? (await this.jobs.load(id));
    if (!r) throw new UserError(`No export with id ${id}.`);
    return r;
  }

  async retry(id: string): Promise<JobRecord> {
    const job = await this.getJob(id);
    if (!isTerminal(job.state)) throw new UserError('This export is still running.');
    return this.runner.start(job.recipe);
  }

  async previewPage(id: string, offset: number, limit: number) {
    const reader = await SpoolReader.open(this.jobs.spoolDir(id)).catch(async (err: unknown) => {
      // An unknown export is the caller's mistake, said plainly, not a missing spool folder.
      await this.getJob(id);
      throw err;
    });
    try {
      return await previewPage(reader, offset, limit);
    } finally {
      await reader.close();
    }
  }

  /**
   * Notes a finished save (a file, or a browser download) on the job, tells the window, and moves the
   * recipe's `since-last-run` mark. Reads the record afresh so two saves in a row both stay listed.
   */
  async recordSave(
    id: string,
    save: { path: string; format: OutputOptions['format']; rows: number },
  ): Promise<JobRecord> {
    const job = await this.getJob(id);
    const now = new Date().toISOString();
    const next: JobRecord = {
      ...job,
      state: 'saved',
      saves: [...job.saves, { ...save, at: now }],
      updatedAt: now,
    };
    await this.jobs.save(next);
    this.runner.publish(next);
    const until = job.resolvedQuery
      ? providerRuntime(job.recipe.provider)?.rangeEnd?.(job.resolvedQuery)
      : undefined;
    if (until) await this.recipeState.recordRun(job.recipe, until);
    return next;
  }

  /** Saves a finished export to a path the user chose (CLI argument or the save dialog). */
  async saveJobTo(id: string, target: string, output: OutputOptions, signal?: AbortSignal) {
    const job = await this.finishedJob(id);
    const metadata = outputMetadata(job);
    const reader = await SpoolReader.open(this.jobs.spoolDir(id));
    const endSave = await beginSave(this.jobs.jobDir(id), target);
    try {
      const result = await saveSpool(reader, target, output, {
        ...(signal ? { signal } : {}),
        ...(metadata ? { metadata } : {}),
      });
      await this.recordSave(id, { path: result.path, format: output.format, rows: result.rows });
      return result;
    } finally {
      await endSave();
      await reader.close();
    }
  }

  /** A finished export, or a UserError saying why it cannot be saved yet. */
  async finishedJob(id: string): Promise<JobRecord> {
    const job = await this.getJob(id);
    if (job.state !== 'ready' && job.state !== 'saved')
      throw new UserError(`Only a finished export can be saved; this one is ${job.state}.`);
    return job;
  }

  /** The transport entry point: validates the input against the contract, then dispatches. */
  async handle(name: string, raw: unknown): Promise<unknown> {
    if (!Object.hasOwn(requests, name)) throw new UserError(`Unknown request "${name}".`);
    const spec = requests[name as RequestName];
    const parsed = (spec.input as z.ZodType).safeParse(raw ?? {});
    if (!parsed.success) throw new UserError(zodMessage(parsed.error));
    return dispatch(this, name as RequestName, parsed.data as Record<string, unknown>);
  }

  async close(): Promise<void> {
    this.signIns.cancelAll();
    await Promise.all([this.http, ...this.retiredHttp].map((c) => c?.close()));
  }
}

/** An error's message with its hint as a sentence of its own: "... HTTP 401 Unauthorized. Check the key ...". */
function withHint(e: unknown): string {
  const err = e as { message?: string; hint?: string };
  const message = err.message ?? String(e);
  if (!err.hint) return message;
  return `${/[.!?]$/.test(message) ? message : `${message}.`} ${err.hint}`;
}
