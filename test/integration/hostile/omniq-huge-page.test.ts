/**
 * OmniQ may answer a page of the largest size a connection can ask for (10,000 records) with records of
 * any size: here 10,000 documents of 10 KB, a 100 MB answer. The real command, under the heap bound every
 * exporting process runs with, exports it exactly instead of running out of memory.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXPORT_HEAP_FLAG } from '../../../electron/app/heap.ts';
import { expectedCsv } from '../../helpers/expected-output.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const YEAR = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };
let sim: OmniqSimulator;
let dir: string;

beforeAll(async () => {
  sim = await startOmniqSimulator({ counts: { communications: 10_000 }, padding: 10_000 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-hugepage-'));
});
afterAll(async () => {
  await sim.close();
  removeTempDir(dir);
});

/** Runs `exportdesk` under the heap bound, as its launcher starts it, with its own data folder. */
function exportdesk(args: string[]): Promise<{ code: number | null; err: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    EXPORTDESK_HOME: path.join(dir, 'data'),
  };
  const child = spawn(process.execPath, [EXPORT_HEAP_FLAG, 'bin/exportdesk.mjs', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, err })));
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

it(
  'exports one 100 MB page of 10,000 large documents exactly under the heap bound',
  { timeout: 300_000 },
  async () => {
    const add = await exportdesk([
      'connections',
      'add',
      'Big',
      '--provider',
      'omniq',
      '--base-url',
      sim.url,
      '--set',
      'tenantId=ACME-TENANT01',
      '--set',
      'pageSize=10000',
    ]);
    expect(add.code, add.err).toBe(0);
    const recipe = path.join(dir, 'recipe.json');
    writeFileSync(
      recipe,
      JSON.stringify({
        version: 1,
        connection: 'Big',
        provider: 'omniq',
        query: { index: 'communications', filterBy: { createdAt: YEAR } },
        output: { format: 'csv', csv: { formulaGuard: false } },
      }),
    );
    const out = path.join(dir, 'out.csv');
    const run = await exportdesk(['export', recipe, '--out', out]);
    expect(run.code, run.err.slice(-2000)).toBe(0);
    // The first page was the whole export: one answer of about 100 MB.
    expect(sim.requests.filter((r) => (r.body as { size?: number }).size === 10_000)).toHaveLength(1);
    const expected = createHash('sha256').update(
      expectedCsv(sim.records('communications'), { guard: false }),
    );
    expect(await sha256(out)).toBe(expected.digest('hex'));
  },
);
