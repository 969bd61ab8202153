import { appendFileSync, mkdirSync } from 'node:fs';
import type { Settings } from '../../shared/api.ts';
import { isTerminal, RecipeSchema, type Recipe } from '../../shared/jobs.ts';
import { DATA_REMOVED } from '../../shared/job-text.ts';
import type { PreviewPage, PreviewView } from '../../shared/api.ts';
import { previewPage, profileSettled, SpoolReader } from '../export/spool.ts';
import { currentProfile } from '../export/spool-reader.ts';
import { stopProfilingUnder } from '../export/csv-profile.ts';
import type { SpoolProfile } from '../../shared/profile.ts';
import { previewViewPage } from '../export/preview.ts';
import { isViewActive } from '../export/preview-view.ts';
import type { StallPolicy } from '../http/deadline.ts';
import { systemClock, type Clock } from '../base/clock.ts';
import { HttpClient } from '../http/client.ts';
import { createLogger, type Logger } from '../http/redact.ts';
import { RecipeState } from '../jobs/recipe-state.ts';
import { JobRunner } from '../jobs/runner.ts';
import { JobStore } from '../jobs/store.ts';
import { providerRuntime } from '../providers/index.ts';
import { openSecretStore, type SecretStore } from '../secrets/store.ts';
import { ConnectionStore } from './connections.ts';
import { createHandlers } from './handlers.ts';
import { dataPaths, type DataPaths } from './paths.ts';
import { ProviderCalls } from './provider-context.ts';
import { RecipeFiles } from './recipes.ts';
import { Pruner } from './prune.ts';
import { recoverInterrupted } from './recovery.ts';
import { handleRequest, type Handlers, type TransportHooks } from './requests.ts';
import { PreviewViews } from './preview-views.ts';
import { Saves } from './saves.ts';
import { SettingsStore } from './settings.ts';
import { SignIns } from './sign-ins.ts';
import { UserError, zodMessage } from '../base/user-error.ts';
import { Schedules } from '../schedules/schedules.ts';
import { ScheduleStore } from '../schedules/store.ts';
import { ScheduleFeed } from '../schedules/feed.ts';

export interface AppServiceOptions {
  dataDir: string;
  clock?: Clock;
  secrets?: SecretStore;
  env?: NodeJS.ProcessEnv;
  version?: string;
  /** Go on with interrupted exports whose remote jobs are known (the window and browser mode, not the CLI). */
  resumeInterrupted?: boolean;
  /** Prune old export data as the app opens (default true); `exportdesk prune` prunes, or not, itself. */
  pruneAtStart?: boolean;
  /** How long a vendor may stay silent before a request times out (default 60 s); tests shorten it. */
  httpTimeoutMs?: number;
  /** The longest one request may take, body included (default 30 min); tests shorten it. */
  httpDeadlineMs?: number;
  /** The slowest a body may arrive before it is given up as stalled (default 16 KB a minute). */
  httpStall?: StallPolicy;
  /** The script of the thread that profiles a vendor's CSV (csv-profile.ts); tests stand in others. */
  csvProfileWorker?: URL;
}

/** The application: everything the window, the browser mode and the CLI can ask for. */
export class AppService {
  readonly paths: DataPaths;
  readonly connections: ConnectionStore;
  readonly jobs: JobStore;
  readonly settings: SettingsStore;
  /** Up to when each recipe's last saved run fetched (`since-last-run`). */
  readonly recipeState: RecipeState;
  readonly runner: JobRunner;
  readonly calls: ProviderCalls;
  readonly signIns: SignIns;
  readonly saves: Saves;
  readonly recipes: RecipeFiles;
  /** Recipes that run on their own, every hour, day or week. */
  readonly schedules: Schedules;
  /** The schedules as a window follows them: every change, and a notice for each run that finished. */
  readonly scheduleFeed: ScheduleFeed;
  /** The time everything here goes by (a test injects its own). */
  readonly clock: Clock;
  /** The preview's sorted or filtered view, kept while the user pages through it. */
  readonly views = new PreviewViews();
  /** Removes finished exports' rows past the settings' bounds (electron/app/prune.ts). */
  readonly pruner: Pruner;
  hooks: TransportHooks = {};
  /** The HTTP client for the network settings in force (proxy, CA file), and those it replaced. */
  private http: { client: HttpClient; key: string } | undefined;
  private readonly retiredHttp: HttpClient[] = [];
  private readonly handlers: Handlers;
  private currentSettings: Settings | undefined;

