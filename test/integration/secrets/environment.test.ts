import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { openSecretStore, secretAccount, type SecretStore } from '../../../electron/secrets/store.ts';
import { secretEnvName, withoutSecrets } from '../../../shared/secret-env.ts';
import type { Connection } from '../../../shared/api.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniSimulator, type OmniSimulator } from '../../simulators/omni.ts';
import { envWithoutSession } from './run-child.ts';

// Secrets given as EXPORTDESK_SECRET_<CONNECTION>_<FIELD>, for machines with no OS keychain (servers,
// cron, CI runners, containers), and what the command line says where no keychain works.

const KEY = 'omni-env-key-5d1e9b';
const OTHER_KEY = 'omni-keychain-key-a7c3f0';
const REPO = path.resolve(import.meta.dirname, '../../..');
const VAR = 'EXPORTDESK_SECRET_ACME_EU_APIKEY';

let sim: OmniSimulator;
beforeAll(async () => {
  sim = await startOmniSimulator({ documents: 30, keys: [KEY, OTHER_KEY] });
});
afterAll(async () => {
  await sim.close();
});

describe('the environment variable of a secret field', () => {
  it('is the connection and field names upper-cased, other characters written as _', () => {
    expect(secretEnvName('acme-eu', 'apiKey')).toBe(VAR);
    expect(secretEnvName('Sales EU (prod)', 'sftpPrivateKey')).toBe(
      'EXPORTDESK_SECRET_SALES_EU__PROD__SFTPPRIVATEKEY',
    );
    expect(secretEnvName('ünï.2', 'clientSecret')).toBe('EXPORTDESK_SECRET__N__2_CLIENTSECRET');
  });

  it('is kept from programs that are not Export Desk (browser launchers)', () => {
    const env = { PATH: '/usr/bin', [VAR]: KEY, EXPORTDESK_HOME: '/data', EMPTY: undefined };
    expect(withoutSecrets(env)).toEqual({ PATH: '/usr/bin', EXPORTDESK_HOME: '/data' });
  });
});

