import type { Timeline } from '../../shared/profile.ts';

/** Days kept per column (ten years and a bit); rows dated past them are only counted. */
export const MAX_DAYS = 3700;

/**
 * Rows per day of one date or time column, bucketed by the date as the vendor wrote it (its own zone: the
 * digits of the text, never converted), and per hour while the dates span two days or less.
 */
export class RowTimeline {
  readonly #days = new Map<string, number>();
  /** Dropped for good once the dates span more than two days. */
  #hours: Map<string, number> | undefined = new Map();
  #beyond = 0;
  #firstDay = '';
  #lastDay = '';

  constructor(readonly column: string) {}

  /** `text` is a date ('yyyy-mm-dd') or a timestamp ('yyyy-mm-ddThh:mm…', see cell-types.ts). */
  add(text: string): void {
    const day = text.slice(0, 10);
    const days = this.#days;
    const had = days.get(day);
    if (had !== undefined) days.set(day, had + 1);
    else if (days.size >= MAX_DAYS) {
      this.#beyond += 1;
      return;
    } else {
      days.set(day, 1);
      if (this.#firstDay === '' || day < this.#firstDay) this.#firstDay = day;
      if (day > this.#lastDay) this.#lastDay = day;
      if (this.#hours && !withinTwoDays(this.#firstDay, this.#lastDay)) this.#hours = undefined;
    }
    const hours = this.#hours;
    if (hours) {
      // A date without a time has no hour: the timeline stays per day.
      if (text.length < 13) this.#hours = undefined;
      else {
        const hour = `${day}T${text.slice(11, 13)}`;
        hours.set(hour, (hours.get(hour) ?? 0) + 1);
      }
    }
  }

  snapshot(): Timeline {
    const hourly = this.#hours !== undefined && this.#hours.size > 0;
    const source = hourly ? (this.#hours as Map<string, number>) : this.#days;
    const buckets = [...source].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { column: this.column, unit: hourly ? 'hour' : 'day', buckets, beyond: this.#beyond };
  }
}

/** Whether the days from `first` to `last` are two calendar days or fewer. */
function withinTwoDays(first: string, last: string): boolean {
  return Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`) <= 86_400_000;
}
