/**
 * What the user is told about finished runs, worked out from the schedules as listed: a run that
 * succeeded or failed since the last look gives one notice, whoever started it.
 */
import path from 'node:path';
import type { ScheduleNotice } from '../../shared/api.ts';
import type { ScheduleInfo, ScheduleRun } from '../../shared/schedules.ts';

const finished = (run: ScheduleRun | undefined): run is ScheduleRun =>
  run?.state === 'succeeded' || run?.state === 'failed';

const keyOf = (run: ScheduleRun): string => `${run.startedAt}|${run.dueAt}|${run.state}`;

export function runNotice(name: string, run: ScheduleRun): ScheduleNotice {
  if (run.state === 'succeeded') {
    const rows = (run.rows ?? 0).toLocaleString('en-US');
    const file = run.file ? path.basename(run.file) : 'its file';
    return {
      kind: 'succeeded',
      title: `Schedule “${name}” ran`,
      body: `Saved ${file}: ${rows} rows.`,
      schedule: name,
    };
  }
  return {
    kind: 'failed',
    title: `Schedule “${name}” failed`,
    body: run.message ?? 'The run failed; see Schedules.',
    schedule: name,
  };
}

export class RunNotices {
  readonly #seen = new Map<string, string>();

  /** Takes the runs already finished as known, so opening the app does not announce old news. */
  prime(schedules: readonly ScheduleInfo[]): void {
    for (const s of schedules) {
      const run = s.runs[0];
      if (finished(run)) this.#seen.set(s.name, keyOf(run));
    }
  }

  /** A notice for each schedule whose latest run finished since the last look. */
  take(schedules: readonly ScheduleInfo[]): ScheduleNotice[] {
    const notices: ScheduleNotice[] = [];
    for (const s of schedules) {
      const run = s.runs[0];
      if (!finished(run)) continue;
      const key = keyOf(run);
      if (this.#seen.get(s.name) === key) continue;
      this.#seen.set(s.name, key);
      notices.push(runNotice(s.name, run));
    }
    return notices;
  }
}
