/**
 * Measurement 5, memory: the peak resident memory of the exporting process (Export Desk, OmniQ end to end
 * to CSV, as in measurement 1) for a small and a ten times larger export. Memory that grows with the row
 * count (rows held instead of streamed) shows up as the ratio between the two.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { scaled } from './args.ts';
import { exportDeskRun, type EndToEndRun, type EndToEndSetup } from './end-to-end.ts';
import { fixed, int, ratio, runsText, type BenchItem } from './items.ts';
import { omniqSetup } from './item-omniq.ts';
import { series } from './stats.ts';

const LIMIT_MB = 250;
const GROWTH = 1.3;

export const memoryItem: BenchItem = {
  n: 5,
  key: 'memory',
  title: 'Memory of the exporting process',
  async run({ opts, workDir, log }) {
    const sizes = [scaled(opts, 200_000, 1000), scaled(opts, 2_000_000, 10_000)] as const;
    const runs: EndToEndRun[][] = [[], []];
    // The columns of the small export stand for both: the large one's records come from the same generator.
    const setups: EndToEndSetup[] = [];
    for (const records of sizes) {
      log(`Generating ${int(records)} OmniQ records…`);
      setups.push(await omniqSetup(records, path.join(workDir), setups[0]?.columns));
    }
    try {
      for (let i = 0; i < opts.runs; i++) {
        for (const [s, setup] of setups.entries()) {
          const dataDir = path.join(workDir, `export-desk-${s}-${i}`);
          const run = await exportDeskRun(setup, dataDir);
          await rm(dataDir, { recursive: true, force: true });
          runs[s]?.push(run);
          log(
            `  ${i + 1}/${opts.runs}: ${int(setup.records)} records, peak RSS ${fixed(run.peakRssKb / 1024, 0)} MiB`,
          );
        }
      }
    } finally {
      for (const setup of setups) await setup.sim.close();
    }
    const peak = runs.map((r) => series(r.map((x) => x.peakRssKb / 1024)));
    const [small, large] = peak as [ReturnType<typeof series>, ReturnType<typeof series>];
    const growth = large.median / small.median;
    return {
      data: { sizes, runs, peakRssMb: peak, growth },
      tables: [
        {
          title: `5. Peak RSS of the Export Desk process, OmniQ to CSV, median of ${opts.runs}`,
          header: ['records', 'peak RSS MiB', 'runs MiB', 'wall s'],
          rows: sizes.map((n, s) => [
            int(n),
            fixed(peak[s]?.median ?? 0, 0),
            runsText(peak[s]?.runs ?? [], 0),
            fixed(series((runs[s] ?? []).map((r) => r.totalMs)).median / 1000, 1),
          ]),
          leftColumns: 0,
        },
      ],
      verdicts: [
        {
          what: `5. Memory, ${int(sizes[1])} ÷ ${int(sizes[0])} records`,
          figure: ratio(growth),
          target: `≤ ${GROWTH.toFixed(2)}×`,
          met: growth <= GROWTH,
        },
        {
          what: `5. Memory, ${int(sizes[1])} records`,
          figure: `${fixed(large.median, 0)} MiB`,
          target: `< ${LIMIT_MB} MiB`,
          met: large.median < LIMIT_MB,
        },
      ],
    };
  },
};
