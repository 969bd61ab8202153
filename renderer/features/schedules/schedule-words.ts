/**
 * A schedule's times in words, in its own time zone: "Thursday 3 December at 06:00 (Europe/Paris)". The
 * dialog works out the first run itself, before anything is saved; the list shows what the main process says.
 */
import { WEEKDAYS, type ScheduleTiming } from '../../../shared/schedules.ts';
import { instantOf, wallClockAt, type WallClock } from '../../../shared/zoned-time.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function parseAt(at: string): { hour: number; minute: number } {
  const [h, m] = at.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

/** The wall-clock day `n` days after the one `w` is on. */
function dayAfter(w: WallClock, n: number): WallClock {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + n));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const weekdayOf = (w: WallClock): (typeof WEEKDAYS)[number] =>
  WEEKDAYS[(new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7] ?? 'mon';

/** The first time the schedule runs strictly after `afterMs` (as the scheduler reckons it, DST included). */
export function firstRunAfter(timing: ScheduleTiming, timeZone: string, afterMs: number): number {
  if (timing.every === 'hour') {
    // Each hour of the zone's clock, at that minute: step through the next hours' instants.
    const start = afterMs - (afterMs % HOUR) - HOUR;
    for (let t = start; t < afterMs + 3 * HOUR; t += HOUR / 4) {
      const w = wallClockAt(t, timeZone);
      const at = instantOf({ ...w, minute: timing.minute, second: 0, ms: 0 }, timeZone);
      if (at > afterMs) return at;
    }
    return afterMs + HOUR;
  }
  const { hour, minute } = parseAt(timing.at);
  const today = wallClockAt(afterMs, timeZone);
  for (let n = 0; n <= 8; n++) {
    const day = dayAfter(today, n);
    if (timing.every === 'week' && weekdayOf(day) !== timing.on) continue;
    const at = instantOf({ ...day, hour, minute, second: 0, ms: 0 }, timeZone);
    if (at > afterMs) return at;
  }
  return afterMs + DAY;
}

/** "Thursday 3 December at 06:00 (Europe/Paris)"; the year when it is not this one. */
export function whenInWords(ms: number, timeZone: string, nowMs: number = Date.now()): string {
  const sameYear = wallClockAt(ms, timeZone).year === wallClockAt(nowMs, timeZone).year;
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(ms);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
  return `${day.replace(/,/g, '')} at ${time} (${timeZone})`;
}

/** Every IANA zone the browser knows, with UTC first; the user's own is in the list even if missing. */
export function timeZones(own: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', own, ...known])];
}
