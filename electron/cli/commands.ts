/**
 * Every `exportdesk` command with its arguments, flags and examples. The parser (parse.ts) takes its
 * options from here and the help (help.ts) is printed from here, so the help lists exactly what is
 * accepted.
 */
import { PROVIDER_IDS, PROVIDERS } from '../../shared/providers/index.ts';
import { addressSettings } from '../../shared/providers/address.ts';
import type { ProviderDefinition } from '../../shared/providers/types.ts';

export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The flag may be given more than once; its values are kept in order. */
  multiple?: boolean;
  /** How help shows the value: FILE, URL, field=value. */
  value?: string;
  help: string;
}

export interface ArgSpec {
  /** How help shows it: NAME, RECIPE.json. */
  name: string;
  optional?: boolean;
  /** Any number of these (at the end). */
  many?: boolean;
  /** What to say when it is missing. */
  missing?: string;
}

export interface CommandSpec {
  args: readonly ArgSpec[];
  summary: string;
  /** More for `exportdesk COMMAND --help`: paragraphs, or lines kept as they are when indented. */
  details?: readonly string[];
  flags: Readonly<Record<string, FlagSpec>>;
  /** Whole shell lines; the first is the one the overview shows. */
  examples: readonly [Example, ...Example[]];
}

export interface Example {
  line: string;
  what: string;
}

const json = (what: string) => ({ type: 'boolean', help: `print ${what} as JSON, for scripts` }) as const;

const providers: readonly ProviderDefinition[] = PROVIDERS;
const baseUrlProviders = providers.filter((p) => p.address.field === 'baseUrl' && !p.address.regions);
const otherAddresses = providers
  .filter((p) => !baseUrlProviders.includes(p))
  .map(
    (p) =>
      `  ${`${p.id}:`.padEnd(12)}${addressSettings(p)
        .map((s) => `--set ${s}`)
        .join(' ')}`,
  );

