import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CSV_BOM,
  INTERACTION_METADATA_COLUMNS,
  QM_WORKFLOW_COLUMNS,
  startCxoneSimulator,
  type CxoneSimulator,
} from '../../simulators/cxone.ts';

const CRLF = '\r\n';

/** Drops the BOM and, for every file but the first, the header line. */
function joinFiles(files: string[]): string {
  return files
    .map((file, i) => {
      const body = file.slice(CSV_BOM.length);
      return i === 0 ? body : body.slice(body.indexOf(CRLF) + CRLF.length);
    })
    .join('');
}

const records = (csv: string): string[][] => parse(csv.slice(CSV_BOM.length), { bom: false }) as string[][];

describe('CXone simulator: generated extraction files', () => {
  let sim: CxoneSimulator;
  beforeAll(async () => {
    sim = await startCxoneSimulator({ seed: 7, rowsPerDay: 20 });
  });
  afterAll(() => sim.close());

  it('lists the 37 documented QM workflow columns in order', () => {
    expect(QM_WORKFLOW_COLUMNS).toHaveLength(37);
    expect(QM_WORKFLOW_COLUMNS[0]).toBe('Tenant Name');
    expect(QM_WORKFLOW_COLUMNS[13]).toBe('Score – Percentage');
    expect(QM_WORKFLOW_COLUMNS[36]).toBe('LastName (Assigner)');
    const csv = sim.expectedCsv('qm-workflows', '1', '2025-05-22', '2025-05-22');
    expect(csv.startsWith(CSV_BOM + QM_WORKFLOW_COLUMNS.join(',') + CRLF)).toBe(true);
  });

  it('gives a 45-day range exactly the rows of its 14+14+14+3-day parts, in the same order', () => {
    const whole = sim.expectedCsv('qm-workflows', '3', '2025-01-01', '2025-02-14');
    const parts = [
      ['2025-01-01', '2025-01-14'],
      ['2025-01-15', '2025-01-28'],
      ['2025-01-29', '2025-02-11'],
      ['2025-02-12', '2025-02-14'],
    ].map(([start, end]) => sim.expectedCsv('qm-workflows', '3', start ?? '', end ?? ''));
    expect(joinFiles(parts)).toBe(whole.slice(CSV_BOM.length));
    expect(records(whole)).toHaveLength(1 + 45 * 20);
  });

  it('writes RFC 4180 CSV with CRLF line ends and the awkward values real exports carry', () => {
    const csv = sim.expectedCsv('qm-workflows', '1', '2025-05-22', '2025-05-23');
    const rows = records(csv);
    const cells = rows.slice(1).flat();
    expect(rows.every((r) => r.length === 37)).toBe(true);
    expect(cells.some((c) => c.includes(','))).toBe(true);
    expect(cells.some((c) => c.includes('"'))).toBe(true);
    expect(cells.some((c) => c.includes('\n') && !c.includes('\r'))).toBe(true);
    expect(cells.some((c) => c.includes('\r\n'))).toBe(true);
    expect(cells.some((c) => c.startsWith('='))).toBe(true);
    expect(cells.some((c) => /[àéèçñøüłễ]/i.test(c))).toBe(true);
    expect(cells.some((c) => /\p{Script=Han}/u.test(c))).toBe(true);
    expect(cells.some((c) => /\p{Extended_Pictographic}/u.test(c))).toBe(true);
    // Every record ends with CRLF: outside quoted fields there is no bare LF.
    const unquoted = csv.replace(/"(?:[^"]|"")*"/g, '');
    expect(unquoted.endsWith(CRLF)).toBe(true);
    expect(/[^\r]\n/.test(unquoted)).toBe(false);
  });

  it('keeps submissions inside the day they are filed under, in time order', () => {
    const rows = records(sim.expectedCsv('qm-workflows', '1', '2025-05-22', '2025-05-24'));
    const submitted = rows.slice(1).map((r) => r[QM_WORKFLOW_COLUMNS.indexOf('Submission Date')] ?? '');
    expect(submitted[0]?.startsWith('2025-05-22T')).toBe(true);
    expect(submitted.at(-1)?.startsWith('2025-05-24T')).toBe(true);
    expect([...submitted].sort()).toEqual(submitted);
  });

  it('serves interaction metadata with its own columns, and depends on seed and version', async () => {
    const meta = records(sim.expectedCsv('recording-interaction-metadata', '12', '2025-05-22', '2025-05-22'));
    expect(meta[0]).toEqual([...INTERACTION_METADATA_COLUMNS]);
    expect(meta).toHaveLength(21);
    const v10 = sim.expectedCsv('recording-interaction-metadata', '10', '2025-05-22', '2025-05-22');
    expect(records(v10).slice(1)).not.toEqual(meta.slice(1));
    const other = await startCxoneSimulator({ seed: 8 });
    try {
      const a = sim.expectedCsv('qm-workflows', '1', '2025-05-22', '2025-05-22');
      expect(other.expectedCsv('qm-workflows', '1', '2025-05-22', '2025-05-22')).not.toBe(a);
      expect(sim.expectedCsv('qm-workflows', '1', '2025-05-22', '2025-05-22')).toBe(a);
    } finally {
      await other.close();
    }
  });

  it('throws for an entity or version the simulator does not have', () => {
    expect(() => sim.expectedCsv('wfm-payroll', '1', '2025-05-22', '2025-05-22')).toThrow(/no entity/);
    expect(() => sim.expectedCsv('qm-workflows', '2', '2025-05-22', '2025-05-22')).toThrow(/no entity/);
  });
});
