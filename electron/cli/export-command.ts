import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { JobRecord } from '../../shared/jobs.ts';
import { OutputFormatSchema, OutputOptionsSchema, type OutputOptions } from '../../shared/output.ts';
import { gapsText } from '../../shared/profile.ts';
import { UserError } from '../base/user-error.ts';
import { describeJobError } from '../jobs/errors.ts';
import { EXIT } from './io.ts';
import type { Runner } from './parse.ts';
import { count, ProgressReporter } from './progress.ts';
import { untilAborted } from '../base/clock.ts';
import { checkTarget, checkTotals, saveTotals } from './targets.ts';

async function readRecipe(file: string): Promise<unknown> {
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UserError(`Cannot read the recipe ${file}: ${e.code ?? e.message}.`);
  });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`The recipe ${file} is not valid JSON: ${(e as Error).message}.`);
  }
}

function formatFromName(file: string): OutputOptions['format'] | undefined {
  const ext = path.extname(file).slice(1).toLowerCase();
  const parsed = OutputFormatSchema.safeParse(ext === 'jsonl' ? 'ndjson' : ext);
  return parsed.success ? parsed.data : undefined;
}

/** The formats, as a user reads them: `csv, json, ndjson or parquet`. */
function formatList(): string {
  const names = [...OutputFormatSchema.options];
  const last = names.pop();
  return `${names.join(', ')} or ${String(last)}`;
}

/** Runs a recipe to a file. Exit codes: 0 done, 1 failed, 2 bad usage or recipe, 130 cancelled. */
export const exportCommand: Runner<'export'> = async (app, io, { values, positionals: [file = ''] }) => {
  const recipePath = path.resolve(io.cwd, file);
  const raw = await readRecipe(recipePath);
  const recipe = app.parseRecipe(raw);

  // --out is relative to the current folder; a path inside the recipe to the recipe's own folder.
  const target = values.out
    ? path.resolve(io.cwd, values.out)
    : recipe.output.path
      ? path.resolve(path.dirname(recipePath), recipe.output.path)
      : undefined;
  if (!target)
    throw new UserError('Say where to write the file: --out FILE, or "output.path" in the recipe.');
  const rawFormat = (raw as { output?: { format?: unknown } }).output?.format;
  const format =
    values.format ?? (rawFormat === undefined ? formatFromName(target) : undefined) ?? recipe.output.format;
  const { path: _recipePath, ...recipeOutput } = recipe.output;
  const parsedOutput = OutputOptionsSchema.safeParse({ ...recipeOutput, format });
  if (!parsedOutput.success)
    throw new UserError(`--format must be ${formatList()}, not "${String(format)}".`);
  const output = parsedOutput.data;
  await checkTarget(target, '--out');
  const totals = await checkTotals(values.totals, io.cwd, recipe, target);

  const progress = ProgressReporter.for(io, values.json === true);
  const saveAbort = new AbortController();
  let cancelled = false;
  let job: JobRecord | undefined;
  const stopInterrupt = io.onInterrupt(() => {
    cancelled = true;
    if (job) app.runner.cancel(job.id);
    saveAbort.abort(new DOMException('The export was cancelled.', 'AbortError'));
  });
  const unsubscribe = app.runner.on((r) => {
    if (job && r.id === job.id) progress.job(r);
  });
  try {
    job = await app.runner.start(recipe);
    if (job.remote.jobId)
      progress.say(
        `Resuming the run of this export that was interrupted (${job.id}): checking on the vendor's job ${job.remote.jobId} instead of submitting it again.`,
      );
    progress.job(job);
    if (cancelled) app.runner.cancel(job.id);
    const done = await app.runner.wait(job.id);
    progress.endLine();
    for (const w of done.warnings) progress.say(`Note: ${w}`);
    if (done.resultInfo?.timeZoneId)
      progress.say(
        `Note: times without an offset are in ${done.resultInfo.timeZoneId} (the report's time zone), written as the vendor sent them.`,
      );
    if (done.state === 'cancelled' || cancelled) {
      progress.say('Cancelled: nothing was written.');
      progress.event({ event: 'cancelled', id: done.id });
      return EXIT.cancelled;
    }
    if (done.state === 'failed') {
      const message = done.error ? describeJobError(done.error) : (done.message ?? 'The export failed.');
      progress.say(`Failed — ${message}`);
      progress.event({ event: 'failed', id: done.id, error: done.error });
      if (values.json) io.stderr.write(`${message}\n`);
      return EXIT.failed;
    }
    progress.say(`Writing ${count(done.counters.rows, 'row')} to ${target} …`);
    const result = await app.saves.saveTo(done.id, target, output, saveAbort.signal);
    progress.say(`Saved ${count(result.rows, 'row')} (${output.format}) to ${result.path}`);
    for (const notice of result.notices ?? []) progress.say(`Note: ${notice}`);
    if (totals) progress.say(await saveTotals(done, totals));
    let profile = await app.profile(done.id);
    if (profile?.profiling) {
      const so = `${profile.rowCount.toLocaleString('en-US')} of ${count(profile.profiling.rows, 'row')}`;
      if (values.json) {
        // A vendor's CSV can arrive faster than its rows are profiled; the final event carries all of
        // them, unless the user stops the wait (the file is saved: it then carries what was profiled).
        progress.event({
          event: 'profiling',
          id: done.id,
          profiled: profile.rowCount,
          rows: profile.profiling.rows,
        });
        profile = await untilAborted(app.finalProfile(done.id), saveAbort.signal).catch(() =>
          app.profile(done.id),
        );
      } else {
        progress.say(
          `Note: the profile of the rows covers ${so}; the rest were still being profiled (--json waits for all of them).`,
        );
      }
    }
    const timeline = profile?.timelines[0];
    // A partial profile's later rows may fill what looks like a gap: none is named.
    const gaps = timeline && !profile?.partial ? gapsText(timeline) : undefined;
    if (timeline && gaps)
      progress.say(`Note: ${gaps[0]?.toLowerCase()}${gaps.slice(1, -1)} (by ${timeline.column}).`);
    progress.event({
      event: 'saved',
      id: done.id,
      path: result.path,
      rows: result.rows,
      bytes: result.bytes,
      format: output.format,
      ...(result.notices?.length ? { notices: result.notices } : {}),
      // The shape of the data: per column its kind, empty cells, distinct values, min and max, and rows
      // per day (or hour) of the date columns.
      ...(profile ? { profile } : {}),
    });
    return EXIT.ok;
  } catch (e) {
    if (cancelled) {
      progress.say('Cancelled: nothing was written.');
      return EXIT.cancelled;
    }
    throw e;
  } finally {
    unsubscribe();
    stopInterrupt();
  }
};
