/**
 * The one contract between the main process and the renderer (and the browser-mode socket): every request
 * with its input and output schema, and every event. The main process validates every input against it.
 */
import { z } from 'zod';
import { SpoolProfileSchema } from './profile.ts';
import { JobRecordSchema, PreviewLayoutSchema, RecipeSchema } from './jobs.ts';
import { CsvOptionsSchema, OutputOptionsSchema } from './output.ts';
import { hasControlChars } from './text.ts';
import { SaveScheduleInputSchema, ScheduleInfoSchema, ScheduleNameSchema } from './schedules.ts';

const id = z.string().min(1).max(100);

// Stored connections keep this rule only: a name stored by an older version is still listed (and printed escaped).
const storedName = z.string().trim().min(1, 'Give the connection a name').max(100);

/** A name for a new or renamed connection: it is shown in terminals and lists, so no control characters. */
export const ConnectionNameSchema = storedName.refine(
  (name) => !hasControlChars(name),
  'A connection name cannot hold control characters (escape, line breaks, tabs); use letters, digits, spaces and punctuation',
);

export const ConnectionSchema = z.object({
  id,
  name: storedName,
  provider: z.string().min(1).max(50),
  /** Non-secret settings, validated by the provider's connection schema. */
  settings: z.record(z.string(), z.unknown()),
  /** For each secret field: whether a value is stored. Values never leave the main process. */
  secrets: z.record(z.string(), z.boolean()),
  /** The secret fields whose value comes from the environment (none in the keychain), with the variable's name. */
  secretsFromEnv: z.record(z.string(), z.string()).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Connection = z.infer<typeof ConnectionSchema>;

export const SaveConnectionInputSchema = z
  .object({
    id: id.optional(),
    name: ConnectionNameSchema,
    provider: ConnectionSchema.shape.provider,
    settings: z.record(z.string(), z.unknown()),
  })
  .strict();
export type SaveConnectionInput = z.infer<typeof SaveConnectionInputSchema>;

/** Each setting without its default, so a patch names only what it changes. */
const settingFields = {
  /** http(s)://host:port of a corporate proxy; empty means HTTPS_PROXY from the environment, if any. */
  proxyUrl: z.union([
    z.literal(''),
    z.url({ protocol: /^https?$/, message: 'Enter an http(s)://host:port address, or leave it empty' }),
  ]),
  /** A PEM file with extra CA certificates (a corporate root), added to the built-in ones. */
  caFile: z.string().max(4096),
  defaultCsv: CsvOptionsSchema,
  theme: z.enum(['system', 'light', 'dark']),
  /** Finished exports' rows are removed this many days after they finished; null keeps them. */
  keepDays: z
    .number()
    .int('Keep export data for a whole number of days')
    .min(1, 'Keep export data for at least 1 day')
    .max(36_500)
    .nullable(),
  /** Finished exports' rows are removed, oldest first, while all of them take more than this many GB; null: no bound. */
  keepGb: z
    .number()
    .positive('Allow export data more than 0 GB, or leave the bound empty')
    .max(1_000_000)
    .nullable(),
};

export const SettingsSchema = z
  .object({
    proxyUrl: settingFields.proxyUrl.default(''),
    caFile: settingFields.caFile.default(''),
    defaultCsv: settingFields.defaultCsv.default(CsvOptionsSchema.parse({})),
    theme: settingFields.theme.default('system'),
    // Off until the user sets them: rows of a finished export may be the only copy a vendor no longer keeps.
    keepDays: settingFields.keepDays.default(null),
    keepGb: settingFields.keepGb.default(null),
  })
  .strict();
/** A change to some settings: absent keys keep their stored values. */
export const SettingsPatchSchema = z.object(settingFields).partial().strict();
export type Settings = z.infer<typeof SettingsSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  keychain: z.object({ kind: z.enum(['keychain', 'memory']), warning: z.string().optional() }),
});

/**
 * A way of looking at an export's rows in the preview: only the rows whose cells hold a text, and/or in
 * the order of one column. A view only: a save writes every row in the order of the spool.
 */
