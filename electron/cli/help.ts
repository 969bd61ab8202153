/** The help, printed from the command table: the overview, one command group, one command. */
import {
  COMMAND_NAMES,
  COMMANDS,
  HELP_FLAG,
  type CommandName,
  type CommandSpec,
  type FlagSpec,
} from './commands.ts';

const WIDTH = 100;

/** Words to lines of at most WIDTH; the first line starts with `first`, the others with `indent`. */
function wrap(text: string, indent: string, first = indent): string {
  const lines: string[] = [];
  let prefix = first;
  let line = '';
  for (const word of text.split(' ')) {
    if (line && prefix.length + line.length + 1 + word.length > WIDTH) {
      lines.push(prefix + line);
      prefix = indent;
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, prefix + line].join('\n');
}

const spec = (name: CommandName): CommandSpec => COMMANDS[name];

function flagUsage(name: string, f: FlagSpec): string {
  return `--${name}${f.value ? ` ${f.value}` : ''}${f.multiple ? ' ...' : ''}`;
}

/** One line: the command, its arguments and every flag it takes. */
export function synopsis(name: CommandName): string {
  const s = spec(name);
  const args = s.args.map((a) => (a.optional ? `[${a.name}${a.many ? ' ...' : ''}]` : a.name));
  const flags = Object.entries(s.flags).map(([flag, f]) => `[${flagUsage(flag, f)}]`);
  return ['exportdesk', name, ...args, ...flags].join(' ');
}

function entry(name: CommandName): string {
  const s = spec(name);
  const [example] = s.examples;
  // Commands stay on one line each, so they can be copied whole.
  return [`  ${synopsis(name)}`, wrap(s.summary, '      '), `      e.g. ${example.line}`].join('\n');
}

/** The commands whose first word is `group` ("connections"), or undefined when there are none. */
export function groupCommands(group: string): CommandName[] {
  return COMMAND_NAMES.filter((n) => n.startsWith(`${group} `));
}

export function overviewHelp(): string {
  return [
    'exportdesk — run Export Desk exports without a window',
    '',
    ...COMMAND_NAMES.map((n) => `${entry(n)}\n`),
    `Add --help (or -h) after a command for its flags and examples, e.g. "exportdesk export --help".`,
    "Data folder: the desktop app's (EXPORTDESK_HOME overrides it). Secrets live in the OS keychain;",
    'where there is none, give them as EXPORTDESK_SECRET_<CONNECTION>_<FIELD> (e.g. EXPORTDESK_SECRET_ACME_EU_APIKEY).',
    'Exit codes: 0 done, 1 export failed, 2 bad usage or recipe, 130 cancelled, 128+N the export process was',
    'ended by signal N or crashed (137: killed).',
    'Recipe format: docs/recipe.schema.json and docs/recipes.md.',
  ].join('\n');
}

export function groupHelp(group: string): string {
  return [
    'usage:',
    ...groupCommands(group).map((n) => `${entry(n)}\n`),
    `Add --help after a command for its flags and examples, e.g. "exportdesk ${groupCommands(group)[0] ?? group} --help".`,
  ].join('\n');
}

export function commandHelp(name: CommandName): string {
  const s = spec(name);
  const flags: [string, string][] = Object.entries(s.flags).map(([flag, f]) => [
    `${f.short ? `-${f.short}, ` : ''}${flagUsage(flag, f)}`,
    `${f.help}${f.multiple ? ' (may be given more than once)' : ''}`,
  ]);
  flags.push([`-${HELP_FLAG.short}, --${HELP_FLAG.name}`, HELP_FLAG.help]);
  const column = Math.max(...flags.map(([usage]) => usage.length)) + 2;
  return [
    `usage: ${synopsis(name)}`,
    '',
    wrap(s.summary, ''),
    ...(s.details ?? []).map((d) => (d.startsWith('  ') ? d : `\n${wrap(d, '')}`)),
    '',
    'Flags:',
    ...flags.map(([usage, help]) => wrap(help, ' '.repeat(column + 2), `  ${usage.padEnd(column)}`)),
    '',
    'Examples:',
    ...s.examples.map((e) => `  # ${e.what}\n  ${e.line}`),
  ].join('\n');
}
