/**
 * `npm run bench`: Export Desk against a minimal baseline, side by side, in one run on this machine.
 *   1. OmniQ end to end (simulator → CSV on disk), Export Desk vs a hand-written http + csv-stringify script;
 *   2. save only, from an existing spool, as CSV / JSON / NDJSON vs csv-stringify on rows in memory;
 *   3. preview pages from the same spool.
 * Prints tables, writes bench/results.json and the block in docs/performance.md. Exits non-zero if any
 * export comes out with the wrong number of rows. See docs/performance.md for what is measured and how.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TENANT, startOmniqSimulator } from '../simulators/omniq.ts';
import { parseArgs, USAGE, UsageError, type BenchOptions } from './args.ts';
import { updateDoc } from './docs.ts';
import { baselineRun, exportDeskRun, summarize, type EndToEndSetup } from './end-to-end.ts';
import { columnsOf } from './flatten.ts';
import { largestProfile, summarizeProfile } from './profile.ts';
import { machineLine, renderMarkdown, renderText, tables } from './report.ts';
import { machineInfo, type BenchResults, type EndToEndRun } from './results.ts';
import { spoolBench } from './spool-bench.ts';
import { series } from './stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const INDEX = 'communications';
const PAGE_SIZE = 1000;
const PREVIEW_RUNS = 5;
const PREVIEW_LIMIT = 100;

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function bench(opts: BenchOptions): Promise<BenchResults> {
  const machine = machineInfo();
  const date = new Date().toISOString();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'exportdesk-bench-'));
  // One window: the simulator lets a query page past 10,000 records, as the baseline needs.
  const sim = await startOmniqSimulator({ counts: { [INDEX]: opts.records }, resultWindow: null });
  try {
    log(`Generating ${opts.records.toLocaleString('en-US')} OmniQ records…`);
    const columns = columnsOf(sim.records(INDEX));
    const columnsFile = path.join(workDir, 'columns.json');
    await writeFile(columnsFile, JSON.stringify(columns));
    const setup: EndToEndSetup = {
      sim,
      tenantId: DEFAULT_TENANT,
      index: INDEX,
      pageSize: PAGE_SIZE,
      records: opts.records,
      columns,
      columnsFile,
      workDir,
    };

    const ed: (EndToEndRun & { jobId: string })[] = [];
    const bl: EndToEndRun[] = [];
    let kept: string | undefined;
    for (let i = 0; i < opts.runs; i++) {
      const dataDir = path.join(workDir, `export-desk-${i}`);
      const run = await exportDeskRun(setup, dataDir);
      ed.push(run);
      log(`  end to end ${i + 1}/${opts.runs}: Export Desk ${secs(run.totalMs)}`);
      // The last spool stays for the save and preview measurements; the others only take disk space.
      if (kept) await rm(kept, { recursive: true, force: true });
      kept = dataDir;
      const base = await baselineRun(setup);
      bl.push(base);
      log(`  end to end ${i + 1}/${opts.runs}: baseline ${secs(base.totalMs)}`);
    }
    const last = ed[ed.length - 1];
    if (!kept || !last) throw new Error('no end-to-end run happened');

    log('Save and preview from the spool…');
    const spool = await spoolBench({
      dataDir: kept,
      jobId: last.jobId,
      outDir: workDir,
      saveRuns: opts.saveRuns,
      previewRuns: PREVIEW_RUNS,
      previewLimit: PREVIEW_LIMIT,
      records: opts.records,
    });

    let profile: BenchResults['profile'];
    if (opts.profile) {
      log('Profiling one more Export Desk run…');
      const profDir = path.join(workDir, 'profile');
      await mkdir(profDir);
      await exportDeskRun(setup, path.join(workDir, 'export-desk-profiled'), {
        nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
      });
      profile = await summarizeProfile(await largestProfile(profDir), root);
    }

    const edSummary = summarize(ed);
    const blSummary = summarize(bl);
    return {
      date,
      machine: { ...machine, loadAverageAtEnd: os.loadavg().map((n) => Math.round(n * 100) / 100) },
      options: {
        records: opts.records,
        runs: opts.runs,
        saveRuns: opts.saveRuns,
        pageSize: PAGE_SIZE,
        previewRuns: PREVIEW_RUNS,
        previewLimit: PREVIEW_LIMIT,
      },
      endToEnd: {
        exportDesk: {
          ...edSummary,
          runs: ed.map(({ jobId: _jobId, ...run }) => run),
          fetchMs: series(ed.map((r) => r.fetchMs ?? 0)),
          saveMs: series(ed.map((r) => r.saveMs ?? 0)),
        },
        baseline: blSummary,
        ratio: {
          rowsPerSec: edSummary.rowsPerSec.median / blSummary.rowsPerSec.median,
          peakRss: edSummary.peakRssMb.median / blSummary.peakRssMb.median,
          cpu: edSummary.cpuS.median / blSummary.cpuS.median,
        },
      },
      ...spool,
      ...(profile ? { profile } : {}),
    };
  } finally {
    await sim.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

function report(results: BenchResults): string {
  const shown = tables(results);
  const text = [machineLine(results), ...shown.map(renderText)].join('\n\n');
  const markdown = [`_${machineLine(results)}_`, ...shown.map(renderMarkdown)].join('\n\n');
  console.log(`\n${text}`);
  return markdown;
}

async function main(): Promise<void> {
  let opts: BenchOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const results = await bench(opts);
  const markdown = report(results);
  await mkdir(path.join(root, 'bench'), { recursive: true });
  await writeFile(path.join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (opts.writeDocs) await updateDoc(path.join(root, 'docs/performance.md'), markdown);
  log(`\nWrote bench/results.json${opts.writeDocs ? ' and docs/performance.md' : ''}.`);
}

main().catch((err: unknown) => {
  console.error(`\nBENCH FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