export const PreviewViewSchema = z
  .object({
    /** Case-insensitive; rows whose cell text in one of `columns` (default: every column) contains it. */
    filter: z
      .object({
        text: z.string().min(1).max(500),
        columns: z.array(z.string().max(500)).min(1).max(5000).optional(),
      })
      .strict()
      .optional(),
    /**
     * Numbers (also numeric text, exact beyond 2^53) by value before other text in code-point order,
     * empty cells last in either direction; equal cells keep the spool's order.
     */
    sort: z
      .object({ column: z.string().max(500), direction: z.enum(['asc', 'desc']) })
      .strict()
      .optional(),
  })
  .strict();
export type PreviewView = z.infer<typeof PreviewViewSchema>;

export const PreviewPageSchema = z.object({
  offset: z.number().int().nonnegative(),
  /** Rows to page through: the export's, or those of the view that match. */
  total: z.number().int().nonnegative(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  /** With a view: each row's 0-based number in the export, and the export's own row count. */
  rowNumbers: z.array(z.number().int().nonnegative()).optional(),
  exportRows: z.number().int().nonnegative().optional(),
});
export type PreviewPage = z.infer<typeof PreviewPageSchema>;

/** An export's id as the app makes them (a time stamp and a random part): never a path, never empty. */
const jobId = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9-]+$/, 'This is not an export id (letters, digits and dashes only)');

const jobRef = z.object({ jobId }).strict();

