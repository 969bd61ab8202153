import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { COMMAND_NAMES } from '../../../electron/cli/commands.ts';
import { synopsis } from '../../../electron/cli/help.ts';
import { main } from '../../../electron/cli/main.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { secretAccount } from '../../../electron/secrets/store.ts';
import type { Connection } from '../../../shared/api.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import type { SecretStore } from '../../../electron/secrets/store.ts';

const KEY = 'sk-test-4f9a2c7e1b';
let sim: OmniqSimulator;
let keyedSim: OmniqSimulator;
let dir: string;
let clock: FakeClock;
let secrets: SecretStore;
let app: AppService;

beforeAll(async () => {
  sim = await startOmniqSimulator({ counts: { agents: 12 } });
  keyedSim = await startOmniqSimulator({ counts: { agents: 12 }, apiKey: KEY });
});
afterAll(async () => {
  await sim.close();
  await keyedSim.close();
});

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-conn-'));
  clock = new FakeClock(Date.UTC(2026, 0, 1));
  secrets = standInKeychain();
  app = await AppService.open({ dataDir: path.join(dir, 'data'), secrets, clock });
});
afterEach(async () => {
  await app.close();
  removeTempDir(dir);
});

/** Runs the CLI in-process; time only moves when the command sleeps (retries), so nothing waits for real. */
async function run(args: string[], stdin = '') {
  const io = testIO({ cwd: dir, stdin });
  const code = await clock.drive(main(args, io, app));
  return { code, out: io.out.text, err: io.err.text };
}

const connectionsFile = () => path.join(dir, 'data', 'connections.json');
const readConnectionsFile = () =>
  existsSync(connectionsFile()) ? readFileSync(connectionsFile(), 'utf8') : undefined;

