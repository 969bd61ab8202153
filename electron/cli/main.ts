import { defaultDataDir } from '../app/paths.ts';
import { AppService } from '../app/service.ts';
import { UserError } from '../app/user-error.ts';
import { connectionsCommand } from './connections-command.ts';
import { exportCommand } from './export-command.ts';
import { EXIT, processIO, type CliIO } from './io.ts';
import { printableIO } from './printable.ts';
import { providersCommand } from './providers-command.ts';

export const HELP = `exportdesk — run Export Desk exports without a window

  exportdesk providers [--json]                 vendors and the fields they need
  exportdesk connections add NAME --provider ID [--base-url URL] [--set field=value ...] [--secret field ...]
                                                 secrets are read from standard input (one per line) or asked for
  exportdesk connections list [--json]
  exportdesk connections remove NAME
  exportdesk connections test NAME
  exportdesk connections lookup NAME LIST [param=value ...] [--json]
  exportdesk export RECIPE.json [--out FILE] [--format csv|json|ndjson] [--json]

Data folder: the desktop app's (EXPORTDESK_HOME overrides it). Secrets live in the OS keychain.
Exit codes: 0 done, 1 export failed, 2 bad usage or recipe, 130 cancelled.
Recipe format: docs/recipe.schema.json and docs/recipes.md.`;

export async function main(argv: string[], rawIO: CliIO = processIO(), app?: AppService): Promise<number> {
  // Vendor messages, recipes and names reach the terminal: none of it may carry control sequences.
  const io = printableIO(rawIO);
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(`${HELP}\n`);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command === 'providers') return providersCommand(io, rest.includes('--json'));
  let service = app;
  try {
    if (!['connections', 'export'].includes(command))
      throw new UserError(`Unknown command "${command}".\n\n${HELP}`);
    service ??= await AppService.open({ dataDir: defaultDataDir(io.env), env: io.env });
    if (command === 'connections') return await connectionsCommand(service, io, rest);
    return await exportCommand(service, io, rest);
  } catch (e) {
    if (e instanceof UserError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`${(e as Error).message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`Error: ${(e as Error).message ?? String(e)}\n`);
    return EXIT.failed;
  } finally {
    if (!app) await service?.close();
  }
}