/** One choice offered by a vendor lookup (users, workspaces, remote jobs ...). */
export const LookupItemSchema = z.object({
  value: z.string(),
  label: z.string(),
  /** A second line: an e-mail, a status, a date. */
  detail: z.string().optional(),
  /** Further facts shown in tables (a remote job's state, dates); plain values only. */
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type LookupItem = z.infer<typeof LookupItemSchema>;

export const LookupInputSchema = z
  .object({
    id,
    name: z.string().min(1).max(50),
    params: z.record(z.string().max(100), z.string().max(2000)).default({}),
  })
  .strict();

/** A file in the recipes folder, by name only: the page never names a path. */
export const RecipeFileNameSchema = z
  .string()
  .min(6)
  .max(200)
  .regex(/^[^./\\][^/\\:*?"<>|]*\.json$/, 'A recipe file name ends in .json and holds no folder')
  .refine((name) => !hasControlChars(name), 'A recipe file name cannot hold control characters');

/** One file in the recipes folder: the recipe it holds, or what keeps it from being one. */
export const SavedRecipeSchema = z.object({
  fileName: z.string(),
  modifiedAt: z.string(),
  recipe: RecipeSchema.optional(),
  /** What to fix in a file that is not a recipe Export Desk can run. */
  problem: z.string().optional(),
});
export type SavedRecipe = z.infer<typeof SavedRecipeSchema>;

/** What the data folder holds on disk, and what pruning with the settings in force would free. */
export const StorageUsageSchema = z.object({
  dataDir: z.string(),
  /** The rows of every export (their spools). */
  spoolBytes: z.number().int().nonnegative(),
  /** Everything else: export records, settings, recipes, the log. */
  otherBytes: z.number().int().nonnegative(),
  /** What "Prune now" would remove: exports whose rows go, and the bytes that frees. */
  prunable: z.object({ exports: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
});
export type StorageUsage = z.infer<typeof StorageUsageSchema>;

function request<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

const none = z.object({}).strict();
const connectionRef = z.object({ id }).strict();
const secretField = z.string().min(1).max(100);
const removed = z.object({ removed: z.boolean() });
const toFile = z.object({ jobId, output: OutputOptionsSchema }).strict();
const scheduleRef = z.object({ name: ScheduleNameSchema }).strict();
const totalsAs = z.object({ jobId, format: z.enum(['csv', 'json']) }).strict();

export const requests = {
  'app.info': request(none, AppInfoSchema),
  'settings.get': request(none, SettingsSchema),
  'settings.set': request(SettingsPatchSchema, SettingsSchema),
  /** Tries to reach the proxy at that address (not saved), and says in plain words how it went. */
  'settings.testProxy': request(
    z.object({ proxyUrl: settingFields.proxyUrl }).strict(),
    z.object({ ok: z.boolean(), message: z.string() }),
  ),
  /** Desktop: the open dialog picks the CA certificate file, checked; no path when the user cancels. Not saved. */
  'settings.chooseCaFile': request(none, z.object({ path: z.string().optional() })),
  /**
   * Browser mode: the text of the CA file the user chose in the page, checked and kept in the data folder;
   * answers where, for the settings to name. Not saved in the settings until they are.
   */
  'settings.keepCaFile': request(
    z.object({ name: z.string().max(255), text: z.string().max(1024 * 1024) }).strict(),
    z.object({ path: z.string() }),
  ),
  /** How much disk the data folder uses, and what pruning would free now. */
  'storage.usage': request(none, StorageUsageSchema),
  /** Removes the rows of finished exports past the settings' bounds now; their records stay. */
  'storage.prune': request(
    none,
    z.object({ exports: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  ),
  'connections.list': request(none, z.array(ConnectionSchema)),
  'connections.save': request(SaveConnectionInputSchema, ConnectionSchema),
  'connections.remove': request(connectionRef, removed),
  'connections.setSecret': request(
    z.object({ id, field: secretField, value: z.string().min(1).max(65_536) }).strict(),
    ConnectionSchema,
  ),
  'connections.deleteSecret': request(z.object({ id, field: secretField }).strict(), ConnectionSchema),
  'connections.test': request(connectionRef, z.object({ ok: z.boolean(), message: z.string() })),
  /** Tests settings and secrets typed in the form before they are saved; nothing is stored. */
  'connections.testDraft': request(
    z
      .object({
        name: z.string().max(100),
        provider: ConnectionSchema.shape.provider,
        settings: z.record(z.string(), z.unknown()),
        secrets: z.record(secretField, z.string().max(65_536)),
      })
      .strict(),
    z.object({ ok: z.boolean(), message: z.string() }),
  ),
  'connections.lookup': request(LookupInputSchema, z.object({ items: z.array(LookupItemSchema) })),
  /**
   * Starts a browser sign-in (OAuth2 with a loopback redirect): the main process listens on 127.0.0.1 and
   * opens the vendor's page (desktop); `opened` false means the page should open `url` itself.
   */
  'connections.signIn': request(connectionRef, z.object({ url: z.string(), opened: z.boolean() })),
  /** Answers once the started sign-in ended: tokens stored in the keychain, or why not. */
  'connections.signInResult': request(
    connectionRef,
    z.object({ signedIn: z.boolean(), message: z.string() }),
  ),
  'exports.start': request(z.object({ recipe: RecipeSchema }).strict(), JobRecordSchema),
  'exports.cancel': request(jobRef, JobRecordSchema),
  'exports.retry': request(jobRef, JobRecordSchema),
  'jobs.list': request(none, z.array(JobRecordSchema)),
  'jobs.get': request(jobRef, JobRecordSchema),
  'jobs.remove': request(jobRef, removed),
  /** Every file saved from the export, oldest first, each with whether it is still on disk (`index` into its saves). */
  'jobs.files': request(
    jobRef,
    z.array(
      z.object({
        index: z.number().int().nonnegative(),
        path: z.string(),
        format: z.string(),
        rows: z.number(),
        bytes: z.number().int().nonnegative().optional(),
        at: z.string(),
        exists: z.boolean(),
      }),
    ),
  ),
  /** Keeps the preview's column layout with the export (it is shown again when the export is reopened). */
  'jobs.setLayout': request(z.object({ jobId, layout: PreviewLayoutSchema }).strict(), JobRecordSchema),
  'preview.page': request(
    z
      .object({
        jobId,
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
        view: PreviewViewSchema.optional(),
      })
      .strict(),
    PreviewPageSchema,
  ),
  /**
   * The shape of an export's data (shared/profile.ts): per column its kind, empty cells, distinct values,
   * min and max, and rows per day of its date columns; null for an export spooled before profiles were kept.
   */
  'preview.profile': request(jobRef, SpoolProfileSchema.nullable()),
  /** Desktop: the main process asks the user where to save with the save dialog; the page never names a path. */
  'exports.save': request(
    toFile,
    z.object({ saved: z.boolean(), path: z.string().optional(), rows: z.number().optional() }),
  ),
  /** Browser mode: a one-time URL that streams the file to the browser as a download. */
  'exports.prepareDownload': request(toFile, z.object({ url: z.string(), fileName: z.string() })),
  /** Desktop: the report's totals (JobRecord.resultInfo.summary) to a file the user picks with the save dialog. */
  'exports.saveSummary': request(totalsAs, z.object({ saved: z.boolean(), path: z.string().optional() })),
  /** Browser mode: the report's totals as file text, which the page offers as a download. */
  'exports.summaryFile': request(totalsAs, z.object({ fileName: z.string(), text: z.string() })),
  /** Desktop: shows a saved file of the export (`index` into its saves; default the last) in the file manager. */
  'exports.reveal': request(
    z.object({ jobId, index: z.number().int().nonnegative().max(100_000).optional() }).strict(),
    z.object({ shown: z.boolean() }),
  ),
  /** The recipes folder in the data folder and the files in it, newest first. */
  'recipes.list': request(none, z.object({ folder: z.string(), recipes: z.array(SavedRecipeSchema) })),
  /** Keeps a recipe in the recipes folder under that name, or the next free one (`name-2.recipe.json`). */
  'recipes.save': request(
    z.object({ recipe: RecipeSchema, fileName: RecipeFileNameSchema }).strict(),
    z.object({ fileName: z.string(), path: z.string() }),
  ),
  /** Deletes a file of the recipes folder; `removed: false` when it was already gone. */
  'recipes.remove': request(z.object({ fileName: RecipeFileNameSchema }).strict(), removed),
  /**
   * Copies a recipe file into the recipes folder once it is checked. Desktop: the main process asks for
   * the file with the open dialog (no input). Browser mode: the page sends the text of the file the user
   * picked. A file that is not a recipe is refused with what to fix.
   */
  'recipes.import': request(
    z
      .object({
        file: z.object({ name: z.string().max(500), text: z.string().max(1_000_000) }).strict(),
      })
      .partial()
      .strict(),
    z.object({ imported: z.boolean(), fileName: z.string().optional(), recipe: RecipeSchema.optional() }),
  ),
  /** Every schedule, with when it runs next. */
  'schedules.list': request(none, z.array(ScheduleInfoSchema)),
  /**
   * Creates a schedule or changes one (`previousName`). The folder is checked: absolute, a folder that
   * exists or can be made, and writable; empty means the default folder in the data folder.
   */
  'schedules.save': request(SaveScheduleInputSchema, ScheduleInfoSchema),
  'schedules.remove': request(scheduleRef, removed),
  /** Starts a run now and answers at once; the run's progress comes as 'schedules.updated' events. */
  'schedules.runNow': request(scheduleRef, ScheduleInfoSchema),
  /** Desktop: the folder dialog picks a schedule's folder; no path when the user cancels. Browser mode types it. */
  'schedules.chooseFolder': request(none, z.object({ path: z.string().optional() })),
} as const;

export type RequestName = keyof typeof requests;
export type RequestInput<N extends RequestName> = z.input<(typeof requests)[N]['input']>;
export type RequestOutput<N extends RequestName> = z.infer<(typeof requests)[N]['output']>;

/** A message for the user about a schedule's run: shown in the window, and by the OS on the desktop. */
export const ScheduleNoticeSchema = z.object({
  kind: z.enum(['succeeded', 'failed', 'caught-up']),
  title: z.string(),
  body: z.string(),
  /** The schedule it is about (none for a catch-up of several). */
  schedule: z.string().optional(),
});
export type ScheduleNotice = z.infer<typeof ScheduleNoticeSchema>;

export const events = {
  'job.updated': JobRecordSchema,
  /** Every schedule after a change (a list), or the one that changed. */
  'schedules.updated': z.union([z.array(ScheduleInfoSchema), ScheduleInfoSchema]),
  'schedules.notice': ScheduleNoticeSchema,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
