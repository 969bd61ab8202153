import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeytar } from '../../../electron/secrets/load-keytar.ts';
import { openSecretStore, secretAccount, secretAccountPrefix } from '../../../electron/secrets/store.ts';
import { removeTempDirAsync } from '../../helpers/temp-dir.ts';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../../..');
const REQUIRE_KEYCHAIN = process.env.EXPORTDESK_REQUIRE_KEYCHAIN === '1';
const HAS_SESSION = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
const SKIP_REASON = 'no Secret Service in this environment (run npm test, which starts one)';

// Each run has its own service name, so a developer's real 'Export Desk' secrets are never touched.
const service = `Export Desk test ${randomUUID()}`;
const SAVED_ENV = ['EXPORTDESK_HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME'] as const;

/** Every file under `dir` that contains `text` as UTF-8 or UTF-16 bytes. */
async function filesContaining(dir: string, text: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const bytes = await fs.readFile(file);
    if (bytes.includes(Buffer.from(text, 'utf8')) || bytes.includes(Buffer.from(text, 'utf16le')))
      hits.push(file);
  }
  return hits;
}

/** Reads one entry with keytar in a separate Node process, as the CLI would while the app runs. */
async function readFromAnotherProcess(account: string): Promise<string> {
  const script =
    'require("keytar").getPassword(process.argv[1], process.argv[2])' +
    '.then((v) => process.stdout.write(JSON.stringify(v)), (e) => { console.error(e.message); process.exit(1); })';
  const { stdout } = await run(process.execPath, ['-e', script, service, account], { cwd: REPO });
  return JSON.parse(stdout) as string;
}

describe('secret store on the real OS keychain', () => {
  let dataDir = '';
  let savedCwd = '';
  const savedEnv: Partial<Record<(typeof SAVED_ENV)[number], string>> = {};

  beforeAll(async () => {
    // Point every place an app could write to at a temp folder, so the test can look for the secret there.
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'exportdesk-secrets-'));
    savedCwd = process.cwd();
    for (const name of SAVED_ENV) {
      savedEnv[name] = process.env[name];
      process.env[name] = path.join(dataDir, name.toLowerCase());
    }
    process.chdir(dataDir);
  });

  afterAll(async () => {
    process.chdir(savedCwd);
    for (const name of SAVED_ENV) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    if (HAS_SESSION) {
      const keytar = await loadKeytar().catch(() => undefined);
      for (const { account } of (await keytar?.findCredentials(service).catch(() => [])) ?? []) {
        await keytar?.deletePassword(service, account);
      }
    }
    await removeTempDirAsync(dataDir);
  });

  it('stores, reads, overwrites, lists by prefix and deletes secrets', async (ctx) => {
    if (!REQUIRE_KEYCHAIN && !HAS_SESSION) ctx.skip(SKIP_REASON);

    const store = await openSecretStore({ service });
    expect(store.kind, `expected the OS keychain, got memory: ${store.warning}`).toBe('keychain');
    expect(store.warning).toBeUndefined();

    const token = secretAccount('c1', 'token');
    const password = secretAccount('c1', 'password');
    const other = secretAccount('c2', 'token');
    const first = `first-${randomUUID()}`;
    const second = `second-${randomUUID()}`;

    expect(await store.get(token)).toBeUndefined();
    await store.set(token, first);
    expect(await store.get(token)).toBe(first);
    await store.set(token, second);
    expect(await store.get(token)).toBe(second);
    expect(await readFromAnotherProcess(token)).toBe(second);

    await store.set(password, `pw-${randomUUID()}`);
    await store.set(other, `other-${randomUUID()}`);
    expect(await store.has(password)).toBe(true);

    // A store opened later (the CLI next to the app) sees what the first one stored.
    const again = await openSecretStore({ service });
    expect(await again.get(token)).toBe(second);

    expect(await filesContaining(dataDir, second)).toEqual([]);

    expect(await store.deleteByPrefix(secretAccountPrefix('c1'))).toBe(2);
    expect(await store.has(token)).toBe(false);
    expect(await store.has(password)).toBe(false);
    expect(await store.get(other)).toMatch(/^other-/);

    expect(await store.delete(other)).toBe(true);
    expect(await store.delete(other)).toBe(false);

    // Nothing is left in the keychain under this service, not even the startup probe's entry.
    const keytar = await loadKeytar();
    expect(await keytar?.findCredentials(service)).toEqual([]);
  });
});
