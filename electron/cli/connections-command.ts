import { openBrowser } from './open-browser.ts';
import { addressSettings, connectionAddress } from '../../shared/providers/address.ts';
import { findProvider } from '../../shared/providers/index.ts';
import type { ProviderDefinition } from '../../shared/providers/types.ts';
import { UserError } from '../base/user-error.ts';
import { noKeychainForSecretMessage } from '../app/secret-advice.ts';
import type { CommandName } from './commands.ts';
import { EXIT, promptHidden, readStdin, type CliIO } from './io.ts';
import type { Runner } from './parse.ts';

/** `key=value`, split at the first `=`; the key may not be empty. */
function splitPair(pair: string, error: string): [string, string] {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new UserError(error);
  return [pair.slice(0, eq), pair.slice(eq + 1)];
}

function parseSetting(def: ProviderDefinition, pair: string): [string, unknown] {
  const [key, raw] = splitPair(pair, `--set expects field=value, got "${pair}".`);
  const field = def.connectionFields.find((f) => f.key === key);
  if (!field) {
    const known = def.connectionFields.map((f) => f.key).join(', ');
    throw new UserError(`"${key}" is not a ${def.id} connection field. Fields: ${known}.`);
  }
  if (field.kind === 'secret')
    throw new UserError(`"${key}" is a secret: pass --secret ${key} and type it or pipe it in.`);
  if (field.kind === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new UserError(`--set ${key}: "${raw}" is not a number.`);
    return [key, n];
  }
  if (field.kind === 'boolean') return [key, raw === 'true' || raw === '1' || raw === 'yes'];
  return [key, raw];
}

/**
 * `--base-url` is the whole address only where one `baseUrl` field holds it; elsewhere it would be stored
 * where nothing reads it, so the user is told which fields to set instead.
 */
function baseUrlSetting(def: ProviderDefinition, url: string): [string, string] {
  if (def.address.field === 'baseUrl' && !def.address.regions) return ['baseUrl', url];
  const label = (s: string) => {
    const key = s.slice(0, s.indexOf('='));
    return def.connectionFields.find((f) => f.key === key)?.label ?? key;
  };
  const settings = addressSettings(def);
  const width = Math.max(...settings.map((s) => s.length)) + 2;
  const fields = settings.map((s) => `  --set ${s.padEnd(width)}${label(s)}`);
  throw new UserError(
    `--base-url does not fit ${def.name} connections: their address is set with these fields instead.\n${fields.join('\n')}`,
  );
}

async function readSecrets(io: CliIO, fields: string[]): Promise<string[]> {
  if (fields.length === 0) return [];
  if (io.stdin.isTTY) {
    const values: string[] = [];
    for (const f of fields) values.push(await promptHidden(io, `${f}: `));
    return values;
  }
  // One value per line, in the order of the --secret flags.
  const lines = (await readStdin(io)).split(/\r?\n/);
  return fields.map((f, i) => {
    const v = lines[i];
    if (!v) throw new UserError(`No value for secret "${f}" on line ${i + 1} of standard input.`);
    return v;
  });
}

const add: Runner<'connections add'> = async (app, io, { values, positionals: [name = ''] }) => {
  const existing = await app.connections.find(name);
  const provider = values.provider ?? existing?.provider;
  if (!provider) throw new UserError('Say which provider: --provider ID (see "exportdesk providers").');
  const def = app.connections.provider(provider);
  const baseUrl = values['base-url'];
  const settings: Record<string, unknown> = {
    ...existing?.settings,
    ...(baseUrl !== undefined ? Object.fromEntries([baseUrlSetting(def, baseUrl)]) : {}),
    ...Object.fromEntries((values.set ?? []).map((pair) => parseSetting(def, pair))),
  };
  const secretFields = values.secret ?? [];
  const notSecret = secretFields.find((f) => !def.secretFields.includes(f));
  if (notSecret !== undefined)
    throw new UserError(
      `"${notSecret}" is not a secret of ${provider} connections. Secrets: ${def.secretFields.join(', ') || 'none'}.`,
    );
  // Validate everything before touching the keychain or the file, so bad input changes nothing.
  app.connections.validateSettings(provider, settings);
  if (secretFields.length > 0 && app.secrets.kind === 'memory') {
    // A secret kept in memory would be gone when this command ends: say so instead of "Added".
    io.stderr.write(`${noKeychainForSecretMessage(name, secretFields, app.secrets)}\n`);
    return EXIT.failed;
  }
  const secretValues = await readSecrets(io, secretFields);
  const saved = await app.connections.save({
    ...(existing ? { id: existing.id } : {}),
    name,
    provider,
    settings,
  });
  for (const [i, f] of secretFields.entries())
    await app.connections.setSecret(saved.id, f, secretValues[i] as string);
  io.stdout.write(`${existing ? 'Updated' : 'Added'} connection "${name}" (${provider}).\n`);
  return EXIT.ok;
};

