/**
 * A schedule's times in words, in its own time zone: "Thursday 3 December at 06:00 (Europe/Paris)". The
 * dialog reckons the first run with the scheduler's own timing, before anything is saved; the list shows
 * what the main process says.
 */
import { wallClockAt } from '../../../shared/zoned-time.ts';

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
