/**
 * `npm run test:faults`: every provider × every fault, through the CLI and the app service. A cell passes
 * when the export recovered with the fault-free file, or failed with a message naming the vendor, the step
 * and what to do, leaving nothing at the target; it fails (WRONG) otherwise, and on a hang.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from './adapters/index.ts';
import { markdownTable, recordSection, textTable, type Matrix } from './report.ts';
import { runCell } from './run-cell.ts';
import { FAULTS } from './types.ts';

const matrix: Matrix = new Map();

afterAll(async () => {
  console.log(`\nFault matrix\n\n${textTable(matrix)}\n`);
  await recordSection('faults', markdownTable(matrix));
});

describe.each(ADAPTERS)('$id under faults', (adapter) => {
  let clean = false;
  const cells = new Map();
  matrix.set(adapter.id, cells);

  it('exports the simulator’s data exactly without faults', async () => {
    const cell = await runCell(adapter, undefined);
    expect(cell.verdict, cell.detail).toBe('recovered');
    clean = true;
  });

  for (const fault of FAULTS) {
    it(`${fault.label}: recovers with the same file or fails clearly`, async ({ skip }) => {
      if (!clean) skip('the fault-free run failed');
      const cell = await runCell(adapter, fault.id);
      cells.set(fault.id, cell);
      // n/a exactly where the adapter says the fault cannot happen with this vendor, nowhere else.
      expect(cell.verdict === 'n/a', cell.detail).toBe(adapter.notApplicable.includes(fault.id));
      expect(cell.verdict, cell.detail).not.toBe('WRONG');
      if (adapter.mustRecover?.includes(fault.id)) expect(cell.verdict, cell.detail).toBe('recovered');
    });
  }
});