/** The browser sign-in from a terminal: the page opens in the system browser, the tokens go to the keychain. */
const signIn: Runner<'connections signin'> = async (app, io, { positionals: [name = ''] }) => {
  const { url } = await app.signIns.begin(name);
  io.stderr.write(`Open this page to sign in (it waits up to 10 minutes):\n  ${url}\n`);
  let waiting = true;
  if (io.stdout.isTTY || io.stderr.isTTY) {
    void (io.openBrowser ?? openBrowser)(url).then((opened) => {
      if (!opened && waiting)
        io.stderr.write(
          'No browser could be opened: open the address above in a browser on this computer.\n',
        );
    });
  } else {
    io.stdout.write(
      'No browser was opened (not a terminal): open the sign-in address printed on standard error.\n',
    );
  }
  const result = await app.signIns.result(name).finally(() => {
    waiting = false;
  });
  (result.signedIn ? io.stdout : io.stderr).write(`${result.message}\n`);
  if (result.signedIn && app.secrets.kind === 'memory')
    io.stderr.write(
      `Warning: ${app.secrets.warning ?? 'no keychain'} The sign-in is kept for this run only.\n`,
    );
  return result.signedIn ? EXIT.ok : EXIT.failed;
};

/** The `connections` commands, each given its parsed arguments. */
export const CONNECTIONS_COMMANDS: { [N in Extract<CommandName, `connections ${string}`>]: Runner<N> } = {
  'connections add': add,
  'connections list': async (app, io, { values }) => {
    const list = await app.connections.list();
    if (values.json) {
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return EXIT.ok;
    }
    if (list.length === 0)
      io.stdout.write('No connections yet. Add one with "exportdesk connections add".\n');
    for (const c of list) {
      const def = findProvider(c.provider);
      const secrets = Object.entries(c.secrets)
        .map(([k, v]) => `${k}: ${v ? 'stored' : 'not set'}`)
        .join(', ');
      io.stdout.write(
        `${c.name}\t${c.provider}\t${def ? connectionAddress(def, c.settings) : ''}${secrets ? `\t${secrets}` : ''}\n`,
      );
    }
    return EXIT.ok;
  },
  'connections remove': async (app, io, { positionals: [name = ''] }) => {
    if (!(await app.connections.remove(name))) throw new UserError(`No connection named "${name}".`);
    io.stdout.write(`Removed connection "${name}" and its stored secrets.\n`);
    return EXIT.ok;
  },
  'connections test': async (app, io, { positionals: [name = ''] }) => {
    const result = await app.calls.test(name);
    (result.ok ? io.stdout : io.stderr).write(`${result.ok ? 'OK' : 'Failed'}: ${result.message}\n`);
    return result.ok ? EXIT.ok : EXIT.failed;
  },
  // What the vendor offers for a query field (users, workspaces, reports, remote jobs ...).
  'connections lookup': async (app, io, { values, positionals: [name = '', list = '', ...pairs] }) => {
    const params = Object.fromEntries(
      pairs.map((p) => splitPair(p, `Lookup parameters are param=value, got "${p}".`)),
    );
    const items = await app.calls.lookup(name, list, params);
    if (values.json) io.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    else
      for (const item of items)
        io.stdout.write(`${item.value}\t${item.label}${item.detail ? `\t${item.detail}` : ''}\n`);
    return EXIT.ok;
  },
  'connections signin': signIn,
};
