/**
 * Measurement 2, CSV pass-through (CXone-style): a large extraction CSV behind a file link on 127.0.0.1,
 * Export Desk (download into the spool as the CXone provider does, save as CSV with the default options;
 * child-csv.ts) against `curl -o` of the same link, alternating. Throughput is the file's bytes over the
 * wall time. Beside them, what curl takes once its file is flushed to the disk as Export Desk's is (sync),
 * what the machine itself takes to copy the downloaded file durably (cp + sync)
 * and to write as much new data (dd), and what Node.js itself takes to download the link into a file with
 * nothing else done (child-node-copy.ts): every step starts after the same pause (see SETTLE_MS).
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaled } from './args.ts';
import type { CsvInput } from './child-csv.ts';
import type { NodeCopyInput } from './child-node-copy.ts';
import { countCsvRecords } from './csv-check.ts';
import { serveFile, writeExtractionCsv } from './file-server.ts';
import { fixed, int, ratio, runsText, type BenchItem } from './items.ts';
import { largestProfile, profileTables, summarizeProfile, type ProfileSummary } from './profile.ts';
import type { ProcessStats } from './protocol.ts';
import { runChild } from './spawn.ts';
import { series } from './stats.ts';
import { runTool } from './tools.ts';

type CsvReport = ProcessStats & {
  rows: number;
  parsedRows: number;
  fetchMs: number;
  saveMs: number;
  totalMs: number;
};
const TARGET = 0.8;
/**
 * The pause before each timed step, with the files of the step before it deleted and synced. Linux in a
 * virtual machine with free page reporting (virtio-balloon) hands memory the guest frees back to the host
 * about 2 s later (PAGE_REPORTING_DELAY in mm/page_reporting.c), and a file written into such memory pays
 * the host's page faults again: a tool run right after another's files are deleted writes into memory not
 * yet handed back, and is faster for it. After the pause every step starts from the same state.
 */
const SETTLE_MS = 4000;

