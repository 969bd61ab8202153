/**
 * A vendor record nested 20,000 levels deep (valid JSON, as OmniQ might send it) cannot be stored or
 * flattened into columns: the export says which record and that running it again will not help, rather
 * than "Maximum call stack size exceeded" with advice to retry.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startLoopbackServer, type LoopbackServer } from '../../simulators/common.ts';

const DEPTH = 20_000;
const PAGE =
  `{"results":[{"document":{"_id":"6650f1c2","createdAt":"2025-03-01T00:00:00.000Z","workflow":` +
  `${'{"attrs":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}}}],` +
  `"total":{"value":1,"relation":"eq"},"count":1,"pagination":{"from":0,"size":500,"hasMore":false}}`;

let vendor: LoopbackServer;
let requests = 0;
let dir: string;

beforeAll(async () => {
  vendor = await startLoopbackServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(PAGE);
  });
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-deep-'));
});
afterAll(async () => {
  await vendor.close();
  removeTempDir(dir);
});

it('fails a record nested too deep once, naming the record and what to do', async () => {
  const app = await AppService.open({
    dataDir: path.join(dir, 'data'),
    secrets: standInKeychain(),
  });
  try {
    const args = ['--provider', 'omniq', '--base-url', vendor.url, '--set', 'tenantId=ACME-TENANT01'];
    const add = testIO({ cwd: dir });
    expect(await main(['connections', 'add', 'Acme', ...args], add, app), add.err.text).toBe(0);
    const recipe = path.join(dir, 'recipe.json');
    writeFileSync(
      recipe,
      JSON.stringify({ version: 1, connection: 'Acme', provider: 'omniq', query: { index: 'agents' } }),
    );
    const io = testIO({ cwd: dir });
    expect(await main(['export', recipe, '--out', 'out.csv'], io, app)).toBe(1);
    expect(io.err.text).toContain(
      'OmniQ, downloading: Record 1 of the export is nested 20,001 levels deep, too deep to store or flatten into columns.',
    );
    expect(io.err.text).toMatch(/What to do: Running it again will not help: narrow the query/);
    expect(io.err.text).not.toMatch(/call stack/i);
    expect(requests).toBe(1);
    expect(existsSync(path.join(dir, 'out.csv'))).toBe(false);
  } finally {
    await app.close();
  }
});
