/**
 * The files `exportdesk export` will write, checked before any work: a mistake in the command line must
 * not cost a long export, nor leave a file on disk beside a "bad usage" exit.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { JobRecord, Recipe } from '../../shared/jobs.ts';
import { findProvider, PROVIDERS } from '../../shared/providers/index.ts';
import { UserError } from '../base/user-error.ts';
import { summaryFile, type SummaryFormat } from '../app/summary-file.ts';
import { assertSaveTarget, writeFileAtomic } from '../base/atomic-file.ts';

/** The folder exists, and what is at `target`, if anything, is a file a save may replace. */
export async function checkTarget(target: string, flag: string): Promise<void> {
  const folder = await fs.stat(path.dirname(target)).catch(() => undefined);
  if (!folder?.isDirectory())
    throw new UserError(
      `The folder ${path.dirname(target)} does not exist; create it or choose another ${flag}.`,
    );
  try {
    await assertSaveTarget(target);
  } catch (e) {
    throw new UserError(`${(e as Error).message.replace(/\.$/, '')}, or another ${flag}.`);
  }
}

export interface TotalsTarget {
  path: string;
  format: SummaryFormat;
}

/** Validates `--totals FILE` against the recipe and the main target; undefined when not asked for. */
export async function checkTotals(
  file: string | undefined,
  cwd: string,
  recipe: Recipe,
  target: string,
): Promise<TotalsTarget | undefined> {
  if (file === undefined) return undefined;
  const totalsPath = path.resolve(cwd, file);
  const ext = path.extname(totalsPath).toLowerCase();
  if (ext !== '.csv' && ext !== '.json')
    throw new UserError(`--totals needs a file name ending in .csv or .json, not "${file}".`);
  if (totalsPath === target)
    throw new UserError('--totals must name another file than the export itself (--out).');
  await checkTarget(totalsPath, '--totals');
  if (!findProvider(recipe.provider)?.capabilities.totals) {
    const withTotals = PROVIDERS.filter((p) => p.capabilities.totals).map((p) => p.id);
    throw new UserError(
      `--totals: ${recipe.provider} reports have no totals (only ${withTotals.join(', ')} reports do). Leave out --totals.`,
    );
  }
  return { path: totalsPath, format: ext === '.json' ? 'json' : 'csv' };
}

/**
 * Writes the report's totals; a report that came without any (known only now) is a note, not a failure:
 * the export itself was saved. Returns the line to tell the user.
 */
export async function saveTotals(job: JobRecord, totals: TotalsTarget): Promise<string> {
  if (!job.resultInfo?.summary?.length)
    return `Note: this report came without totals; ${totals.path} was not written.`;
  const { text } = await summaryFile(job, totals.format);
  await writeFileAtomic(totals.path, text, { mode: 0o644 });
  return `Saved the report totals to ${totals.path}`;
}
