/**
 * `exportdesk prune`: the window's "Prune now" from a terminal or a script. The bounds are the saved
 * settings; the choice and the removal are the app's pruner (electron/app/prune.ts), so both remove the same.
 */
import type { Settings } from '../../shared/api.ts';
import { jobTitle } from '../../shared/job-text.ts';
import type { SpoolSize } from '../app/prune.ts';
import { formatBytes } from '../jobs/disk-errors.ts';
import { EXIT } from './io.ts';
import type { Runner } from './parse.ts';
import { count } from './progress.ts';

/** "keep 7 days, at most 5 GB": the bounds in force, or undefined when there are none (pruning is off). */
function boundsText({ keepDays, keepGb }: Settings): string | undefined {
  const bounds = [
    ...(keepDays === null ? [] : [`keep ${count(keepDays, 'day')}`]),
    ...(keepGb === null ? [] : [`at most ${keepGb} GB`]),
  ];
  return bounds.length ? bounds.join(', ') : undefined;
}

const finished = ({ job }: SpoolSize): string => job.finishedAt ?? job.updatedAt;

function exportLine(s: SpoolSize): string {
  const when = finished(s).slice(0, 16).replace('T', ' ');
  return `  ${jobTitle(s.job)} — finished ${when} UTC, ${formatBytes(s.bytes)} (${s.job.id})`;
}

export const pruneCommand: Runner<'prune'> = async (app, io, { values }) => {
  const dryRun = values['dry-run'] === true;
  const settings = await app.settings.get();
  const bounds = boundsText(settings);
  const chosen = !bounds ? [] : dryRun ? await app.pruner.due() : (await app.pruner.prune()).removed;
  const bytes = chosen.reduce((sum, s) => sum + s.bytes, 0);
  if (values.json) {
    const exports = chosen.map((s) => ({
      id: s.job.id,
      title: jobTitle(s.job),
      finishedAt: finished(s),
      bytes: s.bytes,
    }));
    const { keepDays, keepGb } = settings;
    const report = { pruning: bounds ? 'on' : 'off', dryRun, keepDays, keepGb, bytes, exports };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT.ok;
  }
  if (!bounds) {
    io.stdout.write(
      'Pruning is off: no bound is set, so nothing was removed. Set "Keep export data for N days" or "Keep at most N GB" in Settings (keepDays, keepGb in settings.json).\n',
    );
    return EXIT.ok;
  }
  if (chosen.length === 0) {
    io.stdout.write(
      `Nothing is past the saved bounds (${bounds}): nothing ${dryRun ? 'would be' : 'was'} removed.\n`,
    );
    return EXIT.ok;
  }
  const what = `the data of ${count(chosen.length, 'export')}`;
  io.stdout.write(
    [
      dryRun
        ? `Would remove ${what}, freeing ${formatBytes(bytes)} (${bounds}):`
        : `Removed ${what}, ${formatBytes(bytes)} freed (${bounds}):`,
      ...chosen.map(exportLine),
      dryRun
        ? 'Nothing was removed (--dry-run).'
        : 'Their records stay in the exports list; Run again fetches the rows anew.',
    ].join('\n') + '\n',
  );
  return EXIT.ok;
};
