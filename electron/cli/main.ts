import { defaultDataDir } from '../app/paths.ts';
import { AppService } from '../app/service.ts';
import { UserError } from '../base/user-error.ts';
import { COMMANDS, type CommandName } from './commands.ts';
import { CONNECTIONS_COMMANDS } from './connections-command.ts';
import { exportCommand } from './export-command.ts';
import { commandHelp, groupCommands, groupHelp, overviewHelp } from './help.ts';
import { EXIT, processIO, type CliIO } from './io.ts';
import { parseCommand, type Runner } from './parse.ts';
import { printableIO } from './printable.ts';
import { providersCommand } from './providers-command.ts';
import { pruneCommand } from './prune-command.ts';
import { SCHEDULE_COMMANDS } from './schedule-command.ts';

const RUNNERS: { [N in Exclude<CommandName, 'providers'>]: Runner<N> } = {
  ...CONNECTIONS_COMMANDS,
  export: exportCommand,
  ...SCHEDULE_COMMANDS,
  prune: pruneCommand,
};

/** The command named by the first words of argv: a known command, a group ("connections") or neither. */
function resolve(argv: readonly string[]): { name?: CommandName; group?: string; rest: string[] } {
  const [first = '', second = ''] = argv;
  const two = `${first} ${second}`;
  if (two in COMMANDS) return { name: two as CommandName, rest: argv.slice(2) };
  if (first in COMMANDS) return { name: first as CommandName, rest: argv.slice(1) };
  if (groupCommands(first).length > 0) return { group: first, rest: argv.slice(1) };
  return { rest: argv.slice(1) };
}

/** `--help` or `-h` anywhere before a `--` asks for help instead of running the command. */
const asksForHelp = (args: readonly string[]): boolean => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

/** `exportdesk help [COMMAND]`, `exportdesk [COMMAND] --help`: the help, or undefined if none was asked for. */
function helpFor(argv: readonly string[]): { text: string; code: number } | undefined {
  const [command] = argv;
  if (!command) return { text: overviewHelp(), code: EXIT.usage };
  const topic = command === 'help' ? argv.slice(1) : argv;
  if (command !== 'help' && !asksForHelp(argv)) return undefined;
  const { name, group } = resolve(topic);
  if (name) return { text: commandHelp(name), code: EXIT.ok };
  if (group) return { text: groupHelp(group), code: EXIT.ok };
  return { text: overviewHelp(), code: EXIT.ok };
}

export async function main(argv: string[], rawIO: CliIO = processIO(), app?: AppService): Promise<number> {
  // Vendor messages, recipes and names reach the terminal: none of it may carry control sequences.
  const io = printableIO(rawIO);
  const help = helpFor(argv);
  if (help) {
    io.stdout.write(`${help.text}\n`);
    return help.code;
  }
  const { name, group, rest } = resolve(argv);
  let service = app;
  try {
    if (name === 'providers') return providersCommand(io, parseCommand(name, rest).values.json === true);
    if (group) {
      const what = rest[0] ? `Unknown command "${group} ${rest[0]}".` : `Say which "${group}" command.`;
      throw new UserError(`${what}\n\n${groupHelp(group)}`);
    }
    if (!name) throw new UserError(`Unknown command "${argv[0]}".\n\n${overviewHelp()}`);
    // Parsed before the app opens: a mistake in the command line touches nothing.
    const parsed = parseCommand(name, rest);
    // `prune` prunes itself, and a dry run must remove nothing: the app does not prune as it opens.
    service ??= await AppService.open({
      dataDir: defaultDataDir(io.env),
      env: io.env,
      pruneAtStart: name !== 'prune',
    });
    // `parsed` is the parse of `name`'s arguments; TypeScript cannot follow that through the union.
    return await (RUNNERS[name] as Runner<typeof name>)(service, io, parsed);
  } catch (e) {
    if (e instanceof UserError) {
      io.stderr.write(`${(e as Error).message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`Error: ${(e as Error).message ?? String(e)}\n`);
    return EXIT.failed;
  } finally {
    if (!app) await service?.close();
  }
}
