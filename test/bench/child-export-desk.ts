/**
 * Export Desk end to end in its own process: the same AppService the window and the CLI use, fetching an
 * OmniQ export from the simulator into a spool and saving it as CSV. Timed from the start of the export
 * to the saved file; the data folder is left in place for the save and preview measurements.
 */
import path from 'node:path';
import { AppService } from '../../electron/app/service.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { OutputOptionsSchema } from '../../shared/output.ts';
import { processStats, readInput, sendResult } from './protocol.ts';

export interface ExportDeskInput {
  url: string;
  tenantId: string;
  index: string;
  pageSize: number;
  dataDir: string;
  out: string;
}

const input = readInput<ExportDeskInput>();
const app = await AppService.open({
  dataDir: input.dataDir,
  secrets: new MemorySecretStore('The bench keeps secrets in memory.'),
});
await app.connections.save({
  name: 'Bench OmniQ',
  provider: 'omniq',
  settings: { baseUrl: input.url, tenantId: input.tenantId, pageSize: input.pageSize },
});
const output = OutputOptionsSchema.parse({ format: 'csv' });
const recipe = app.parseRecipe({
  version: 1,
  name: 'Bench',
  connection: 'Bench OmniQ',
  provider: 'omniq',
  query: { index: input.index },
  output,
});

const started = performance.now();
const job = await app.runner.start(recipe);
const done = await app.runner.wait(job.id);
const fetched = performance.now();
if (done.state !== 'ready') {
  throw new Error(`The export ended ${done.state}: ${done.error?.message ?? done.message ?? ''}`);
}
const saved = await app.saves.saveTo(done.id, path.resolve(input.out), output);
const finished = performance.now();
await app.close();

sendResult({
  jobId: done.id,
  rows: saved.rows,
  spooledRows: done.counters.rows,
  pages: done.counters.pages,
  bytes: saved.bytes,
  fetchMs: fetched - started,
  saveMs: finished - fetched,
  totalMs: finished - started,
  ...processStats(),
});
