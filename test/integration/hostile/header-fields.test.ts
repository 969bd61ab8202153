/**
 * A value sent in an HTTP header (OmniQ's tenant id goes out as x-tenant-id) cannot hold a line break:
 * it would end the header. It is refused where it is typed, and a connection stored before that check
 * fails its export at once, without retrying a request that could never be sent.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';

let sim: OmniqSimulator;
let dir: string;
let clock: FakeClock;
let app: AppService;

beforeAll(async () => {
  sim = await startOmniqSimulator({ counts: { agents: 12 } });
});
afterAll(() => sim.close());
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-header-'));
  clock = new FakeClock(Date.UTC(2026, 0, 1));
  app = await AppService.open({
    dataDir: path.join(dir, 'data'),
    secrets: standInKeychain(),
    clock,
  });
  sim.requests.length = 0;
});
afterEach(async () => {
  await app.close();
  removeTempDir(dir);
});

async function run(args: string[]) {
  const io = testIO({ cwd: dir });
  const code = await clock.drive(main(args, io, app));
  return { code, out: io.out.text, err: io.err.text };
}

const add = (tenant: string) =>
  run([
    'connections',
    'add',
    'Acme',
    '--provider',
    'omniq',
    '--base-url',
    sim.url,
    '--set',
    `tenantId=${tenant}`,
  ]);

it.each([
  ['CR LF', 'ACME-TENANT01\r\nX-Injected: 1'],
  ['a lone LF', 'ACME\nTENANT01'],
  ['a NUL', 'ACME\u0000TENANT01'],
])('refuses a tenant id with %s when the connection is added, and stores nothing', async (_name, tenant) => {
  const r = await add(tenant);
  expect(r.code, r.err).toBe(2);
  expect(r.err).toMatch(/tenantId: .*line break/);
  expect(r.err).toContain('x-tenant-id');
  expect((await run(['connections', 'list', '--json'])).out.trim()).toBe('[]');
});

it('refuses to export a connection stored with a line break, naming the field, without a request', async () => {
  expect((await add('ACME-TENANT01')).code).toBe(0);
  // A connection written before the check existed, or edited by hand.
  const file = path.join(dir, 'data', 'connections.json');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('ACME-TENANT01', 'ACME-TENANT01\\r\\nX-Injected: 1'),
  );
  const recipe = path.join(dir, 'recipe.json');
  writeFileSync(
    recipe,
    JSON.stringify({ version: 1, connection: 'Acme', provider: 'omniq', query: { index: 'agents' } }),
  );
  const r = await run(['export', recipe, '--out', 'out.csv']);
  // Refused before it starts, as any connection setting that is not valid.
  expect(r.code, r.err).toBe(2);
  expect(r.err).toMatch(/Connection "Acme": tenantId: .*Edit the connection/);
  expect(r.err).toMatch(/line break/);
  expect(r.err).not.toMatch(/Retry/);
  expect(sim.requests).toHaveLength(0);
});

it('fails an export whose API key cannot go into a header once, saying nothing was sent, without retrying', async () => {
  expect((await add('ACME-TENANT01')).code).toBe(0);
  await app.connections.setSecret('Acme', 'apiKey', 'sk-4f9a\r\nX-Injected: 1');
  const recipe = path.join(dir, 'recipe.json');
  writeFileSync(
    recipe,
    JSON.stringify({ version: 1, connection: 'Acme', provider: 'omniq', query: { index: 'agents' } }),
  );
  const r = await run(['export', recipe, '--out', 'out.csv']);
  expect(r.code, r.err).toBe(1);
  expect(r.err).toMatch(/was not sent/);
  expect(r.err).toMatch(/Nothing was sent to the vendor: check the settings and secrets of this connection/);
  expect(r.err).not.toMatch(/gave up after|attempts|Retry/);
  expect(r.err).not.toContain('sk-4f9a');
  expect(sim.requests).toHaveLength(0);
});
