import { parseArgs } from 'node:util';
import type { AppService } from '../app/service.ts';
import { UserError } from '../base/user-error.ts';
import { COMMANDS, type CommandName, type CommandSpec } from './commands.ts';
import { synopsis } from './help.ts';
import type { CliIO } from './io.ts';

/** node:util's result for one command: its flags typed by their entries in the table. */
export type Parsed<N extends CommandName> = ReturnType<
  typeof parseArgs<{ options: (typeof COMMANDS)[N]['flags']; allowPositionals: true; strict: true }>
>;

/** Carries out one command with its parsed arguments; resolves to the exit code. */
export type Runner<N extends CommandName> = (
  app: AppService,
  io: CliIO,
  parsed: Parsed<N>,
) => Promise<number>;

function parseError(name: CommandName, spec: CommandSpec, e: Error & { code?: string }): UserError {
  const more = `See "exportdesk ${name} --help".`;
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(e.message)?.[1] ?? '';
    const known = Object.keys(spec.flags).map((f) => `--${f}`);
    return new UserError(
      `"exportdesk ${name}" has no flag "${flag}"; ${known.length ? `its flags: ${known.join(', ')}` : 'it takes none'}. ${more}`,
    );
  }
  return new UserError(`${e.message.replace(/\.?$/, '.')} ${more}`);
}

/** Parses one command's arguments by its entry in the table: unknown flags and missing arguments are refused. */
export function parseCommand<N extends CommandName>(name: N, args: readonly string[]): Parsed<N> {
  const spec: CommandSpec = COMMANDS[name];
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    // The table's entries are node:util's options; it ignores the keys that are only for the help.
    parsed = parseArgs({ args: [...args], allowPositionals: true, strict: true, options: spec.flags });
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw parseError(name, spec, e as Error);
    throw e;
  }
  const { positionals } = parsed;
  const usage = `usage: ${synopsis(name)}`;
  const missing = spec.args.slice(positionals.length).find((a) => !a.optional);
  if (missing) throw new UserError(`${missing.missing ?? `${missing.name} is missing.`}\n${usage}`);
  if (!spec.args.some((a) => a.many) && positionals.length > spec.args.length) {
    const extra = positionals.slice(spec.args.length).map((p) => `"${p}"`);
    throw new UserError(`Too many arguments: ${extra.join(' ')} (quote a name with spaces).\n${usage}`);
  }
  return parsed as Parsed<N>;
}