describe('secrets from the environment, in-process', () => {
  let dir: string;
  let clock: FakeClock;
  let app: AppService | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-env-secret-'));
    clock = new FakeClock(Date.UTC(2025, 6, 1));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    removeTempDir(dir);
  });

  async function open(secrets: SecretStore, env: NodeJS.ProcessEnv): Promise<AppService> {
    app = await AppService.open({ dataDir: path.join(dir, 'data'), secrets, clock, env });
    return app;
  }
  /** A store as a machine without a keychain opens it: keytar absent, so secrets would stay in memory. */
  const noKeychain = () => openSecretStore({ loadKeytar: async () => undefined });

  async function cli(service: AppService, env: NodeJS.ProcessEnv, args: string[], stdin = '') {
    const io = testIO({ cwd: dir, stdin, env });
    const code = await clock.drive(main(args, io, service), 100_000);
    return { code, out: io.out.text, err: io.err.text };
  }

  const add = (extra: string[] = []) => [
    'connections',
    'add',
    'acme-eu',
    '--provider',
    'omni',
    '--base-url',
    sim.url,
    ...extra,
  ];

  function recipe(): string {
    const file = path.join(dir, 'docs.json');
    const query = { sortField: 'name', sortDirection: 'asc', pageSize: 20 };
    writeFileSync(file, JSON.stringify({ version: 1, connection: 'acme-eu', provider: 'omni', query }));
    return file;
  }

  async function list(service: AppService, env: NodeJS.ProcessEnv): Promise<Connection[]> {
    const r = await cli(service, env, ['connections', 'list', '--json']);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as Connection[];
  }

  it('refuses `connections add --secret` where no keychain works, changes nothing, and names the variable', async () => {
    const service = await open(await noKeychain(), {});
    const r = await cli(service, {}, add(['--secret', 'apiKey']), `${KEY}\n`);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('Added');
    expect(r.err).toContain(
      'No OS keychain is available (the keychain module (keytar) is not installed), so the secret cannot be stored; nothing was changed.',
    );
    expect(r.err).toContain(`give the secret in the environment instead: ${VAR}.`);
    expect(await list(service, {})).toEqual([]);
    expect(r.err + r.out).not.toContain(KEY);
  });

  it('exports with the key from the environment where no keychain works, and says which variable is missing', async () => {
    const service = await open(await noKeychain(), {});
    expect((await cli(service, {}, add())).code).toBe(0);

    // Without the variable: test and export say what to set, not a keychain command that cannot work.
    const test = await cli(service, {}, ['connections', 'test', 'acme-eu']);
    expect(test.code).toBe(1);
    expect(test.err).toContain('no OS keychain is available (the keychain module (keytar) is not installed)');
    expect(test.err).toContain(`Set ${VAR} in the environment instead.`);
    expect(test.err).not.toContain('--secret');
    const failed = await cli(service, {}, ['export', recipe(), '--out', 'none.csv']);
    expect(failed.code).not.toBe(0);
    expect(failed.err).toContain(`Set ${VAR} in the environment instead.`);
    expect(readdirSync(dir)).not.toContain('none.csv');
    await service.close();

    const env = { [VAR]: KEY };
    const withEnv = await open(await noKeychain(), env);
    const [c] = await list(withEnv, env);
    expect(c?.secrets).toEqual({ apiKey: true });
    expect(c?.secretsFromEnv).toEqual({ apiKey: VAR });
    const ok = await cli(withEnv, env, ['export', recipe(), '--out', 'docs.csv']);
    expect(ok.code, ok.err).toBe(0);
    const lines = readFileSync(path.join(dir, 'docs.csv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(31);
    expect(sim.calls.filter((call) => call.key === KEY).length).toBeGreaterThan(0);
  });

  it('prefers the keychain when it holds a value, and reads the environment otherwise', async () => {
    const keychain = standInKeychain();
    const env = { [VAR]: KEY };
    const service = await open(keychain, env);
    expect((await cli(service, env, add())).code).toBe(0);
    const before = sim.calls.length;
    expect((await cli(service, env, ['connections', 'test', 'acme-eu'])).code).toBe(0);
    expect(sim.calls.slice(before).every((call) => call.key === KEY)).toBe(true);

    const [c] = await list(service, env);
    await keychain.set(secretAccount(c!.id, 'apiKey'), OTHER_KEY);
    const [stored] = await list(service, env);
    expect(stored?.secretsFromEnv).toBeUndefined();
    const mark = sim.calls.length;
    expect((await cli(service, env, ['connections', 'test', 'acme-eu'])).code).toBe(0);
    const used = sim.calls.slice(mark).map((call) => call.key);
    expect(used.length).toBeGreaterThan(0);
    expect(used.every((k) => k === OTHER_KEY)).toBe(true);
  });
});

describe('the real command with no D-Bus session at all', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-env-cli-'));
  });
  afterEach(() => removeTempDir(dir));

  function exportdesk(args: string[], env: NodeJS.ProcessEnv) {
    return new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(REPO, 'bin', 'exportdesk.mjs'), ...args],
        { cwd: dir, env, timeout: 60_000 },
        (error, out, err) => resolve({ code: error ? Number(error.code ?? -1) : 0, out, err }),
      );
    });
  }

  it('exports Omni documents with the key only in EXPORTDESK_SECRET_…', async () => {
    const env = envWithoutSession({ EXPORTDESK_HOME: path.join(dir, 'home') });
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const added = await exportdesk(
      ['connections', 'add', 'acme-eu', '--provider', 'omni', '--base-url', sim.url],
      env,
    );
    expect(added.code, added.err).toBe(0);
    const file = path.join(dir, 'docs.json');
    const query = { sortField: 'name', sortDirection: 'asc', pageSize: 20 };
    writeFileSync(file, JSON.stringify({ version: 1, connection: 'acme-eu', provider: 'omni', query }));

    const run = await exportdesk(['export', file, '--out', 'docs.json', '--format', 'json'], {
      ...env,
      [VAR]: KEY,
    });
    expect(run.code, run.err).toBe(0);
    const rows = JSON.parse(readFileSync(path.join(dir, 'docs.json'), 'utf8')) as unknown[];
    expect(rows).toHaveLength(30);
    expect(run.out + run.err).not.toContain(KEY);
  });
});
