/**
 * When a schedule's slots fall, as instants, for a timing read on the wall clock of an IANA time zone.
 *
 * Around a change of offset a wall time may not exist (clocks go forward) or exist twice (clocks go back).
 * A slot whose wall time does not exist that day runs at the first instant after the gap (06:00 never
 * falls in a gap, but 02:30 does in Europe/Paris on the last Sunday of March: it runs at 03:00 summer
 * time); one that exists twice runs once, at its first occurrence.
 */
import type { ScheduleTiming, Weekday } from './schedules.ts';
import { WEEKDAYS } from './schedules.ts';
import { instantOf, wallClockAt, type WallClock } from './zoned-time.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const asUtc = (w: WallClock): number =>
  Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms);

/** The wall clock `asUtc` stands for (arithmetic on wall times through UTC, which has no gaps). */
function fromUtc(ms: number): WallClock {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
  };
}

/**
 * The instant a wall time in `timeZone` runs at: its first occurrence, or, when the clocks skip it, the
 * first instant after the gap (the moment of the change itself).
 */
export function slotInstant(wall: WallClock, timeZone: string): number {
  const wanted = asUtc(wall);
  const guess = instantOf(wall, timeZone);
  if (asUtc(wallClockAt(guess, timeZone)) === wanted) return guess;
  // In a gap: `guess` lies past it. Find the first instant whose wall clock reads at or after the wanted
  // time; gaps are shorter than a day, and the wall clock only moves forward within one.
  let lo = guess - DAY;
  let hi = guess;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (asUtc(wallClockAt(mid, timeZone)) >= wanted) hi = mid;
    else lo = mid;
  }
  return hi;
}

function parseAt(at: string): { hour: number; minute: number } {
  const [h = '0', m = '0'] = at.split(':');
  return { hour: Number(h), minute: Number(m) };
}

const weekdayOf = (w: WallClock): Weekday =>
  // getUTCDay: 0 is Sunday; WEEKDAYS starts on Monday.
  WEEKDAYS[(new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7] as Weekday;

/**
 * Every slot whose wall time lies within a few days (a few hours for an hourly timing) either side of
 * `aroundMs`: wide enough that the slots just before and just after `aroundMs` are always among them.
 */
function slotsAround(timing: ScheduleTiming, timeZone: string, aroundMs: number): number[] {
  const here = asUtc(wallClockAt(aroundMs, timeZone));
  const walls: WallClock[] = [];
  if (timing.every === 'hour') {
    const hourStart = here - (((here % HOUR) + HOUR) % HOUR);
    for (let h = -3; h <= 3; h++) {
      walls.push(fromUtc(hourStart + h * HOUR + timing.minute * 60_000));
    }
  } else {
    const { hour, minute } = parseAt(timing.at);
    const dayStart = here - (((here % DAY) + DAY) % DAY);
    const span = timing.every === 'week' ? 8 : 2;
    for (let d = -span; d <= span; d++) {
      const wall = fromUtc(dayStart + d * DAY + hour * HOUR + minute * 60_000);
      if (timing.every === 'day' || weekdayOf(wall) === timing.on) walls.push(wall);
    }
  }
  return walls.map((w) => slotInstant(w, timeZone)).sort((a, b) => a - b);
}

/** The first slot strictly after `afterMs`. */
export function nextRunAt(timing: ScheduleTiming, timeZone: string, afterMs: number): number {
  const next = slotsAround(timing, timeZone, afterMs).find((s) => s > afterMs);
  if (next === undefined) throw new Error(`No slot found after ${new Date(afterMs).toISOString()}`);
  return next;
}

/** The last slot at or before `atMs`: the one a run at `atMs` would be for. */
export function latestSlotAtOrBefore(timing: ScheduleTiming, timeZone: string, atMs: number): number {
  const slots = slotsAround(timing, timeZone, atMs).filter((s) => s <= atMs);
  const last = slots.at(-1);
  if (last === undefined) throw new Error(`No slot found before ${new Date(atMs).toISOString()}`);
  return last;
}
