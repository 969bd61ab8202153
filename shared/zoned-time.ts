/**
 * Wall-clock times in a named time zone (the user's, as the browser reports it) and the instants they stand
 * for. Pure Intl arithmetic: no Date parsing of local text, whose zone would be the process's, not the
 * one asked for.
 */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the name is a time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** What a clock in `timeZone` shows at the instant `ms`. */
export function wallClockAt(ms: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    ms: ((ms % 1000) + 1000) % 1000,
  };
}

const asUtc = (w: WallClock): number =>
  Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms);

/** The zone's offset from UTC at the instant `ms`, in milliseconds (+01:00 is 3 600 000). */
export function offsetAt(ms: number, timeZone: string): number {
  return asUtc(wallClockAt(ms, timeZone)) - ms;
}

const HOUR = 3_600_000;

/**
 * The instant a wall-clock time in `timeZone` stands for. Around a change of offset: a time that occurs
 * twice (clocks going back) is taken at its first occurrence; a time that does not occur (clocks going
 * forward) is taken with the offset before the change, which lands as far past the gap as it was into it
 * (02:30 on a spring-forward night in Berlin is 03:30 summer time).
 */
export function instantOf(w: WallClock, timeZone: string): number {
  const t = asUtc(w);
  // Offsets change at most once within a day around any one time; a day either side sees both.
  const before = offsetAt(t - 24 * HOUR, timeZone);
  const after = offsetAt(t + 24 * HOUR, timeZone);
  const shows = (u: number) => asUtc(wallClockAt(u, timeZone)) === t;
  const candidates = [t - before, t - after].filter(shows).sort((a, b) => a - b);
  return candidates[0] ?? t - before;
}

const two = (n: number) => String(n).padStart(2, '0');

/** "+01:00", "-04:00", "+00:00", as ISO 8601 writes an offset. */
export function offsetText(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `${offsetMs < 0 ? '-' : '+'}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}

/** "2025-09-01T00:00:00+01:00": the instant as a clock in `timeZone` shows it, with that zone's offset. */
export function withOffset(ms: number, timeZone: string): string {
  const w = wallClockAt(ms, timeZone);
  const frac = w.ms ? `.${String(w.ms).padStart(3, '0')}` : '';
  return `${w.year}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}${frac}${offsetText(offsetAt(ms, timeZone))}`;
}

/** The user's time zone as the runtime reports it (the browser's in the window). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
