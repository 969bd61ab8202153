/** Command-line options of `npm run bench -- [options]`. */

export interface BenchOptions {
  /** Records the simulator serves and every export carries. */
  records: number;
  /** End-to-end runs of each side (Export Desk, baseline), alternating. */
  runs: number;
  /** Rounds of the save-only measurement (each round saves every format once). */
  saveRuns: number;
  /** Also run Export Desk once more under --cpu-prof and summarize where its time goes. */
  profile: boolean;
  /** Update docs/performance.md with the new table (off for a quick experiment). */
  writeDocs: boolean;
}

export const USAGE = `usage: npm run bench -- [--records N] [--runs N] [--save-runs N] [--profile] [--no-docs]
  --records N     OmniQ records to export (default 100000)
  --runs N        end-to-end runs of Export Desk and of the baseline, alternating (default 3)
  --save-runs N   rounds of save-only measurements (default 3)
  --profile       one more Export Desk run under node --cpu-prof, summarized
  --no-docs       do not rewrite docs/performance.md (bench/results.json is always written)`;

export class UsageError extends Error {}

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value?.replace(/_/g, ''));
  if (value === undefined || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} needs a whole number of at least 1, got ${value ?? 'nothing'}`);
  }
  return n;
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = { records: 100_000, runs: 3, saveRuns: 3, profile: false, writeDocs: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--records':
        opts.records = positiveInt(flag, value());
        break;
      case '--runs':
        opts.runs = positiveInt(flag, value());
        break;
      case '--save-runs':
        opts.saveRuns = positiveInt(flag, value());
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
