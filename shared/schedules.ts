/**
 * Schedules: a recipe that runs on its own, every hour, every day at a time or every week on a day, in a
 * time zone. One store holds them for the window and the command line; each run saves a file into the
 * schedule's folder. Pure data and rules here: the store, the clock and the runs live in electron/schedules/.
 */
import { z } from 'zod';
import { RecipeSchema } from './jobs.ts';
import { hasControlChars } from './text.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** A time of day on a 24-hour clock, `06:00`. */
export const TimeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Give a time of day as HH:MM on a 24-hour clock, such as 06:00');

/** When a schedule is due, in its time zone. An hourly schedule runs at `minute` past each hour. */
export const ScheduleTimingSchema = z.discriminatedUnion('every', [
  z.object({ every: z.literal('hour'), minute: z.number().int().min(0).max(59) }).strict(),
  z.object({ every: z.literal('day'), at: TimeOfDaySchema }).strict(),
  z.object({ every: z.literal('week'), on: z.enum(WEEKDAYS), at: TimeOfDaySchema }).strict(),
]);
export type ScheduleTiming = z.infer<typeof ScheduleTimingSchema>;

/** An IANA time zone this runtime knows (`Europe/Paris`, `UTC`). */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(100)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'Give an IANA time zone such as Europe/Paris, America/New_York or UTC');

export const ScheduleNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the schedule a name')
  .max(100)
  .refine(
    (name) => !hasControlChars(name),
    'A schedule name cannot hold control characters (escape, line breaks, tabs)',
  );

export const SCHEDULE_RUN_STATES = ['running', 'retrying', 'succeeded', 'failed'] as const;
export type ScheduleRunState = (typeof SCHEDULE_RUN_STATES)[number];

/** Why a run started: its time came, it was missed while nothing ran and caught up, or a person asked. */
export const ScheduleTriggerSchema = z.enum(['due', 'catch-up', 'manual']);
export type ScheduleTrigger = z.infer<typeof ScheduleTriggerSchema>;

/** One run of a schedule, kept in its history. */
export const ScheduleRunSchema = z.object({
  /** The slot it ran for (ISO instant); a manual run's own start. */
  dueAt: z.string(),
  trigger: ScheduleTriggerSchema,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  state: z.enum(SCHEDULE_RUN_STATES),
  /** Tries so far, the first included. */
  attempts: z.number().int().positive(),
  /** When the next try starts, while `retrying`. */
  retryAt: z.string().optional(),
  /** The export's job, once one started (the Exports page shows it). */
  jobId: z.string().optional(),
  /** The saved file, on success. */
  file: z.string().optional(),
  rows: z.number().int().nonnegative().optional(),
  /** What went wrong, in words, on failure (never a secret). */
  message: z.string().optional(),
});
export type ScheduleRun = z.infer<typeof ScheduleRunSchema>;

export const ScheduleSchema = z.object({
  name: ScheduleNameSchema,
  /** A copy of the recipe as it was scheduled: changing or deleting the file later does not change the schedule. */
  recipe: RecipeSchema,
  timing: ScheduleTimingSchema,
  timeZone: TimeZoneSchema,
  /** The folder each run's file is saved to (absolute). */
  folder: z.string().min(1).max(4096),
  /** A paused schedule is listed but never due. */
  paused: z.boolean().default(false),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The latest runs, newest first (bounded). */
  runs: z.array(ScheduleRunSchema).default([]),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

/** A schedule as listed: with when it runs next (absent while paused). */
export const ScheduleInfoSchema = ScheduleSchema.extend({
  nextRunAt: z.string().optional(),
});
export type ScheduleInfo = z.infer<typeof ScheduleInfoSchema>;

/** What the window sends to create or change a schedule. The folder is chosen with a dialog where there is one. */
export const SaveScheduleInputSchema = z
  .object({
    name: ScheduleNameSchema,
    /** Set when renaming or editing an existing schedule. */
    previousName: ScheduleNameSchema.optional(),
    recipe: RecipeSchema,
    timing: ScheduleTimingSchema,
    timeZone: TimeZoneSchema,
    /** Empty: the default folder, `<data folder>/scheduled/<name>`. */
    folder: z.string().max(4096).default(''),
    paused: z.boolean().default(false),
  })
  .strict();
export type SaveScheduleInput = z.infer<typeof SaveScheduleInputSchema>;

/** The timing as a person reads it: "Every day at 06:00 (Europe/Paris)". */
export function describeTiming(timing: ScheduleTiming, timeZone: string): string {
  const zone = ` (${timeZone})`;
  switch (timing.every) {
    case 'hour':
      return `Every hour at ${String(timing.minute).padStart(2, '0')} minutes past${zone}`;
    case 'day':
      return `Every day at ${timing.at}${zone}`;
    case 'week':
      return `Every ${WEEKDAY_LABELS[timing.on]} at ${timing.at}${zone}`;
  }
}

/** What changed in the schedules, for a window to show it without asking again. */
export const ScheduleChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('saved'), schedule: ScheduleInfoSchema }),
  z.object({ type: z.literal('removed'), name: z.string() }),
  /** A run started, is waiting to try again, or finished; `schedule` as it stands after the change. */
  z.object({
    type: z.literal('run'),
    name: z.string(),
    run: ScheduleRunSchema,
    schedule: ScheduleInfoSchema.optional(),
  }),
]);
export type ScheduleChange = z.infer<typeof ScheduleChangeSchema>;
