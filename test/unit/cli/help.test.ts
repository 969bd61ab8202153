import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../electron/base/user-error.ts';
import {
  COMMAND_NAMES,
  COMMANDS,
  type CommandName,
  type CommandSpec,
} from '../../../electron/cli/commands.ts';
import { commandHelp, groupHelp, overviewHelp, synopsis } from '../../../electron/cli/help.ts';
import { parseCommand } from '../../../electron/cli/parse.ts';

/** The arguments after `exportdesk COMMAND` in an example's shell line (examples quote nothing there). */
function exampleArgs(name: CommandName, line: string): string[] {
  const words = line.slice(line.indexOf('exportdesk ') + 'exportdesk '.length).split(' ');
  expect(words.slice(0, name.split(' ').length).join(' '), line).toBe(name);
  return words.slice(name.split(' ').length);
}

describe('the help', () => {
  it.each(COMMAND_NAMES)('lists every flag "%s" accepts, in the overview and its own help', (name) => {
    const own = commandHelp(name);
    const overview = overviewHelp();
    expect(overview).toContain(`  ${synopsis(name)}\n`);
    for (const [flag, option] of Object.entries((COMMANDS[name] as CommandSpec).flags)) {
      expect(synopsis(name)).toContain(`--${flag}`);
      expect(own).toMatch(new RegExp(`^  ${option.short ? `-${option.short}, ` : ''}--${flag}\\b`, 'm'));
    }
    expect(own).toMatch(/^ {2}-h, --help\b/m);
  });

  it.each(COMMAND_NAMES)('gives "%s" an example the parser accepts', (name) => {
    const { examples } = COMMANDS[name];
    expect(examples.length).toBeGreaterThan(0);
    expect(overviewHelp()).toContain(`e.g. ${examples[0].line}\n`);
    for (const e of examples) {
      expect(commandHelp(name)).toContain(`# ${e.what}\n  ${e.line}`);
      expect(() => parseCommand(name, exampleArgs(name, e.line))).not.toThrow();
    }
  });

  it('matches the README, which shows every command as the help does', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const name of COMMAND_NAMES) expect(readme).toContain(`\n${synopsis(name)}\n`);
  });

  it('lists the connections commands as a group', () => {
    const group = groupHelp('connections');
    for (const name of COMMAND_NAMES)
      if (name.startsWith('connections ')) expect(group).toContain(synopsis(name));
    expect(group).not.toContain(synopsis('export'));
  });

  it('names the fields that replace --base-url for each provider without a baseUrl', () => {
    const help = commandHelp('connections add');
    expect(help).toMatch(/^ {2}cxone: +--set region=custom --set apiBaseUrl=URL --set authBaseUrl=URL$/m);
    expect(help).toMatch(/^ {2}myreports: +--set region=custom --set apiBaseUrl=URL$/m);
    expect(help).toMatch(/^ {2}intelepeer: +--set apiBaseUrl=URL --set authUrl=URL$/m);
    expect(help).not.toMatch(/^ {2}omniq?:/m);
  });
});

describe('parseCommand', () => {
  it('returns the flags by their names and the arguments in order', () => {
    const { values, positionals } = parseCommand('connections add', [
      'acme',
      '--set',
      'a=1',
      '--provider',
      'omniq',
      '--set',
      'b=2',
    ]);
    expect(positionals).toEqual(['acme']);
    expect(values).toEqual({ provider: 'omniq', set: ['a=1', 'b=2'] });
    expect(parseCommand('export', ['r.json', '-o', 'out.csv']).values.out).toBe('out.csv');
  });

  const refusal = (name: CommandName, args: string[]): string => {
    try {
      parseCommand(name, args);
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return (e as Error).message;
    }
    throw new Error(`accepted ${args.join(' ')}`);
  };

  it('refuses a flag the command does not have, naming the ones it has', () => {
    expect(refusal('export', ['r.json', '--colour', 'red'])).toBe(
      '"exportdesk export" has no flag "--colour"; its flags: --out, --format, --totals, --json. See "exportdesk export --help".',
    );
    expect(refusal('connections test', ['acme', '--json'])).toContain('it takes none');
  });

  it('refuses a missing or an extra argument with the command’s usage', () => {
    expect(refusal('connections remove', [])).toBe(
      'Name the connection to remove.\nusage: exportdesk connections remove NAME',
    );
    expect(refusal('connections lookup', ['acme'])).toContain('Name the list');
    expect(refusal('export', ['a.json', 'b.json'])).toMatch(/^Too many arguments: "b\.json"/);
    expect(parseCommand('connections lookup', ['x', 'reports', 'a=1', 'b=2']).positionals).toHaveLength(4);
  });

  it('refuses a flag without its value', () => {
    expect(refusal('export', ['r.json', '--out'])).toContain('See "exportdesk export --help".');
  });
});
