/** Command-line options of `npm run bench -- [options]`. */

/** The measurements, by number (see docs/performance.md). */
export const ITEMS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
export type ItemNumber = (typeof ITEMS)[number];

export interface BenchOptions {
  /** Which measurements to run, in order. */
  only: ItemNumber[];
  /** Multiplies every default size (records, bytes, rows); 0.1 for a quick run on a busy machine. */
  scale: number;
  /** OmniQ records of item 1; overrides the scaled default. */
  records?: number;
  /** Runs of each side (Export Desk, baseline), alternating; the median is reported. */
  runs: number;
  /** Also run Export Desk once more under --cpu-prof in item 1 and summarize where its time goes. */
  profile: boolean;
  /** Update docs/performance.md with the new tables (off for a quick experiment). */
  writeDocs: boolean;
}

export const USAGE = `usage: npm run bench -- [--only 1,6,7] [--scale F] [--records N] [--runs N] [--profile] [--no-docs]
  --only LIST     measurements to run, by number 1-9 (default: all); see docs/performance.md
  --scale F       multiply every default size by F, e.g. 0.1 on a busy machine (default 1)
  --records N     OmniQ records of measurement 1 (default 200000 × scale)
  --runs N        runs of each side, alternating; the median is reported (default 3, at least 3 for results
                  worth keeping)
  --profile       one more Export Desk run of measurement 1 under node --cpu-prof, summarized
  --no-docs       do not rewrite docs/performance.md (bench/results.json is always written)`;

export class UsageError extends Error {}

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value?.replace(/_/g, ''));
  if (value === undefined || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} needs a whole number of at least 1, got ${value ?? 'nothing'}`);
  }
  return n;
}

function itemList(value: string | undefined): ItemNumber[] {
  const parts = (value ?? '').split(',').filter((p) => p.trim() !== '');
  const items = parts.map((p) => Number(p.trim()));
  const bad = parts.filter((_, i) => !(ITEMS as readonly number[]).includes(items[i] as number));
  if (parts.length === 0 || bad.length > 0) {
    throw new UsageError(
      `--only needs measurement numbers from 1 to 9, like 1,6,7; got ${value ?? 'nothing'}`,
    );
  }
  return ITEMS.filter((n) => items.includes(n));
}

function scaleOf(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n <= 0 || n > 10) {
    throw new UsageError(`--scale needs a number above 0 and at most 10, got ${value ?? 'nothing'}`);
  }
  return n;
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = { only: [...ITEMS], scale: 1, runs: 3, profile: false, writeDocs: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--only':
        opts.only = itemList(value());
        break;
      case '--scale':
        opts.scale = scaleOf(value());
        break;
      case '--records':
        opts.records = positiveInt(flag, value());
        break;
      case '--runs':
        opts.runs = positiveInt(flag, value());
        break;
      case '--profile':
        opts.profile = true;
        break;
      case '--no-docs':
        opts.writeDocs = false;
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  return opts;
}

/** A default size times the scale, never below `min`. */
export function scaled(opts: BenchOptions, size: number, min = 1): number {
  return Math.max(min, Math.round(size * opts.scale));
}
