import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../base/user-error.ts';
import { COMMANDS, type CommandName, type CommandSpec, type FlagSpec } from './commands.ts';
import { synopsis } from './help.ts';

type FlagValue<F extends FlagSpec> = F['type'] extends 'boolean'
  ? F['multiple'] extends true
    ? boolean[]
    : boolean
  : F['multiple'] extends true
    ? string[]
    : string;

export type FlagValues<F extends Readonly<Record<string, FlagSpec>>> = {
  -readonly [K in keyof F]?: FlagValue<F[K]>;
};

export interface Parsed<N extends CommandName> {
  values: FlagValues<(typeof COMMANDS)[N]['flags']>;
  positionals: string[];
}

/** node:util's options, taken from the table. */
export function parserOptions(
  flags: Readonly<Record<string, FlagSpec>>,
): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [
      name,
      { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) },
    ]),
  );
}

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
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: parserOptions(spec.flags),
    });
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
