/**
 * A million-row report goes through the engine with flat memory: the results body is parsed as a stream
 * straight into the spool. Peak RSS of the exporting process (its own, measured by the OS) is compared
 * with a run of a tenth of the rows.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { EXPORT_HEAP_FLAG } from '../../../electron/app/heap.ts';
import { startMyreportsSimulator, WORKSPACES } from '../../simulators/myreports.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const LARGE = '00000000-0000-0000-0000-000000000002';

interface Result {
  code: number;
  err: string;
  rows: number;
  maxRssKb: number;
}

async function exportInChild(rows: number): Promise<Result & { lines: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-xmem-'));
  const sim = await startMyreportsSimulator({ largeRows: rows, requestRunMs: 0 });
  try {
    const input = {
      dir,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      refreshToken: sim.issueTokens().refreshToken,
      workspaceId: WORKSPACES[0].id,
      reportId: LARGE,
    };
    const child = spawn(
      process.execPath,
      // Under the heap bound every product launcher gives an exporting process: it must not run out.
      [EXPORT_HEAP_FLAG, 'bin/run-ts.mjs', path.join(here, 'export-child.ts'), JSON.stringify(input)],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    const exit = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(exit, stdout).toBe(0);
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Result;
    let lines = 0;
    for await (const _line of createInterface({ input: createReadStream(path.join(dir, 'out.csv')) }))
      lines++;
    return { ...result, lines };
  } finally {
    await sim.close();
    removeTempDir(dir);
  }
}

it('exports 1,000,000 rows with the same peak memory as 100,000', { timeout: 600_000 }, async () => {
  const small = await exportInChild(100_000);
  expect(small.code, small.err).toBe(0);
  expect(small.rows).toBe(100_000);
  const large = await exportInChild(1_000_000);
  expect(large.code, large.err).toBe(0);
  expect(large.rows).toBe(1_000_000);
  expect(large.lines).toBe(1_000_001);
  const mb = (kb: number) => Math.round(kb / 1024);
  process.stderr.write(`peak RSS: 100k rows ${mb(small.maxRssKb)} MB, 1M rows ${mb(large.maxRssKb)} MB\n`);
  expect(large.maxRssKb).toBeLessThan(250 * 1024);
  expect(large.maxRssKb).toBeLessThanOrEqual(small.maxRssKb * 1.3);
});
