/**
 * A finished export of made-up rows, written straight into an app's data folder: a job record in state
 * 'ready' and its spool, as if an OmniQ export had fetched them (its connection points at a closed
 * loopback port, so nothing is ever fetched). For tests and measurements whose size must not depend on a
 * vendor simulator.
 */
import type { AppService } from '../../electron/app/service.ts';
import { SpoolWriter } from '../../electron/export/spool.ts';
import type { JobRecord } from '../../shared/jobs.ts';
import type { Row } from '../../shared/records.ts';

export interface ReadyExport {
  /** The export's and its connection's name. */
  name: string;
  rows: number;
  /** Row `n` (1-based). */
  row(n: number): Row;
  /** Rows per append, as pages would come. */
  batch?: number;
}

/** Writes the export and returns its job id. */
export async function writeReadyExport(app: AppService, spec: ReadyExport): Promise<string> {
  const { name, rows, batch = 10_000 } = spec;
  const conn = await app.connections.save({
    name,
    provider: 'omniq',
    settings: { baseUrl: 'http://127.0.0.1:9', tenantId: 'READY' },
  });
  const recipe = app.parseRecipe({
    version: 1,
    name,
    connection: name,
    provider: 'omniq',
    query: { index: 'communications' },
    output: { format: 'csv' },
  });
  const id = app.jobs.newId();
  const writer = await SpoolWriter.create(app.jobs.spoolDir(id), { metaIntervalMs: 60_000 });
  for (let i = 0; i < rows; i += batch) {
    await writer.append(Array.from({ length: Math.min(batch, rows - i) }, (_, k) => spec.row(i + k + 1)));
  }
  const summary = await writer.close();
  const now = new Date().toISOString();
  const record: JobRecord = {
    id,
    recipe,
    connectionId: conn.id,
    state: 'ready',
    createdAt: now,
    updatedAt: now,
    startedAt: now,
    finishedAt: now,
    remote: {},
    counters: { pages: Math.ceil(rows / batch), rows: summary.rowCount, bytes: summary.bytes },
    warnings: [],
    saves: [],
  };
  await app.jobs.save(record);
  return id;
}
