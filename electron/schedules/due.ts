/**
 * Whether a schedule is due, and for which slot. A schedule is due when its latest slot at or before now
 * is later than the slot its last run was for (or, never run, than when it was made). However many slots
 * were missed while nothing ran, it is due once, for the latest: a day off does not queue a day of runs.
 */
import type { Schedule, ScheduleTrigger } from '../../shared/schedules.ts';
import { latestSlotAtOrBefore } from '../../shared/schedule-timing.ts';

export interface DueSlot {
  /** The slot the run is for. */
  slotMs: number;
  /** 'catch-up' when slots before this one were missed too. */
  trigger: Extract<ScheduleTrigger, 'due' | 'catch-up'>;
}

/** The instant after which a slot is still to run: the last run's slot, else the schedule's creation. */
export function coveredUntil(schedule: Schedule): number {
  const last = schedule.runs[0];
  return Date.parse(last?.dueAt ?? schedule.createdAt);
}

/** The slot a run is due for at `nowMs`, or undefined when none is (or the schedule is paused). */
export function dueSlot(schedule: Schedule, nowMs: number): DueSlot | undefined {
  if (schedule.paused) return undefined;
  const covered = coveredUntil(schedule);
  const slotMs = latestSlotAtOrBefore(schedule.timing, schedule.timeZone, nowMs);
  if (!(slotMs > covered)) return undefined;
  const before = latestSlotAtOrBefore(schedule.timing, schedule.timeZone, slotMs - 1);
  return { slotMs, trigger: before > covered ? 'catch-up' : 'due' };
}
