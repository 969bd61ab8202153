/**
 * `npm run bench`: Export Desk against a baseline doing the same work, side by side, in one run on this
 * machine. Each measurement (see docs/performance.md and ITEMS below) reports its runs, medians and ratios;
 * the tables are printed, bench/results.json is written and the block in docs/performance.md rewritten.
 * A measurement that cannot run (a missing baseline tool, a wrong row count) fails the bench loudly, with
 * a non-zero exit; the measurements that did run are still written.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE, UsageError, type BenchOptions } from './args.ts';
import { updateDoc } from './docs.ts';
import { ALL_ITEMS } from './item-list.ts';
import { loadAverage, type ItemRecord, type Verdict } from './items.ts';
import { machineLine, renderMarkdown, renderText, type Table } from './report.ts';
import { machineInfo, type BenchResults } from './results.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS = path.join(root, 'bench/results.json');
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** The previous results, so a run of a few measurements keeps the others (each with its own date). */
async function previous(): Promise<Record<string, ItemRecord>> {
  try {
    const old = JSON.parse(await readFile(RESULTS, 'utf8')) as Partial<BenchResults>;
    return old.items && typeof old.items === 'object' ? old.items : {};
  } catch {
    return {};
  }
}

async function runItems(
  opts: BenchOptions,
): Promise<{ items: Record<string, ItemRecord>; failed: string[] }> {
  const items: Record<string, ItemRecord> = {};
  const failed: string[] = [];
  for (const item of ALL_ITEMS.filter((i) => opts.only.includes(i.n))) {
    log(`\n${item.n}. ${item.title}`);
    const workDir = await mkdtemp(path.join(os.tmpdir(), `exportdesk-bench-${item.key}-`));
    const date = new Date().toISOString();
    const start = loadAverage();
    try {
      const outcome = await item.run({ opts, workDir, log });
      items[item.key] = {
        n: item.n,
        title: item.title,
        date,
        loadAverage: { start, end: loadAverage() },
        ...outcome,
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`\nBENCH FAILED in ${item.n}. ${item.title}: ${message}`);
      failed.push(`${item.n}. ${item.title}: ${message}`);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
  return { items, failed };
}

function verdictTable(records: ItemRecord[]): Table {
  const verdicts: Verdict[] = records.flatMap((r) => r.verdicts);
  return {
    title: 'Targets',
    header: ['measurement', 'figure', 'target', 'met'],
    rows: verdicts.map((v) => [v.what, v.figure, v.target, v.met ? 'yes' : '**no**']),
    leftColumns: 1,
  };
}

function render(results: BenchResults): { text: string; markdown: string } {
  const records = Object.values(results.items).sort((a, b) => a.n - b.n);
  const head = machineLine(results.date, results.machine);
  const itemLine = (r: ItemRecord): string =>
    `${r.n}. ${r.title}: ${machineLine(r.date, results.machine, r.loadAverage)}`;
  const text = [head, renderText(verdictTable(records))]
    .concat(records.flatMap((r) => [itemLine(r), ...r.tables.map(renderText)]))
    .join('\n\n');
  const markdown = [`_${head}_`, renderMarkdown(verdictTable(records))]
    .concat(records.flatMap((r) => [`_${itemLine(r)}_`, ...r.tables.map(renderMarkdown)]))
    .join('\n\n');
  return { text, markdown };
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
  const date = new Date().toISOString();
  const kept = await previous();
  const { items, failed } = await runItems(opts);
  const results: BenchResults = { date, options: opts, machine: machineInfo(), items: { ...kept, ...items } };
  const { text, markdown } = render(results);
  console.log(`\n${text}`);
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  if (opts.writeDocs) await updateDoc(path.join(root, 'docs/performance.md'), markdown);
  log(`\nWrote bench/results.json${opts.writeDocs ? ' and docs/performance.md' : ''}.`);
  if (failed.length > 0) {
    console.error(`\nBENCH FAILED:\n${failed.map((f) => `  ${f}`).join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(`\nBENCH FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
