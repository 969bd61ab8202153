/** Texts about an export that the window and the command line both show, worded the same in each. */
import { exportTitle } from './filenames.ts';
import { isTerminal, type JobRecord } from './jobs.ts';

/**
 * What the list, the export's page, its buttons and the command line call an export: the recipe's own
 * name, else the default title its saved file is named after (vendor, object, date range: exportTitle).
 */
export function jobTitle(job: JobRecord): string {
  return job.recipe.name || exportTitle(job);
}

/** "<1s", "42s", "3m 05s", "2h 10m". */
export function formatDuration(ms: number): string {
  // "0s" next to a rate reads as a contradiction; a sub-second export took "<1s".
  if (ms < 1000) return '<1s';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** "27 s", "61 s": a countdown in seconds, as the vendors' rules count them; longer ones as durations. */
function countdown(ms: number): string {
  return ms < 100_000 ? `${Math.max(1, Math.ceil(ms / 1000))} s` : formatDuration(ms);
}

/**
 * What holds a running export back, by whose limit: "CXone allows one call per 30 s per tenant — next
 * call in 27 s", or that it waits behind another export for the tenant's slot. Undefined when nothing does.
 */
export function waitText(job: JobRecord, now: number): string | undefined {
  const wait = job.wait;
  if (!wait || isTerminal(job.state)) return undefined;
  switch (wait.kind) {
    case 'pace': {
      const ms = wait.nextAt ? Date.parse(wait.nextAt) - now : 0;
      return `${wait.rule} — next call ${ms > 0 ? `in ${countdown(ms)}` : 'now'}`;
    }
    case 'turn':
      return `Waiting for the ${wait.scope}'s slot, behind another export on this ${wait.scope}: ${wait.rule}.`;
    case 'slots':
      return `Waiting for a free slot: ${wait.rule}.`;
  }
}

/** Said wherever a pruned export's rows would be: its preview, its save, the list. */
export const DATA_REMOVED = 'Data removed to save space — Run again to fetch it.';

/**
 * What the button that starts a finished export's recipe anew says: an export that did not get its rows
 * (failed, cancelled) is retried; one that did is run again, for fresh rows.
 */
export function runAgainLabel(state: JobRecord['state']): 'Retry' | 'Run again' {
  return state === 'failed' || state === 'cancelled' ? 'Retry' : 'Run again';
}
