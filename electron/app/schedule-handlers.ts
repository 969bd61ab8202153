/** The contract's schedule requests: the list, a save with its folder checked, remove, Run now, the folder dialog. */
import { UserError } from '../base/user-error.ts';
import { checkScheduleFolder } from '../schedules/folder-check.ts';
import type { Handlers } from './requests.ts';
import type { AppService } from './service.ts';
import { ScheduleBusyError } from '../schedules/run.ts';

type ScheduleRequests =
  'schedules.list' | 'schedules.save' | 'schedules.remove' | 'schedules.runNow' | 'schedules.chooseFolder';

export function scheduleHandlers(app: AppService): Pick<Handlers, ScheduleRequests> {
  return {
    'schedules.list': () => app.schedules.list(),
    'schedules.save': async (input) => {
      const folder = await checkScheduleFolder(input.folder);
      return app.schedules.save({ ...input, folder });
    },
    'schedules.remove': async ({ name }) => {
      await app.schedules.remove(name);
      return { removed: true };
    },
    'schedules.runNow': async ({ name }) => {
      const schedule = await app.schedules.get(name);
      // The answer comes at once; the run's progress and its end come as 'schedules.updated' events, and
      // a run that could not start at all (already running elsewhere) as a notice.
      app.schedules.run(schedule.name, 'manual').catch((error: unknown) => {
        app.scheduleFeed.notify({
          kind: 'failed',
          title: `Schedule “${schedule.name}” did not run`,
          body:
            error instanceof UserError || error instanceof ScheduleBusyError
              ? error.message
              : 'Something went wrong inside Export Desk; see its log.',
          schedule: schedule.name,
        });
        if (!(error instanceof UserError || error instanceof ScheduleBusyError))
          app.logger().error('a scheduled run failed', {
            error: error instanceof Error ? error.message : String(error),
          });
      });
      return schedule;
    },
    'schedules.chooseFolder': async () => {
      if (!app.hooks.chooseFolder)
        throw new UserError('This window has no folder dialog: type the full path of the folder instead.');
      const folder = await app.hooks.chooseFolder();
      if (folder === undefined) return {};
      return { path: await checkScheduleFolder(folder) };
    },
  };
}
