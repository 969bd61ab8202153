import { randomUUID } from 'node:crypto';
import { promises as fs, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { openSecretStore, type SecretStore } from '../../../electron/secrets/store.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { removeTempDirAsync } from '../../helpers/temp-dir.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';

/**
 * Runs the CLI through the ways a key could escape (a good run, a refused key, a vendor that echoes the
 * Authorization header in its error pages) and then looks for the key everywhere the app leaves traces.
 * With EXPORTDESK_REQUIRE_KEYCHAIN=1 (npm test) the key lives in the real OS keychain.
 */
const KEY = 'sk-live-0123456789abcdef';
const WRONG_KEY = 'sk-live-wrong-9999999999';
const REQUIRE_KEYCHAIN = process.env.EXPORTDESK_REQUIRE_KEYCHAIN === '1';

let sim: OmniqSimulator;
let dir: string;
let secrets: SecretStore;
let app: AppService;
const clock = new FakeClock(Date.UTC(2026, 2, 1));
const outputs: Array<{ args: string[]; code: number; out: string; err: string }> = [];

async function run(args: string[], stdin = '') {
  const io = testIO({ cwd: dir, stdin });
  const code = await clock.drive(main(args, io, app));
  const r = { args, code, out: io.out.text, err: io.err.text };
  outputs.push(r);
  return r;
}

const setKey = (key: string) => run(['connections', 'add', 'Acme', '--secret', 'apiKey'], `${key}\n`);

/** Error pages that repeat the request's headers back, as some misconfigured gateways do. */
const echoJson = JSON.stringify({
  error: 'Internal Server Error',
  request: { headers: { authorization: `Bearer ${KEY}`, 'x-tenant-id': 'ACME-TENANT01' } },
});
const echoHtml = `<html><body><h1>Server error</h1><pre>GET /getmydata\nAuthorization: Bearer ${KEY}\napi key ${KEY}</pre></body></html>`;

/** The ways the key could be written down: as typed, UTF-16 (Windows tools) and base64 (Basic auth). */
function forms(secret: string): Buffer[] {
  const b64 = Buffer.from(secret).toString('base64').replace(/=+$/, '');
  return [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le'), Buffer.from(b64)];
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  sim = await startOmniqSimulator({ apiKey: KEY, counts: { agents: 30 } });
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-leak-'));
  secrets = REQUIRE_KEYCHAIN
    ? await openSecretStore({ service: `Export Desk test ${randomUUID()}` })
    : standInKeychain();
  app = await AppService.open({ dataDir: path.join(dir, 'data'), secrets, clock });
  const recipe = path.join(dir, 'agents.json');
  writeFileSync(
    recipe,
    JSON.stringify({ version: 1, connection: 'Acme', provider: 'omniq', query: { index: 'agents' } }),
  );

  const add = [
    'connections',
    'add',
    'Acme',
    '--provider',
    'omniq',
    '--base-url',
    sim.url,
    '--set',
    'tenantId=ACME-TENANT01',
    '--set',
    'pageSize=10',
    '--secret',
    'apiKey',
  ];
  expect((await run(add, `${KEY}\n`)).code).toBe(0);
  expect((await run(['connections', 'list'])).code).toBe(0);
  expect((await run(['connections', 'list', '--json'])).code).toBe(0);
  const t0 = await run(['connections', 'test', 'Acme']);
  expect(t0.code, t0.err).toBe(0);

  const ok = await run(['export', recipe, '--out', 'ok.csv']);
  expect(ok.code, ok.err).toBe(0);

  expect((await setKey(WRONG_KEY)).code).toBe(0);
  const refused = await run(['export', recipe, '--out', 'refused.csv']);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain('401');
  expect((await run(['connections', 'test', 'Acme'])).code).toBe(1);

  expect((await setKey(KEY)).code).toBe(0);
  // A few echoing 500s the export recovers from (each retry is logged) ...
  sim.injectFaults(
    { kind: 'status', status: 500, body: echoJson },
    { kind: 'status', status: 502, body: echoHtml },
  );
  const recovered = await run(['export', recipe, '--out', 'recovered.csv']);
  expect(recovered.code, recovered.err).toBe(0);
  // ... and a vendor that keeps echoing until the export gives up and reports the last error page.
  sim.injectFaults(
    ...Array.from({ length: 20 }, () => ({ kind: 'status' as const, status: 500, body: echoJson })),
  );
  const failed = await run(['export', recipe, '--out', 'failed.csv']);
  expect(failed.code).toBe(1);
  expect(failed.err).toContain('500');
  sim.clearFaults();
  sim.injectFaults(
    ...Array.from({ length: 20 }, () => ({ kind: 'status' as const, status: 503, body: echoHtml })),
  );
  const failedJson = await run(['export', recipe, '--out', 'failed.csv', '--json']);
  expect(failedJson.code).toBe(1);
  sim.clearFaults();
  // A refusal is not retried: its page is shown to the user, and must arrive there without the key.
  sim.injectFaults({ kind: 'status', status: 403, body: echoHtml });
  const forbidden = await run(['export', recipe, '--out', 'forbidden.csv']);
  expect(forbidden.code).toBe(1);
  expect(forbidden.err).toMatch(/403[\s\S]*Authorization: \[redacted\]/);
  sim.injectFaults(
    ...Array.from({ length: 20 }, () => ({ kind: 'status' as const, status: 500, body: echoHtml })),
  );
  expect((await run(['connections', 'test', 'Acme'])).code).toBe(1);
  sim.clearFaults();
});

afterAll(async () => {
  await app?.close();
  await secrets?.deleteByPrefix('connection:');
  await sim?.close();
  await removeTempDirAsync(dir);
});

describe('the API key stays out of everything the app writes or prints', () => {
  it('is kept where it should be: the keychain when one is required, sent as a bearer token', async () => {
    expect(secrets.kind, secrets.warning).toBe('keychain');
    // The vendor saw the key, so it really was stored and used.
    expect(sim.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(sim.requests.some((r) => r.headers.authorization === `Bearer ${WRONG_KEY}`)).toBe(true);
  });

  it('is in no file under the data folder or the working folder', async () => {
    const files = await filesUnder(dir);
    const names = files.map((f) => path.relative(dir, f).split(path.sep).join('/'));
    // The places a leak would land exist, so the search below is not vacuous.
    expect(names).toContain('data/exportdesk.log');
    expect(names).toContain('data/connections.json');
    expect(names.filter((n) => /^data\/jobs\/[^/]+\/job\.json$/.test(n)).length).toBe(6);
    expect(names.some((n) => /^data\/jobs\/[^/]+\/spool\//.test(n))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['ok.csv', 'recovered.csv']));
    const log = await fs.readFile(path.join(dir, 'data', 'exportdesk.log'), 'utf8');
    expect(log).toMatch(/WARN .*HTTP 502/);
    expect(log).toMatch(/ERROR export failed .*HTTP 403/);

    const leaks: string[] = [];
    for (const file of files) {
      const bytes = await fs.readFile(file);
      for (const secret of [KEY, WRONG_KEY]) {
        if (forms(secret).some((f) => bytes.includes(f)))
          leaks.push(`${path.relative(dir, file)}: ${secret}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('is not in the output of any command', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const r of outputs) {
      for (const secret of [KEY, WRONG_KEY]) {
        expect(r.out, r.args.join(' ')).not.toContain(secret);
        expect(r.err, r.args.join(' ')).not.toContain(secret);
      }
    }
    // The failures were still explained: status, vendor and what to do.
    const failed = outputs.filter((r) => r.args[0] === 'export' && r.code === 1);
    expect(failed).toHaveLength(4);
    for (const r of failed) expect(r.err).toMatch(/OmniQ, fetching agents records .*(401|403|50\d)/);
  });

  it('is not in the job records the window reads', async () => {
    const jobs: JobRecord[] = await app.jobs.list();
    expect(jobs.map((j) => j.state).sort()).toEqual([
      'failed',
      'failed',
      'failed',
      'failed',
      'saved',
      'saved',
    ]);
    const text = JSON.stringify(jobs);
    for (const secret of [KEY, WRONG_KEY]) expect(text).not.toContain(secret);
    const failed = jobs.filter((j) => j.state === 'failed');
    // The echoed error page made it into the record, with the key cut out.
    expect(failed.some((j) => j.error?.message.includes('Authorization: [redacted]'))).toBe(true);
    for (const j of failed) expect(j.error?.status).toBeGreaterThanOrEqual(401);
  });
});
