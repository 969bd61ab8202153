/**
 * Export progress outside the window: the taskbar/dock progress bar while exports run, and a desktop
 * notification when a long one finishes (the user has likely switched to something else).
 */
import { Notification, type BrowserWindow } from 'electron';
import { isTerminal, type JobRecord } from '../../shared/jobs.ts';

/** Exports quicker than this finish while the user is still watching. */
export const NOTIFY_AFTER_MS = 10_000;

/** Electron's setProgressBar: 0..1 a fraction, > 1 indeterminate (Windows; full bar elsewhere), < 0 none. */
export const INDETERMINATE = 2;
export const NO_PROGRESS = -1;

export interface ProgressOptions {
  runner: { on(listener: (record: JobRecord) => void): () => void };
  window: () => Pick<BrowserWindow, 'setProgressBar' | 'isDestroyed'> | undefined;
  notify: (title: string, body: string) => void;
}

/** The fraction done across the running exports, or indeterminate when any has no expected row count. */
export function progressValue(running: readonly JobRecord[]): number {
  if (running.length === 0) return NO_PROGRESS;
  let rows = 0;
  let expected = 0;
  for (const job of running) {
    const e = job.counters.expectedRows;
    if (!e) return INDETERMINATE;
    rows += Math.min(job.counters.rows, e);
    expected += e;
  }
  return rows / expected;
}

function elapsedMs(job: JobRecord): number {
  const start = Date.parse(job.startedAt ?? job.createdAt);
  const end = Date.parse(job.finishedAt ?? job.updatedAt);
  return Number.isNaN(start) || Number.isNaN(end) ? 0 : end - start;
}

function label(job: JobRecord): string {
  return job.recipe.name ?? `${job.recipe.provider} export`;
}

export function finishedNotice(job: JobRecord): { title: string; body: string } | undefined {
  if (job.state === 'ready') {
    const rows = job.counters.rows.toLocaleString('en-US');
    return { title: 'Export ready', body: `${label(job)}: ${rows} rows, ready to save.` };
  }
  if (job.state === 'failed')
    return {
      title: 'Export failed',
      body: `${label(job)}: ${job.error?.message ?? job.message ?? 'see Jobs.'}`,
    };
  return undefined;
}

/** Follows the runner's updates; returns a function that stops following. */
export function trackProgress(opts: ProgressOptions): () => void {
  const running = new Map<string, JobRecord>();
  const show = () => {
    const win = opts.window();
    if (win && !win.isDestroyed()) win.setProgressBar(progressValue([...running.values()]));
  };
  const stop = opts.runner.on((job) => {
    if (!isTerminal(job.state)) {
      running.set(job.id, job);
      show();
      return;
    }
    // Only an export this process saw running: a save of an old one ('saved') is not news.
    const wasRunning = running.delete(job.id);
    show();
    const notice = finishedNotice(job);
    if (wasRunning && notice && elapsedMs(job) > NOTIFY_AFTER_MS) opts.notify(notice.title, notice.body);
  });
  return () => {
    stop();
    running.clear();
    show();
  };
}

/** A desktop notification; clicking it brings the window back. Does nothing where the OS has none. */
export function desktopNotifier(onClick: () => void): (title: string, body: string) => void {
  // Held until dismissed: a notification that is garbage-collected no longer reports its click.
  const shown = new Set<Notification>();
  return (title, body) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body });
    shown.add(notification);
    notification.on('click', () => {
      shown.delete(notification);
      onClick();
    });
    notification.on('close', () => shown.delete(notification));
    notification.show();
  };
}