async function listJson(): Promise<Connection[]> {
  const r = await run(['connections', 'list', '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Connection[];
}

function addArgs(name: string, baseUrl: string, ...extra: string[]): string[] {
  return [
    'connections',
    'add',
    name,
    '--provider',
    'omniq',
    '--base-url',
    baseUrl,
    '--set',
    'tenantId=ACME-TENANT01',
    ...extra,
  ];
}

/** A port nothing listens on: bound by us a moment ago, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('exportdesk providers', () => {
  it('lists OmniQ with its connection and query fields, marking the secret one', async () => {
    const r = await run(['providers']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^omniq — OmniQ/m);
    expect(r.out).toMatch(/baseUrl\s+API address \(required, url\)/);
    expect(r.out).toMatch(/tenantId\s+Tenant id \(required, text\)/);
    expect(r.out).toMatch(/apiKey\s+.*\(optional, secret, kept in the keychain\)/);
    expect(r.out).toMatch(/index\s+Entity \(index\)/);
    expect(r.out).toContain('communications');
    expect(r.out).toContain(
      'period: one of today, yesterday, last-7-days, this-month, since-last-run; or startDate and endDate as UTC days, YYYY-MM-DD (end included)',
    );
  });

  it('--json gives the same facts as data a script can read', async () => {
    const r = await run(['providers', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as Array<{
      id: string;
      connectionFields: Array<{ key: string; kind: string; required: boolean }>;
      secretFields: string[];
      queryFields: Array<{ key: string }>;
      defaultQuery: unknown;
    }>;
    const omniq = list.find((p) => p.id === 'omniq');
    expect(omniq).toBeDefined();
    expect(omniq?.secretFields).toEqual(['apiKey']);
    expect(omniq?.connectionFields.map((f) => f.key)).toEqual(['baseUrl', 'tenantId', 'apiKey', 'pageSize']);
    expect(omniq?.connectionFields.find((f) => f.key === 'apiKey')?.kind).toBe('secret');
    expect(omniq?.connectionFields.find((f) => f.key === 'tenantId')?.required).toBe(true);
    expect(omniq?.queryFields.map((f) => f.key)).toContain('index');
    expect(omniq?.defaultQuery).toEqual({ index: 'communications', filterBy: { createdAt: 'yesterday' } });
    // A date range says where its ends and periods go in the recipe, and in what form.
    const cxone = list.find((p) => p.id === 'cxone') as unknown as {
      queryFields: Array<{ key: string; kind: string; dateRange?: Record<string, unknown> }>;
      defaultQuery: unknown;
    };
    const days = cxone.queryFields.find((f) => f.kind === 'date-range');
    expect(days?.dateRange).toMatchObject({
      precision: 'day',
      wire: 'utc-day',
      from: 'startDate',
      to: 'endDate',
    });
    expect(cxone.defaultQuery).toEqual({ entityName: 'qm-workflows', version: '3', period: 'last-7-days' });
  });
});

describe('exportdesk connections', () => {
  it('adds a connection with its key read from standard input and never shows the key', async () => {
    const add = await run(
      addArgs('Acme', sim.url, '--set', 'pageSize=200', '--secret', 'apiKey'),
      `${KEY}\n`,
    );
    expect(add.code, add.err).toBe(0);
    expect(add.out).toContain('Added connection "Acme" (omniq)');
    expect(add.err).toBe('');

    const list = await run(['connections', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^Acme\tomniq\thttp:\/\/127\.0\.0\.1:\d+\tapiKey: stored$/m);

    const [c, ...others] = await listJson();
    expect(others).toEqual([]);
    expect(c?.secrets).toEqual({ apiKey: true });
    expect(c?.settings).toEqual({ baseUrl: sim.url, tenantId: 'ACME-TENANT01', pageSize: 200 });
    expect(await secrets.get(secretAccount(c?.id ?? '', 'apiKey'))).toBe(KEY);

    const all = [add.out, add.err, list.out, list.err, JSON.stringify(c), readConnectionsFile() ?? ''];
    for (const text of all) expect(text).not.toContain(KEY);
  });

  it('lists no connections with a hint on how to add one', async () => {
    const r = await run(['connections', 'list']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('exportdesk connections add');
    expect(await listJson()).toEqual([]);
  });

  it.each([
    ['an address that is not a URL', addArgs('Bad', 'not a url'), /baseUrl: Enter the API address/],
    ['an ftp address', addArgs('Bad', 'ftp://127.0.0.1/'), /baseUrl: Enter the API address/],
    [
      'an unknown field',
      addArgs('Bad', 'http://127.0.0.1:1', '--set', 'colour=blue'),
      /"colour" is not a omniq connection field\. Fields: baseUrl, tenantId, apiKey, pageSize/,
    ],
    [
      'a page size that is not a number',
      addArgs('Bad', 'http://127.0.0.1:1', '--set', 'pageSize=lots'),
      /--set pageSize: "lots" is not a number/,
    ],
    [
      'a page size above the limit',
      addArgs('Bad', 'http://127.0.0.1:1', '--set', 'pageSize=50000'),
      /pageSize: .*10000/,
    ],
    [
      'an unknown provider',
      ['connections', 'add', 'Bad', '--provider', 'nope', '--set', 'tenantId=X'],
      /Unknown provider "nope"\. Run "exportdesk providers"/,
    ],
    ['no provider', ['connections', 'add', 'Bad', '--set', 'tenantId=X'], /--provider ID/],
    [
      'a secret passed with --set',
      addArgs('Bad', 'http://127.0.0.1:1', '--set', `apiKey=${KEY}`),
      /"apiKey" is a secret: pass --secret apiKey/,
    ],
    [
      'an unknown secret',
      addArgs('Bad', 'http://127.0.0.1:1', '--secret', 'password'),
      /"password" is not a secret of omniq connections\. Secrets: apiKey/,
    ],
    [
      'a missing tenant id',
      ['connections', 'add', 'Bad', '--provider', 'omniq', '--base-url', 'http://127.0.0.1:1'],
      /tenantId: /,
    ],
    [
      'a secret asked for but not piped in',
      addArgs('Bad', 'http://127.0.0.1:1', '--secret', 'apiKey'),
      /No value for secret "apiKey"/,
    ],
    ['an unknown option', addArgs('Bad', 'http://127.0.0.1:1', '--colour', 'blue'), /colour/],
  ])('refuses %s with exit code 2, says what to fix and changes nothing', async (_name, args, message) => {
    const check = async () => {
      const before = readConnectionsFile();
      const r = await run(args, args.includes('--secret') && args.includes('apiKey') ? '' : `${KEY}\n`);
      expect(r.code, r.out + r.err).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toContain('    at '); // no stack trace
      expect(r.out).toBe('');
      expect(r.err).not.toContain(KEY);
      expect(readConnectionsFile()).toBe(before);
    };
    // Once on a fresh data folder (no file is created), once next to an existing connection.
    await check();
    expect(readConnectionsFile()).toBeUndefined();
    expect((await run(addArgs('Acme', sim.url, '--secret', 'apiKey'), `${KEY}\n`)).code).toBe(0);
    await check();
    const list = await listJson();
    expect(list.map((c) => c.name)).toEqual(['Acme']);
    expect(list[0]?.settings).toEqual({ baseUrl: sim.url, tenantId: 'ACME-TENANT01', pageSize: 500 });
  });

  it('does not store the secret of a connection it refused', async () => {
    const r = await run(addArgs('Bad', 'not a url', '--secret', 'apiKey'), `${KEY}\n`);
    expect(r.code).toBe(2);
    expect(await secrets.deleteByPrefix('connection:')).toBe(0);
  });

  it('updates a connection added again under the same name, keeping what was not given', async () => {
    expect((await run(addArgs('Acme', sim.url, '--secret', 'apiKey'), `${KEY}\n`)).code).toBe(0);
    const [first] = await listJson();

    const again = await run(['connections', 'add', 'acme', '--set', 'pageSize=50']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('Updated connection "acme" (omniq)');
    const [updated, ...others] = await listJson();
    expect(others).toEqual([]);
    expect(updated?.id).toBe(first?.id);
    expect(updated?.settings).toEqual({ baseUrl: sim.url, tenantId: 'ACME-TENANT01', pageSize: 50 });
    expect(updated?.secrets).toEqual({ apiKey: true });

    const newKey = `${KEY}-rotated`;
    const rotated = await run(['connections', 'add', 'Acme', '--secret', 'apiKey'], `${newKey}\n`);
    expect(rotated.code, rotated.err).toBe(0);
    expect(await secrets.get(secretAccount(first?.id ?? '', 'apiKey'))).toBe(newKey);
    expect((await listJson()).length).toBe(1);
  });

  it('tests a working connection: exit 0 and "Connected"', async () => {
    expect((await run(addArgs('Acme', sim.url))).code).toBe(0);
    const r = await run(['connections', 'test', 'Acme']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Connected to OmniQ as tenant ACME-TENANT01: 12 agents visible.');

    expect((await run(addArgs('Keyed', keyedSim.url, '--secret', 'apiKey'), `${KEY}\n`)).code).toBe(0);
    const keyed = await run(['connections', 'test', 'Keyed']);
    expect(keyed.code, keyed.err).toBe(0);
    expect(keyed.out).toContain('Connected');
    expect(keyedSim.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('tests a connection with a wrong key: exit 1, the 401 and what to check', async () => {
    const wrong = 'sk-test-wrong-000000';
    expect((await run(addArgs('Keyed', keyedSim.url, '--secret', 'apiKey'), `${wrong}\n`)).code).toBe(0);
    const r = await run(['connections', 'test', 'Keyed']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Failed: .*401.*Unauthorized/m);
    expect(r.err).toContain('Check the tenant id and the API key of this connection.');
    expect(r.out + r.err).not.toContain(wrong);
  });

  it('tests a connection to a server that is down: exit 1 and a network hint', async () => {
    const port = await closedPort();
    expect((await run(addArgs('Down', `http://127.0.0.1:${port}`))).code).toBe(0);
    const r = await run(['connections', 'test', 'Down']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Failed: .*ECONNREFUSED/m);
    expect(r.err).toContain(`127.0.0.1:${port}`);
    expect(r.err).toMatch(/Check your network connection|Retry later/);
  });

  it('tests and removes only connections that exist', async () => {
    const t = await run(['connections', 'test', 'Ghost']);
    expect(t.code).toBe(2);
    expect(t.err).toContain('No connection named "Ghost"');
    const rm = await run(['connections', 'remove', 'Ghost']);
    expect(rm.code).toBe(2);
    expect(rm.err).toContain('No connection named "Ghost"');
  });

  it.each([
    [
      'cxone',
      ['--set', 'accessKeyId=KEY-ID'],
      ['--set region=custom', '--set apiBaseUrl=URL', '--set authBaseUrl=URL'],
    ],
    ['myreports', ['--set', 'clientId=desk-client'], ['--set region=custom', '--set apiBaseUrl=URL']],
    [
      'intelepeer',
      ['--set', 'username=api', '--set', 'sftpHost=sftp.example.com', '--set', 'sftpUsername=r'],
      ['--set apiBaseUrl=URL', '--set authUrl=URL'],
    ],
  ])('refuses --base-url for %s with exit 2, naming the fields to set instead', async (id, fields, hints) => {
    const before = readConnectionsFile();
    const args = ['connections', 'add', 'Lab', '--provider', id, '--base-url', 'http://127.0.0.1:1'];
    const r = await run([...args, ...fields]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain('--base-url does not fit');
    for (const hint of hints) expect(r.err).toContain(hint);
    expect(readConnectionsFile()).toBe(before);
    // The same settings without --base-url are accepted.
    expect((await run(args.slice(0, 5).concat(fields))).code).toBe(0);
  });

  it('lists each connection with its address, whichever setting holds it', async () => {
    const add = async (name: string, id: string, ...set: string[]) => {
      const args = ['connections', 'add', name, '--provider', id, ...set.flatMap((s) => ['--set', s])];
      const r = await run(args);
      expect(r.code, r.err).toBe(0);
    };
    await add('Cx', 'cxone', 'region=eu1', 'accessKeyId=K');
    await add(
      'CxLab',
      'cxone',
      'region=custom',
      'apiBaseUrl=http://127.0.0.1:9/',
      'authBaseUrl=http://127.0.0.1:9/',
      'accessKeyId=K',
    );
    await add('Xr', 'myreports', 'region=uk', 'clientId=c');
    await add('Ip', 'intelepeer', 'username=u', 'sftpHost=sftp.example.com', 'sftpUsername=s');
    await add('Om', 'omni', 'baseUrl=https://myorg.omniapp.co');
    const list = await run(['connections', 'list']);
    expect(list.code).toBe(0);
    const address = (name: string) =>
      list.out
        .split('\n')
        .find((l) => l.startsWith(`${name}\t`))
        ?.split('\t')[2];
    expect(address('Cx')).toBe('https://eu1.niceincontact.com');
    expect(address('CxLab')).toBe('http://127.0.0.1:9/');
    expect(address('Xr')).toBe('https://api.uk.myreports.cloud');
    expect(address('Ip')).toBe('https://api.intelepeer.com');
    expect(address('Om')).toBe('https://myorg.omniapp.co');
  });

  it('removes a connection together with its stored secret', async () => {
    expect((await run(addArgs('Acme', sim.url, '--secret', 'apiKey'), `${KEY}\n`)).code).toBe(0);
    expect((await run(addArgs('Other', sim.url, '--secret', 'apiKey'), 'sk-other-key\n')).code).toBe(0);
    const [acme, other] = await listJson();
    const account = secretAccount(acme?.id ?? '', 'apiKey');
    expect(await secrets.has(account)).toBe(true);

    const r = await run(['connections', 'remove', 'Acme']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Removed connection "Acme" and its stored secrets.');
    expect(await secrets.has(account)).toBe(false);
    expect((await listJson()).map((c) => c.name)).toEqual(['Other']);
    expect(readConnectionsFile()).not.toContain(acme?.id ?? '');
    // The other connection keeps its key.
    expect(await secrets.get(secretAccount(other?.id ?? '', 'apiKey'))).toBe('sk-other-key');
  });
});

describe('exportdesk usage', () => {
  it('prints help with exit code 0', async () => {
    for (const arg of ['help', '--help', '-h']) {
      const r = await run([arg]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('exportdesk connections add NAME [--provider ID]');
      expect(r.out).toContain('Exit codes');
    }
  });

  it.each(COMMAND_NAMES)(
    '"%s" prints its own help with --help, and refuses a flag it does not have',
    async (name) => {
      const words = name.split(' ');
      for (const args of [
        [...words, '--help'],
        [...words, 'x', '-h'],
        ['help', ...words],
      ]) {
        const help = await run(args);
        expect(help.code, args.join(' ')).toBe(0);
        expect(help.out).toContain(`usage: ${synopsis(name)}\n`);
        expect(help.out).toContain('Examples:');
      }
      const bad = await run([...words, 'x', 'y', '--no-such-flag']);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain(`"exportdesk ${name}" has no flag "--no-such-flag"`);
      expect(bad.err).toContain(`See "exportdesk ${name} --help".`);
      expect(bad.out).toBe('');
    },
  );

  it('lists the connections commands for "connections --help", and asks for one without it', async () => {
    const help = await run(['connections', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain(synopsis('connections signin'));
    const none = await run(['connections']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('Say which "connections" command.');
    expect(none.err).toContain(synopsis('connections lookup'));
  });

  it('prints help with exit code 2 when no command is given', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('exportdesk export RECIPE.json');
  });

  it('refuses an unknown command or subcommand with exit code 2 and the usage', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Unknown command "frobnicate"');
    expect(r.err).toContain('exportdesk providers');
    const sub = await run(['connections', 'rename', 'A', 'B']);
    expect(sub.code).toBe(2);
    expect(sub.err).toContain('usage:');
    expect(sub.err).toContain('exportdesk connections add');
  });
});
