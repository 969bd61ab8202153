/**
 * The scheduler of a running window or browser-mode server (not the command line, whose `schedule
 * run-due` is called by cron and its kind): the ticker over the app's schedules, telling the user
 * through the app's schedule feed.
 */
import type { AppService } from '../app/service.ts';
import { startTicker, type Ticker } from './ticker.ts';

export function startInAppScheduler(app: AppService): Ticker {
  const log = app.logger();
  return startTicker({
    clock: app.clock,
    engine: app.schedules,
    onNotice: (notice) => app.scheduleFeed.notify(notice),
    onError: (error) =>
      log.error('schedules: a round of due runs failed', {
        error: error instanceof Error ? error.message : String(error),
      }),
  });
}
