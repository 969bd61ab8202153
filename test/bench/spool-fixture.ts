/**
 * A finished export of synthetic rows, written straight into an app's data folder: a job record in state
 * 'ready' and its spool, as if an export had fetched them. The save, preview and renderer measurements
 * start from it, so their sizes do not depend on a vendor simulator. Rows are made by `benchRow`, the same
 * function the baselines use, so both sides see identical data.
 */
import type { AppService } from '../../electron/app/service.ts';
import { SpoolWriter } from '../../electron/export/spool.ts';
import type { JobRecord } from '../../shared/jobs.ts';
import type { Row } from '../../shared/records.ts';

const NAMES = ['Ana', 'Bo', 'Chloé', 'Dmitri', 'Eve', 'Farah', 'Gus', 'Hana'];
const TEAMS = ['Sales, EMEA', 'Support "Tier 2"', 'Billing', 'Retention'];

/**
 * Row `i` with `columns` leaf columns: a fixed core of nested objects, a 17-digit id, quoted and
 * comma-laden text, a formula-like cell now and then, plus filler text columns up to the count.
 */
export function benchRow(i: number, columns: number): Row {
  const row: Row = {
    id: i,
    ref: 90071992547409930n + BigInt(i),
    createdAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    agent: { name: NAMES[i % NAMES.length], team: TEAMS[i % TEAMS.length] },
    contact: { email: `user${i}@example.com`, phone: `+1555${String(i % 10_000_000).padStart(7, '0')}` },
    amount: Math.round(i * 37.5) / 100,
    answered: i % 3 !== 0,
    note: i % 97 === 0 ? `=HYPERLINK("http://x/${i}")` : `call ${i}, line 1`,
    status: i % 11 === 0 ? null : 'closed',
  };
  for (let c = 11; c < columns; c++) row[`extra${c}`] = `v${c}-${i % 1000}`;
  return row;
}

/** Leaf columns of benchRow(…, columns), in order. */
export function benchColumns(columns: number): string[] {
  const core = [
    'id',
    'ref',
    'createdAt',
    'agent.name',
    'agent.team',
    'contact.email',
    'contact.phone',
    'amount',
    'answered',
    'note',
    'status',
  ];
  return [...core, ...Array.from({ length: Math.max(0, columns - core.length) }, (_, k) => `extra${k + 11}`)];
}

/** Writes a ready export of `rows` × `columns` into the app's data folder and returns its job id. */
export async function writeBenchExport(app: AppService, rows: number, columns: number): Promise<string> {
  const conn = await app.connections.save({
    name: 'Bench rows',
    provider: 'omniq',
    settings: { baseUrl: 'http://127.0.0.1:9', tenantId: 'BENCH' },
  });
  const recipe = app.parseRecipe({
    version: 1,
    name: 'Bench rows',
    connection: 'Bench rows',
    provider: 'omniq',
    query: { index: 'communications' },
    output: { format: 'csv' },
  });
  const id = app.jobs.newId();
  const writer = await SpoolWriter.create(app.jobs.spoolDir(id), { metaIntervalMs: 60_000 });
  const batch = 2000;
  for (let i = 0; i < rows; i += batch) {
    await writer.append(
      Array.from({ length: Math.min(batch, rows - i) }, (_, k) => benchRow(i + k, columns)),
    );
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