  private constructor(
    private readonly opts: AppServiceOptions,
    readonly secrets: SecretStore,
  ) {
    const env = opts.env ?? process.env;
    this.paths = dataPaths(opts.dataDir);
    this.clock = opts.clock ?? systemClock;
    mkdirSync(this.paths.root, { recursive: true });
    this.connections = new ConnectionStore(this.paths.connections, secrets, env);
    this.jobs = new JobStore(this.paths.jobs);
    this.settings = new SettingsStore(this.paths.settings);
    this.recipeState = new RecipeState(this.paths.recipeState);
    const deps = {
      connections: this.connections,
      http: () => this.httpClient(env),
      clock: this.clock,
      logger: (secrets: readonly string[]) => this.logger(secrets),
      dataDir: this.paths.root,
      store: this.jobs,
      runtime: providerRuntime,
      recipeState: this.recipeState,
      ...(opts.csvProfileWorker ? { csvProfileWorker: opts.csvProfileWorker } : {}),
    };
    this.runner = new JobRunner(deps);
    this.calls = new ProviderCalls(deps);
    this.signIns = new SignIns(this);
    this.saves = new Saves(this);
    this.recipes = new RecipeFiles(this.paths.recipes, () => this.hooks);
    this.schedules = new Schedules({
      app: this,
      store: new ScheduleStore(this.paths.schedules, this.paths.scheduled),
      clock: this.clock,
      lockDir: this.paths.scheduleLocks,
    });
    this.scheduleFeed = new ScheduleFeed(this.schedules, (error) =>
      this.logger().error('schedules: could not list them for the window', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    this.pruner = new Pruner({
      root: this.paths.root,
      jobs: this.jobs,
      clock: deps.clock,
      settings: () => this.settings.get(),
      isActive: (id) => this.runner.isActive(id),
      publish: (job) => this.runner.publish(job),
    });
    // After each export of this process ends: the spools just grew (or a bound may now be passed).
    this.runner.on((r) => {
      if (isTerminal(r.state) && r.finishedAt && this.runner.isActive(r.id)) this.pruneQuietly();
    });
    this.handlers = createHandlers(this);
  }

  /** Prunes by the settings in force, logging instead of failing: pruning never stops what the user does. */
  pruneQuietly(): void {
    this.pruner.prune().catch((e: unknown) => {
      this.logger().error('could not prune old export data', { error: String(e) });
    });
  }

  static async open(opts: AppServiceOptions): Promise<AppService> {
    const secrets = opts.secrets ?? (await openSecretStore());
    const app = new AppService(opts, secrets);
    app.currentSettings = await app.settings.get();
    await recoverInterrupted(app, !!opts.resumeInterrupted);
    if (opts.pruneAtStart !== false) app.pruneQuietly();
    return app;
  }

  /** A new client when the network settings change; exports already running keep the one they started with. */
  private httpClient(env: NodeJS.ProcessEnv): HttpClient {
    const s = this.currentSettings;
    const key = JSON.stringify([s?.proxyUrl, s?.caFile]);
    if (this.http?.key === key) return this.http.client;
    if (this.http) this.retiredHttp.push(this.http.client);
    const o = this.opts;
    const client = new HttpClient({
      ...(s?.proxyUrl ? { proxyUrl: s.proxyUrl } : {}),
      ...(s?.caFile ? { caFile: s.caFile } : {}),
      env,
      userAgent: `ExportDesk/${o.version ?? '0'}`,
      ...(o.httpTimeoutMs ? { timeoutMs: o.httpTimeoutMs } : {}),
      ...(o.httpDeadlineMs ? { deadlineMs: o.httpDeadlineMs } : {}),
      ...(o.httpStall ? { stall: o.httpStall } : {}),
    });
    this.http = { client, key };
    return client;
  }

  logger(secrets: readonly string[] = []): Logger {
    return createLogger({
      secrets: () => secrets,
      sink: (line) => {
        try {
          appendFileSync(this.paths.log, `${line}\n`, { mode: 0o600 });
        } catch {
          // logging never stops an export
        }
      },
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

  /**
   * A page of an export's rows, or (`view`) of those matching its filter in its sort's order, over every
   * row spooled when the request came (a running export's view is built again as rows arrive).
   */
  async previewPage(id: string, offset: number, limit: number, view?: PreviewView): Promise<PreviewPage> {
    const dir = this.jobs.spoolDir(id);
    if (isViewActive(view)) this.views.asked(id, view);
    this.pruner.touch(id);
    // The record of a running export is the runner's (no disk read); an unknown id fails below, as before.
    const job = await this.runner.get(id).catch(() => undefined);
    if (job?.dataRemovedAt) throw new UserError(DATA_REMOVED);
    const reader = await SpoolReader.open(dir).catch(async (err: unknown) => {
      // An unknown export is the caller's mistake, said plainly, not a missing spool folder.
      await this.runner.get(id);
      throw err;
    });
    try {
      if (!isViewActive(view)) return await previewPage(reader, offset, limit);
      const built = await this.views.get(id, dir, reader.rowCount, view);
      return await previewViewPage(reader, built, offset, limit);
    } finally {
      await reader.close();
    }
  }

  /** The profile of an export's columns as last published with its rows (null: none was kept). */
  async profile(id: string): Promise<SpoolProfile | null> {
    this.pruner.touch(id);
    if ((await this.runner.get(id)).dataRemovedAt) return null;
    return (await currentProfile(this.jobs.spoolDir(id))) ?? null;
  }

  /**
   * The profile once it is final: a vendor's CSV is profiled by a thread of its own that may still be
   * reading the rows after the export finished (see csv-profile.ts).
   */
  async finalProfile(id: string): Promise<SpoolProfile | null> {
    await profileSettled(this.jobs.spoolDir(id));
    return this.profile(id);
  }

  /** The transport entry point: one request of the contract, its input validated against its schema. */
  handle(name: string, raw: unknown): Promise<unknown> {
    return handleRequest(this.handlers, name, raw);
  }

  async close(): Promise<void> {
    this.scheduleFeed.close();
    this.signIns.cancelAll();
    // The profile of a CSV export that finished may still be in the making: it stops where it got to.
    await stopProfilingUnder(this.paths.root);
    await Promise.all([this.http?.client, ...this.retiredHttp].map((c) => c?.close()));
  }
}
