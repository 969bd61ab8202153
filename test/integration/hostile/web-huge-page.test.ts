/**
 * Browser mode serves every export of the window from one process: one export meeting a 100 MB OmniQ page
 * must not take the process, and the other exports running in it, down. The server runs in a process of
 * its own under the heap bound, as `npm start` runs it; the test drives it over its socket.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXPORT_HEAP_FLAG } from '../../../electron/app/heap.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { connect, finished, RpcClient, YEAR_2025 } from '../web/harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
let huge: OmniqSimulator;
let usual: OmniqSimulator;
let dir: string;

beforeAll(async () => {
  huge = await startOmniqSimulator({ counts: { communications: 10_000 }, padding: 10_000 });
  usual = await startOmniqSimulator({ counts: { communications: 20_000 } });
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-webhuge-'));
});
afterAll(async () => {
  await huge.close();
  await usual.close();
  removeTempDir(dir);
});

async function startExport(
  client: RpcClient,
  name: string,
  url: string,
  pageSize: number,
): Promise<JobRecord> {
  const conn = await client.ok<{ id: string }>('connections.save', {
    name,
    provider: 'omniq',
    settings: { baseUrl: url, tenantId: 'ACME-TENANT01', pageSize },
  });
  return client.ok<JobRecord>('exports.start', {
    recipe: {
      version: 1,
      connection: conn.id,
      provider: 'omniq',
      query: { index: 'communications', filterBy: { createdAt: YEAR_2025 } },
    },
  });
}

it(
  'finishes an export beside one that meets a 100 MB page, in one browser-mode process',
  { timeout: 300_000 },
  async () => {
    const child = spawn(
      process.execPath,
      [EXPORT_HEAP_FLAG, 'bin/run-ts.mjs', path.join(here, 'web-child.ts'), dir],
      {
        cwd: root,
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    let exited: number | null | undefined;
    child.on('exit', (code) => (exited = code));
    try {
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const first = await lines.next();
      const { port, token } = JSON.parse(String(first.value)) as { port: number; token: string };
      const client = new RpcClient(await connect(port, `?token=${token}`));
      const big = await startExport(client, 'Big', huge.url, 10_000);
      const other = await startExport(client, 'Acme', usual.url, 500);
      const [bigDone, otherDone] = await Promise.all([finished(client, big.id), finished(client, other.id)]);
      expect(otherDone.state, otherDone.error?.message).toBe('ready');
      expect(otherDone.counters.rows).toBe(20_000);
      expect(bigDone.state, bigDone.error?.message).toBe('ready');
      expect(bigDone.counters.rows).toBe(10_000);
      // The process is still serving.
      expect(await client.ok<JobRecord[]>('jobs.list')).toHaveLength(2);
      expect(exited).toBeUndefined();
      client.ws.close();
    } finally {
      child.stdin.end();
      if (exited === undefined) await new Promise((resolve) => child.once('exit', resolve));
    }
  },
);
