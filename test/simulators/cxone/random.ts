/** UTC-day arithmetic for the generated extraction files (and the shared deterministic randomness). */

export { hashSeed, picker, prng, type Picker } from '../random.ts';

export const DAY_MS = 86_400_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Midnight UTC of a `YYYY-MM-DD` day, or undefined when the text is not a real calendar day. */
export function parseDay(text: string): number | undefined {
  if (!DAY_PATTERN.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return undefined;
  return ms;
}

/** Every day from start to end, both included, as midnight UTC. */
export function daysBetween(startMs: number, endMs: number): number[] {
  const days: number[] = [];
  for (let d = startMs; d <= endMs; d += DAY_MS) days.push(d);
  return days;
}

/** `2025-05-22T13:45:07Z`: second precision, as the vendor's UTC columns are described. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z';
