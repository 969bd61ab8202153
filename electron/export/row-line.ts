/**
 * A spool line straight from the text a row was parsed from. A JSON provider parses each row from the
 * vendor's text (losslessly: json-lossless.ts); writing that text again with JSON.stringify costs about
 * as much as the parse. The text itself reads back as the same row, with one exception: a number too
 * large for a double (`1e400`) parses to Infinity, which JSON.stringify writes as null, so such a row is
 * written anew, as before (and so is one with -0, or a double holding an integer past 2^53: see stays). Line breaks in the text can only be white space between tokens (JSON strings
 * cannot hold them raw), so they become spaces: a row is one line.
 */
import type { Row } from '../../shared/records.ts';

/**
 * Whether `n` reads back as the same number once JSON.stringify has written it: not Infinity or -0 (null
 * and 0), nor a double holding an integer past 2^53 below 1e21 (written as its digits, which read back
 * as a bigint of the same digits).
 */
const stays = (n: number): boolean =>
  n - n === 0 &&
  (n !== 0 || 1 / n > 0) &&
  (Number.isSafeInteger(n) || !Number.isInteger(n) || Math.abs(n) >= 1e21);

/** Whether every number in `value` (parsed JSON: plain objects, arrays, primitives) stays as it is. */
function numbersStay(value: object): boolean {
  if (Array.isArray(value)) {
    for (const v of value as unknown[]) {
      if (typeof v === 'number' ? !stays(v) : typeof v === 'object' && v !== null && !numbersStay(v))
        return false;
    }
    return true;
  }
  const obj = value as Record<string, unknown>;
  for (const key in obj) {
    const v = obj[key];
    if (typeof v === 'number' ? !stays(v) : typeof v === 'object' && v !== null && !numbersStay(v))
      return false;
  }
  return true;
}

const LINE_BREAK = /[\r\n]/g;

/**
 * `text` as the spool line of `row` (without its newline), or undefined when the row must be written
 * anew. `text` must be the JSON text `row` was parsed from by parseJson.
 */
export function lineFromText(row: Row, text: string): string | undefined {
  if (!numbersStay(row)) return undefined;
  return text.indexOf('\n') === -1 && text.indexOf('\r') === -1 ? text : text.replace(LINE_BREAK, ' ');
}
