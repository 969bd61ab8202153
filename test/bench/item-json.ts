/**
 * Measurement 4, big JSON (myreports-style): one Xarios results body of N rows (the vendor's document,
 * sparse rows included, written by the simulator) from a loopback link to CSV. Export Desk's myreports
 * provider reads it into the spool and the app saves it (child-json.ts), against stream-json wired by
 * hand into csv-stringify, alternating. Rows per second and the peak memory of each process.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { scaled } from './args.ts';
import type { JsonInput } from './child-json.ts';
import { countCsvRecords } from './csv-check.ts';
import { serveFile } from './file-server.ts';
import { fixed, int, ratio, type BenchItem } from './items.ts';
import { writeResultsBody } from './json-body.ts';
import type { ProcessStats } from './protocol.ts';
import { runChild } from './spawn.ts';
import { rate, series } from './stats.ts';

type JsonReport = ProcessStats & { rows: number; totalMs: number };
const TARGET = 0.9;

export const jsonItem: BenchItem = {
  n: 4,
  key: 'json',
  title: 'Big JSON body (myreports-style)',
  async run({ opts, workDir, log }) {
    const rows = scaled(opts, 1_000_000, 1000);
    const file = path.join(workDir, 'results.json');
    log(`Writing a results body of ${int(rows)} rows…`);
    await writeResultsBody(file, rows);
    const bytes = (await stat(file)).size;
    const server = await serveFile(
      file,
      'application/json',
      '/api/v1.0/workspaces/W/reports/R/requests/Q/data',
    );
    const sides = { exportdesk: [] as JsonReport[], baseline: [] as JsonReport[] };
    try {
      for (let i = 0; i < opts.runs; i++) {
        for (const side of ['exportdesk', 'baseline'] as const) {
          const out = path.join(workDir, `${side}.csv`);
          const input: JsonInput = {
            side,
            url: server.url,
            workDir: path.join(workDir, `${side}-${i}`),
            out,
          };
          const r = await runChild<JsonReport>('child-json.ts', input);
          const records = await countCsvRecords(out);
          if (r.rows !== rows || records !== rows + 1) {
            throw new Error(`${side} wrote ${records - 1} rows (reported ${r.rows}) of ${rows}`);
          }
          await rm(out);
          await rm(input.workDir, { recursive: true, force: true });
          sides[side].push(r);
          log(`  ${i + 1}/${opts.runs}: ${side} ${fixed(r.totalMs / 1000, 1)} s`);
        }
      }
    } finally {
      await server.close();
    }
    const summary = (runs: JsonReport[]) => ({
      runs,
      rowsPerSec: series(runs.map((r) => rate(r.rows, r.totalMs))),
      peakRssMb: series(runs.map((r) => r.peakRssKb / 1024)),
    });
    const ed = summary(sides.exportdesk);
    const bl = summary(sides.baseline);
    const share = ed.rowsPerSec.median / bl.rowsPerSec.median;
    const line = (name: string, s: typeof ed): string[] => [
      name,
      int(s.rowsPerSec.median),
      s.rowsPerSec.runs.map((v) => int(v)).join(', '),
      fixed(s.peakRssMb.median, 0),
    ];
    return {
      data: { rows, bytes, exportDesk: ed, baseline: bl, ratio: share },
      tables: [
        {
          title: `4. Big JSON: one ${fixed(bytes / 2 ** 20, 0)} MiB body of ${int(rows)} rows to CSV, median of ${opts.runs}`,
          header: ['', 'rows/s', 'runs rows/s', 'peak RSS MiB'],
          rows: [
            line('Export Desk (myreports provider → spool → CSV)', ed),
            line('baseline (stream-json → csv-stringify)', bl),
            ['Export Desk ÷ baseline', ratio(share), '', ratio(ed.peakRssMb.median / bl.peakRssMb.median)],
          ],
          leftColumns: 1,
        },
      ],
      verdicts: [
        {
          what: '4. Big JSON, rows/s vs baseline',
          figure: ratio(share),
          target: `≥ ${TARGET.toFixed(2)}×`,
          met: share >= TARGET,
        },
      ],
    };
  },
};