async function settle(): Promise<void> {
  await runTool('sync', []);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MB = 2 ** 20;

export const csvItem: BenchItem = {
  n: 2,
  key: 'csv',
  title: 'CSV pass-through (CXone-style)',
  async run({ opts, workDir, log }) {
    const target = scaled(opts, 1024 * MB, MB);
    const file = path.join(workDir, 'extraction.csv');
    log(`Writing a ${fixed(target / MB, 0)} MiB extraction CSV…`);
    const rows = await writeExtractionCsv(file, target);
    const bytes = (await stat(file)).size;
    const server = await serveFile(file);
    const ed: CsvReport[] = [];
    const curl: number[] = [];
    const curlSyncMs: number[] = [];
    const copyMs: number[] = [];
    const ddMs: number[] = [];
    const nodeMs: number[] = [];
    let profile: ProfileSummary | undefined;
    try {
      for (let i = 0; i < opts.runs; i++) {
        const out = path.join(workDir, 'export-desk.csv');
        const input: CsvInput = { url: server.url, workDir: path.join(workDir, `ed-${i}`), out };
        await settle();
        const r = await runChild<CsvReport>('child-csv.ts', input, { exportDesk: true });
        if (r.rows !== rows || (await countCsvRecords(out)) !== rows + 1) {
          throw new Error(`Export Desk saved ${r.rows} rows of ${rows}`);
        }
        await rm(out);
        await rm(input.workDir, { recursive: true, force: true });
        ed.push(r);
        log(`  ${i + 1}/${opts.runs}: Export Desk ${fixed(r.totalMs / 1000, 1)} s`);
        // Node.js alone: the same download into a file, nothing else (child-node-copy.ts).
        const plain: NodeCopyInput = { url: server.url, out: path.join(workDir, 'node.csv') };
        await settle();
        nodeMs.push((await runChild<{ totalMs: number }>('child-node-copy.ts', plain)).totalMs);
        if ((await stat(plain.out)).size !== bytes)
          throw new Error('Node.js downloaded a file of the wrong size');
        await rm(plain.out);
        log(`  ${i + 1}/${opts.runs}: Node.js alone ${fixed((nodeMs.at(-1) ?? 0) / 1000, 1)} s`);
        const copy = path.join(workDir, 'curl.csv');
        await settle();
        const t0 = performance.now();
        await runTool('curl', ['-sS', '--fail', '-o', copy, server.url]);
        curl.push(performance.now() - t0);
        if ((await stat(copy)).size !== bytes) throw new Error('curl downloaded a file of the wrong size');
        log(`  ${i + 1}/${opts.runs}: curl ${fixed((curl.at(-1) ?? 0) / 1000, 1)} s`);
        // curl leaves its file in the page cache; Export Desk's saved file is on the disk (fsynced before
        // its rename). Flushing curl's file right after it ends is what the same durability costs curl.
        const t3 = performance.now();
        await runTool('sync', [copy]);
        curlSyncMs.push((curl.at(-1) ?? 0) + performance.now() - t3);
        // What a durable copy of the downloaded file costs the system itself: the least a save from a
        // spool (a second file, fsynced before it is renamed) can take on this machine.
        const second = path.join(workDir, 'copy.csv');
        await settle();
        const t1 = performance.now();
        await runTool('cp', [copy, second]);
        await runTool('sync', [second]);
        copyMs.push(performance.now() - t1);
        await rm(copy);
        await rm(second);
        log(`  ${i + 1}/${opts.runs}: cp + sync ${fixed((copyMs.at(-1) ?? 0) / 1000, 1)} s`);
        // What writing the file's size of new data costs this machine, with no network and no reading.
        const zeros = path.join(workDir, 'zeros.bin');
        await settle();
        const t2 = performance.now();
        await runTool('dd', ['if=/dev/zero', `of=${zeros}`, 'bs=1M', `count=${Math.ceil(bytes / MB)}`]);
        ddMs.push(performance.now() - t2);
        await rm(zeros);
        log(`  ${i + 1}/${opts.runs}: dd ${fixed((ddMs.at(-1) ?? 0) / 1000, 1)} s`);
      }
      if (opts.profile) {
        log('Profiling one more Export Desk run…');
        const profDir = path.join(workDir, 'profile');
        await mkdir(profDir);
        const input: CsvInput = {
          url: server.url,
          workDir: path.join(workDir, 'ed-profiled'),
          out: path.join(workDir, 'export-desk-profiled.csv'),
        };
        await runChild<CsvReport>('child-csv.ts', input, {
          exportDesk: true,
          nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
        });
        profile = await summarizeProfile(await largestProfile(profDir), root);
        await rm(input.out);
        await rm(input.workDir, { recursive: true, force: true });
      }
    } finally {
      await server.close();
    }
    const mbps = (ms: number): number => bytes / MB / (ms / 1000);
    const edRate = series(ed.map((r) => mbps(r.totalMs)));
    const curlRate = series(curl.map(mbps));
    const share = edRate.median / curlRate.median;
    // A download into a spool followed by a durable save can at best be curl's download, then the system's
    // own copy and fsync of the file.
    const floorRate = series(curl.map((ms, i) => mbps(ms + (copyMs[i] ?? 0))));
    const curlS = series(curl).median / 1000;
    const durableRate = series(curlSyncMs.map(mbps));
    const ddRate = series(ddMs.map(mbps));
    const nodeRate = series(nodeMs.map(mbps));
    return {
      data: {
        bytes,
        rows,
        exportDesk: ed,
        curlMs: curl,
        curlSyncMs,
        durableMiBps: durableRate,
        copyMs,
        ddMs,
        ddMiBps: ddRate,
        nodeMs,
        nodeMiBps: nodeRate,
        floorMiBps: floorRate,
        exportDeskMiBps: edRate,
        curlMiBps: curlRate,
        ratio: share,
        ...(profile ? { profile } : {}),
      },
      tables: [
        {
          title: `2. CSV pass-through: ${fixed(bytes / MB, 0)} MiB, ${int(rows)} rows, to CSV with the default options, median of ${opts.runs}`,
          header: ['', 'MiB/s', 'runs MiB/s', 'peak RSS MiB', 'download + spool s', 'save s'],
          rows: [
            [
              'Export Desk',
              fixed(edRate.median, 1),
              runsText(edRate.runs, 1),
              fixed(series(ed.map((r) => r.peakRssKb / 1024)).median, 0),
              fixed(series(ed.map((r) => r.fetchMs)).median / 1000, 1),
              fixed(series(ed.map((r) => r.saveMs)).median / 1000, 1),
            ],
            ['curl -o', fixed(curlRate.median, 1), runsText(curlRate.runs, 1), '', fixed(curlS, 1), ''],
            [
              'curl -o, then sync of the file',
              fixed(durableRate.median, 1),
              runsText(durableRate.runs, 1),
              '',
              fixed(series(curlSyncMs).median / 1000, 1),
              '',
            ],
            [
              'Node.js alone: undici into a file, fsynced',
              fixed(nodeRate.median, 1),
              runsText(nodeRate.runs, 1),
              '',
              fixed(series(nodeMs).median / 1000, 1),
              '',
            ],
            [
              'curl -o, then cp + sync of the file',
              fixed(floorRate.median, 1),
              runsText(floorRate.runs, 1),
              '',
              fixed(curlS, 1),
              fixed(series(copyMs).median / 1000, 1),
            ],
            [
              'dd of as many zeros to a new file',
              fixed(ddRate.median, 1),
              runsText(ddRate.runs, 1),
              '',
              fixed(series(ddMs).median / 1000, 1),
              '',
            ],
            ['Export Desk ÷ curl', ratio(share), '', '', '', ''],
            ['Node.js alone ÷ curl', ratio(nodeRate.median / curlRate.median), '', '', '', ''],
            ['Export Desk ÷ (curl, then sync)', ratio(edRate.median / durableRate.median), '', '', '', ''],
            ['Export Desk ÷ (curl, then cp + sync)', ratio(edRate.median / floorRate.median), '', '', '', ''],
          ],
          leftColumns: 1,
        },
        ...(profile ? profileTables(profile) : []),
      ],
      verdicts: [
        {
          what: '2. CSV pass-through, throughput vs curl',
          figure: ratio(share),
          target: `≥ ${TARGET.toFixed(2)}×`,
          met: share >= TARGET,
        },
      ],
    };
  },
};
