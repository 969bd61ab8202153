/**
 * Measurement 4, big JSON (myreports-style): one Xarios results body of N rows (the vendor's document,
 * sparse rows included, written by the simulator) from a loopback link to CSV. Export Desk's myreports
 * provider reads it into the spool and the app saves it (child-json.ts), against stream-json wired by
 * hand into csv-stringify, alternating. Rows per second and the peak memory of each process.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaled } from './args.ts';
import type { JsonInput } from './child-json.ts';
import { countCsvRecords } from './csv-check.ts';
import { serveFile } from './file-server.ts';
import { fixed, int, ratio, runsText, type BenchItem } from './items.ts';
import { writeResultsBody } from './json-body.ts';
import { largestProfile, profileTables, summarizeProfile, type ProfileSummary } from './profile.ts';
import type { ProcessStats } from './protocol.ts';
import { runChild } from './spawn.ts';
import { rate, series } from './stats.ts';

type JsonReport = ProcessStats & { rows: number; totalMs: number; fetchMs?: number; saveMs?: number };
const TARGET = 0.9;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
    let profile: ProfileSummary | undefined;
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
          const r = await runChild<JsonReport>('child-json.ts', input, { exportDesk: side === 'exportdesk' });
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
      if (opts.profile) {
        log('Profiling one more Export Desk run…');
        const profDir = path.join(workDir, 'profile');
        await mkdir(profDir);
        const input: JsonInput = {
          side: 'exportdesk',
          url: server.url,
          workDir: path.join(workDir, 'exportdesk-profiled'),
          out: path.join(workDir, 'exportdesk-profiled.csv'),
        };
        await runChild<JsonReport>('child-json.ts', input, {
          nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
          exportDesk: true,
        });
        profile = await summarizeProfile(await largestProfile(profDir), root);
      }
    } finally {
      await server.close();
    }
    const summary = (runs: JsonReport[]) => ({
      runs,
      rowsPerSec: series(runs.map((r) => rate(r.rows, r.totalMs))),
      peakRssMb: series(runs.map((r) => r.peakRssKb / 1024)),
      // CPU time moves far less than wall time on a shared machine.
      cpuS: series(runs.map((r) => r.cpuMs / 1000)),
    });
    const ed = summary(sides.exportdesk);
    const bl = summary(sides.baseline);
    const share = ed.rowsPerSec.median / bl.rowsPerSec.median;
    const line = (name: string, s: typeof ed): string[] => [
      name,
      int(s.rowsPerSec.median),
      s.rowsPerSec.runs.map((v) => int(v)).join(', '),
      fixed(s.peakRssMb.median, 0),
      fixed(s.cpuS.median, 1),
    ];
    const split = (key: 'fetchMs' | 'saveMs') => series(sides.exportdesk.map((r) => r[key] ?? 0));
    const fetchMs = split('fetchMs');
    const saveMs = split('saveMs');
    return {
      data: {
        rows,
        bytes,
        exportDesk: { ...ed, fetchMs, saveMs },
        baseline: bl,
        ratio: share,
        ...(profile ? { profile } : {}),
      },
      tables: [
        {
          title: `4. Big JSON: one ${fixed(bytes / 2 ** 20, 0)} MiB body of ${int(rows)} rows to CSV, median of ${opts.runs}`,
          header: ['', 'rows/s', 'runs rows/s', 'peak RSS MiB', 'CPU s'],
          rows: [
            line('Export Desk (myreports provider → spool → CSV)', ed),
            line('baseline (stream-json → csv-stringify)', bl),
            [
              'Export Desk ÷ baseline',
              ratio(share),
              '',
              ratio(ed.peakRssMb.median / bl.peakRssMb.median),
              ratio(ed.cpuS.median / bl.cpuS.median),
            ],
          ],
          leftColumns: 1,
        },
        {
          title: '4. Export Desk wall time, split',
          header: ['', 'median s', 'runs s'],
          rows: [
            ['download + parse + spool', fixed(fetchMs.median / 1000, 2), runsText(fetchMs.runs, 2, 1000)],
            ['save CSV', fixed(saveMs.median / 1000, 2), runsText(saveMs.runs, 2, 1000)],
          ],
          leftColumns: 1,
        },
        ...(profile ? profileTables(profile) : []),
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
