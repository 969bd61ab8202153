/**
 * Measurement 1, OmniQ end to end: N nested records from the loopback simulator to a CSV file, Export Desk
 * (the AppService, in a child process) against a short http + JSON.parse + csv-stringify script, alternating.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TENANT, startOmniqSimulator } from '../simulators/omniq.ts';
import { scaled } from './args.ts';
import { baselineRun, exportDeskRun, summarize, type EndToEndSetup, type SideSummary } from './end-to-end.ts';
import { columnsOf } from './flatten.ts';
import { fixed, int, ratio, runsText, type BenchItem, type ItemContext } from './items.ts';
import { largestProfile, profileTables, summarizeProfile, type ProfileSummary } from './profile.ts';
import type { Table } from './report.ts';
import { series } from './stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const INDEX = 'communications';
const PAGE_SIZE = 1000;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * The simulator with N records and no result window (the baseline pages straight through), and every
 * column of the records (or `columns`, known from a smaller set: copying millions of records costs GBs).
 */
export async function omniqSetup(records: number, workDir: string, known?: string[]): Promise<EndToEndSetup> {
  const sim = await startOmniqSimulator({ counts: { [INDEX]: records }, resultWindow: null });
  const columns = known ?? columnsOf(sim.records(INDEX));
  const columnsFile = path.join(workDir, `columns-${records}.json`);
  await writeFile(columnsFile, JSON.stringify(columns));
  return {
    sim,
    tenantId: DEFAULT_TENANT,
    index: INDEX,
    pageSize: PAGE_SIZE,
    records,
    columns,
    columnsFile,
    workDir,
  };
}

export const omniqItem: BenchItem = {
  n: 1,
  key: 'omniq',
  title: 'OmniQ end to end',
  async run({ opts, workDir, log }: ItemContext) {
    const records = opts.records ?? scaled(opts, 200_000, 1000);
    log(`Generating ${int(records)} OmniQ records…`);
    const setup = await omniqSetup(records, workDir);
    try {
      const ed = [];
      const bl = [];
      for (let i = 0; i < opts.runs; i++) {
        const dataDir = path.join(workDir, `export-desk-${i}`);
        const run = await exportDeskRun(setup, dataDir);
        await rm(dataDir, { recursive: true, force: true });
        ed.push(run);
        log(`  ${i + 1}/${opts.runs}: Export Desk ${secs(run.totalMs)}`);
        const base = await baselineRun(setup);
        bl.push(base);
        log(`  ${i + 1}/${opts.runs}: baseline ${secs(base.totalMs)}`);
      }
      let profile: ProfileSummary | undefined;
      if (opts.profile) {
        log('Profiling one more Export Desk run…');
        const profDir = path.join(workDir, 'profile');
        await mkdir(profDir);
        await exportDeskRun(setup, path.join(workDir, 'export-desk-profiled'), {
          nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
        });
        profile = await summarizeProfile(await largestProfile(profDir), root);
      }
      const exportDesk = {
        ...summarize(ed),
        fetchMs: series(ed.map((r) => r.fetchMs ?? 0)),
        saveMs: series(ed.map((r) => r.saveMs ?? 0)),
      };
      const baseline = summarize(bl);
      const speed = exportDesk.rowsPerSec.median / baseline.rowsPerSec.median;
      const data = {
        records,
        pageSize: PAGE_SIZE,
        runs: opts.runs,
        exportDesk,
        baseline,
        ratio: {
          rowsPerSec: speed,
          peakRss: exportDesk.peakRssMb.median / baseline.peakRssMb.median,
          cpu: exportDesk.cpuS.median / baseline.cpuS.median,
        },
        ...(profile ? { profile } : {}),
      };
      return {
        data,
        tables: [...omniqTables(data), ...(profile ? profileTables(profile) : [])],
        verdicts: [
          {
            what: '1. OmniQ end to end, rows/s vs baseline',
            figure: ratio(speed),
            target: '≥ 1.00×',
            met: speed >= 1,
          },
        ],
      };
    } finally {
      await setup.sim.close();
    }
  },
};

interface OmniqData {
  records: number;
  pageSize: number;
  runs: number;
  exportDesk: SideSummary & {
    fetchMs: { median: number; runs: number[] };
    saveMs: { median: number; runs: number[] };
  };
  baseline: SideSummary;
  ratio: { rowsPerSec: number; peakRss: number; cpu: number };
}

function omniqTables(d: OmniqData): Table[] {
  const side = (name: string, s: SideSummary): string[] => [
    name,
    fixed(s.totalMs.median / 1000, 2),
    int(s.rowsPerSec.median),
    fixed(s.peakRssMb.median, 0),
    fixed(s.cpuS.median, 2),
    fixed(s.simulatorCpuS.median, 2),
    int(s.requests.median),
  ];
  const ed = d.exportDesk;
  return [
    {
      title: `1. OmniQ end to end: ${int(d.records)} records, page size ${d.pageSize}, median of ${d.runs} runs each`,
      header: ['', 'wall s', 'rows/s', 'peak RSS MiB', 'client CPU s', 'simulator CPU s', 'requests'],
      rows: [
        side('Export Desk', ed),
        side('baseline', d.baseline),
        [
          'Export Desk ÷ baseline',
          '',
          ratio(d.ratio.rowsPerSec),
          ratio(d.ratio.peakRss),
          ratio(d.ratio.cpu),
          '',
          '',
        ],
      ],
      leftColumns: 1,
    },
    {
      title: '1. Export Desk wall time, split',
      header: ['', 'median s', 'runs s'],
      rows: [
        ['fetch + spool', fixed(ed.fetchMs.median / 1000, 2), runsText(ed.fetchMs.runs, 2, 1000)],
        ['save CSV', fixed(ed.saveMs.median / 1000, 2), runsText(ed.saveMs.runs, 2, 1000)],
      ],
      leftColumns: 1,
    },
  ];
}
