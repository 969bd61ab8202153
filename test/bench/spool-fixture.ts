/**
 * A finished export of synthetic rows, written straight into an app's data folder (writeReadyExport). The
 * save, preview and renderer measurements start from it, so their sizes do not depend on a vendor
 * simulator. Rows are made by `benchRow`, the same function the baselines use, so both sides see identical
 * data.
 */
import type { AppService } from '../../electron/app/service.ts';
import { writeReadyExport } from '../helpers/ready-export.ts';
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
export function writeBenchExport(app: AppService, rows: number, columns: number): Promise<string> {
  return writeReadyExport(app, {
    name: 'Bench rows',
    rows,
    batch: 2000,
    row: (n) => benchRow(n - 1, columns),
  });
}