export const COMMANDS = {
  providers: {
    args: [],
    summary: 'Lists the vendors, the connection fields each needs and the fields of its query.',
    flags: { json: json('the list') },
    examples: [{ line: 'exportdesk providers', what: 'what a connection and a recipe of each vendor need' }],
  },
  'connections add': {
    args: [{ name: 'NAME', missing: 'Name the connection to add or update.' }],
    summary: 'Adds a connection, or updates the one of that name (settings not given are kept).',
    details: [
      'Secrets are read from standard input, one line per --secret in their order, or asked for without echo on a terminal. They are kept in the OS keychain, never in a file.',
      `Addresses: --base-url sets the baseUrl of ${baseUrlProviders.map((p) => p.id).join(' and ')} connections. The others keep theirs in fields of their own:`,
      ...otherAddresses,
    ],
    flags: {
      provider: {
        type: 'string',
        value: 'ID',
        help: `the vendor, needed for a new connection: ${PROVIDER_IDS.join(', ')}`,
      },
      'base-url': {
        type: 'string',
        value: 'URL',
        help: `the API address (${baseUrlProviders.map((p) => p.id).join(', ')}; see above for the others)`,
      },
      set: {
        type: 'string',
        multiple: true,
        value: 'field=value',
        help: 'a connection field, as "exportdesk providers" lists them',
      },
      secret: {
        type: 'string',
        multiple: true,
        value: 'field',
        help: 'a secret field, its value read from standard input or asked for',
      },
    },
    examples: [
      {
        line: `printf '%s\\n' "$OMNIQ_KEY" | exportdesk connections add acme --provider omniq --set tenantId=ACME-TENANT01 --secret apiKey`,
        what: 'an OmniQ connection, its API key piped in',
      },
      {
        line: 'exportdesk connections add cx-lab --provider cxone --set region=custom --set apiBaseUrl=https://proxy.example.com --set authBaseUrl=https://proxy.example.com --set accessKeyId=KEY-ID --secret accessKeySecret',
        what: 'a CXone connection through other addresses (a proxy), its secret asked for',
      },
    ],
  },
  'connections list': {
    args: [],
    summary: 'Lists the connections: name, provider, address and whether each secret is stored.',
    flags: { json: json('the connections') },
    examples: [{ line: 'exportdesk connections list', what: 'one connection a line' }],
  },
  'connections remove': {
    args: [{ name: 'NAME', missing: 'Name the connection to remove.' }],
    summary: 'Removes a connection and its secrets from the keychain.',
    flags: {},
    examples: [{ line: 'exportdesk connections remove acme', what: 'forget "acme" and its API key' }],
  },
  'connections test': {
    args: [{ name: 'NAME', missing: 'Name the connection to test.' }],
    summary: 'Calls the vendor with the connection and says whether it works (exit 1 if not).',
    flags: {},
    examples: [{ line: 'exportdesk connections test acme', what: 'check the address and the key' }],
  },
  'connections lookup': {
    args: [
      { name: 'NAME', missing: 'Name the connection and the list.' },
      { name: 'LIST', missing: 'Name the list after the connection, e.g. workspaces.' },
      { name: 'param=value', optional: true, many: true },
    ],
    summary: 'Lists what the vendor offers for a query field: one value, label and detail a line.',
    details: [
      'Lists: cxone: jobs, next-call, versions entityName=…; omni: users, labels; myreports: workspaces, reports workspaceId=…; intelepeer: catalogue, fields event=….',
    ],
    flags: { json: json('the items') },
    examples: [
      {
        line: 'exportdesk connections lookup xarios reports workspaceId=WORKSPACE-ID',
        what: 'the reports of one Xarios workspace',
      },
    ],
  },
  'connections signin': {
    args: [{ name: 'NAME', missing: 'Name the connection to sign in.' }],
    summary: 'Signs a connection in on the vendor’s page (Xarios); the sign-in is kept in the keychain.',
    details: [
      'On a terminal the page opens in the system browser; otherwise, or if no browser opens, open the address printed on standard error yourself. The sign-in waits up to 10 minutes.',
    ],
    flags: {},
    examples: [{ line: 'exportdesk connections signin xarios', what: 'approve on the Xarios page' }],
  },
  export: {
    args: [{ name: 'RECIPE.json', missing: 'Name the recipe to run.' }],
    summary: 'Runs a recipe and writes its rows to a file; progress goes to standard error.',
    details: [
      'Recipe format: docs/recipe.schema.json and docs/recipes.md. The window can save one.',
      'Exit codes: 0 done, 1 the export failed, 2 bad usage or recipe, 130 cancelled, 128+N the export',
      'process was ended by signal N or crashed (137: killed).',
      'Secrets: from the OS keychain, or else EXPORTDESK_SECRET_<CONNECTION>_<FIELD>.',
    ],
    flags: {
      out: {
        type: 'string',
        short: 'o',
        value: 'FILE',
        help: 'where to write, from the current folder (default: the recipe’s output.path, from the recipe’s folder)',
      },
      format: {
        type: 'string',
        value: 'csv|json|ndjson|xlsx|parquet',
        help: 'the file’s format (default: the recipe’s, else the --out extension)',
      },
      totals: {
        type: 'string',
        value: 'FILE.csv|FILE.json',
        help: 'also save the report’s own totals (Xarios reports) to this file',
      },
      json: {
        type: 'boolean',
        help: 'one JSON event a line on standard output instead of progress for people',
      },
    },
    examples: [
      {
        line: 'exportdesk export nightly.json --out communications.csv',
        what: 'run a recipe to a CSV file',
      },
      {
        line: 'exportdesk export report.json -o report.json --totals totals.csv --json',
        what: 'a Xarios report with its totals beside it, events for a script',
      },
    ],
  },
  'schedule add': {
    args: [
      { name: 'NAME', missing: 'Name the schedule to add or update.' },
      { name: 'RECIPE.json', missing: 'Name the recipe the schedule runs.' },
    ],
    summary: 'Schedules a recipe every hour, day or week, or changes the schedule of that name.',
    details: [
      'The recipe is copied into the schedule: changing the file later changes nothing until it is added again. Each run saves a file of its own into the folder (default: "scheduled/NAME" in the data folder), named by vendor, entity and dates; a file is never overwritten.',
      'Runs happen while the window is open, or when a scheduler calls "exportdesk schedule run-due".',
    ],
    flags: {
      every: { type: 'string', value: 'hour|day|week', help: 'how often it runs' },
      at: { type: 'string', value: 'HH:MM', help: 'the time of day, on a 24-hour clock (day and week)' },
      on: { type: 'string', value: 'mon..sun', help: 'the day of the week (week only)' },
      minute: { type: 'string', value: '0-59', help: 'the minute past each hour (hour only; default 0)' },
      'time-zone': {
        type: 'string',
        value: 'ZONE',
        help: 'the time zone of --at, e.g. Europe/Paris (default: the system’s)',
      },
      folder: { type: 'string', value: 'DIR', help: 'where each run’s file goes, from the current folder' },
      format: {
        type: 'string',
        value: 'csv|json|ndjson|xlsx|parquet',
        help: 'the files’ format (default: the recipe’s)',
      },
      paused: { type: 'boolean', help: 'keep the schedule but do not run it until added again without this' },
    },
    examples: [
      {
        line: 'exportdesk schedule add nightly nightly.json --every day --at 06:00 --time-zone Europe/Paris',
        what: 'every morning at 06:00, Paris time',
      },
      {
        line: 'exportdesk schedule add hourly-agents agents.json --every hour --minute 15',
        what: 'at 15 past each hour',
      },
      {
        line: 'exportdesk schedule add weekly week.json --every week --on mon --at 07:30 --folder reports --format xlsx',
        what: 'Monday mornings, an Excel file into ./reports',
      },
    ],
  },
  'schedule list': {
    args: [],
    summary: 'Lists the schedules: timing, next run, the last run and how it went, and the folder.',
    flags: { json: json('the schedules, their runs included') },
    examples: [{ line: 'exportdesk schedule list', what: 'one schedule a paragraph' }],
  },
  'schedule run': {
    args: [{ name: 'NAME', missing: 'Name the schedule to run.' }],
    summary: 'Runs a schedule now, whatever its timing, and prints the file it saved (exit 1 if it failed).',
    details: [
      'A failed try is tried again after 1, 5 and 15 minutes, unless --no-retry is given: then the first failure is final, recorded as the run’s, and the command exits 1 at once. A run of the schedule already under way (in the window or another command) is left alone: this one says so and exits 1.',
    ],
    flags: {
      'no-retry': {
        type: 'boolean',
        help: 'fail at the first failed try instead of trying again after 1, 5 and 15 minutes',
      },
    },
    examples: [
      { line: 'exportdesk schedule run nightly', what: 'the nightly export, now' },
      { line: 'exportdesk schedule run nightly --no-retry', what: 'now, and say at once if it fails' },
    ],
  },
  'schedule run-due': {
    args: [],
    summary: 'Runs every schedule that is due once, then exits: what cron, systemd or Airflow calls.',
    details: [
      'A schedule is due when its time has come since its last run; several missed times are caught up with one run. Call it as often as the shortest schedule needs (every few minutes is fine): nothing runs twice.',
      'Exit codes: 0 every due schedule ran (or none was due), 1 one of them failed, 2 bad usage.',
      'Secrets: from the OS keychain, or else EXPORTDESK_SECRET_<CONNECTION>_<FIELD>.',
    ],
    flags: {},
    examples: [
      { line: 'exportdesk schedule run-due', what: 'from cron: */5 * * * * exportdesk schedule run-due' },
    ],
  },
  'schedule remove': {
    args: [{ name: 'NAME', missing: 'Name the schedule to remove.' }],
    summary: 'Removes a schedule; the files its runs saved stay where they are.',
    flags: {},
    examples: [{ line: 'exportdesk schedule remove nightly', what: 'stop running "nightly"' }],
  },
  prune: {
    args: [],
    summary:
      'Removes the rows of old finished exports by the bounds saved in Settings, now, and says what it freed.',
    details: [
      'The bounds are the window’s "Keep export data for N days" and "Keep at most N GB" (keepDays and keepGb in settings.json); with neither set, pruning is off and nothing is removed. The rules are the window’s "Prune now": oldest first, never an export that is running (here or in another process), being saved, or shown in the window in the last 30 minutes. Each export’s record stays, marked as having had its data removed.',
    ],
    flags: {
      'dry-run': {
        type: 'boolean',
        help: 'list what would be removed and what it would free; remove nothing',
      },
      json: json('what was removed (or would be)'),
    },
    examples: [
      { line: 'exportdesk prune --dry-run', what: 'what the saved bounds would remove now' },
      { line: 'exportdesk prune', what: 'remove it' },
    ],
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/** Accepted after every command; main.ts answers it before the command runs. */
export const HELP_FLAG = { name: 'help', short: 'h', help: 'show this command’s flags and examples' };
