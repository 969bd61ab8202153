import { randomBytes } from 'node:crypto';
import { jsonText } from '../../shared/records.ts';

/**
 * Every integer beyond 2^53 has at least 16 digits. Text without such a run goes to JSON.parse as is; a
 * run found inside a string (an id sent as text) is recognised and left alone.
 */
const LONG_DIGIT_RUN = /-?\d{16,}/g;

// Stands in for a long integer inside the text handed to JSON.parse; random per process, so no value a
// vendor sends can be mistaken for it.
const MARK = `@@exportdesk-bigint-${randomBytes(6).toString('hex')}:`;
const AT = 64; // '@', the first character of MARK
const BACKSLASH = 92;

/** A quote inside a string is escaped when an odd number of backslashes precede it. */
function escaped(text: string, quote: number): boolean {
  let n = 0;
  for (let i = quote - 1; i >= 0 && text.charCodeAt(i) === BACKSLASH; i--) n++;
  return n % 2 === 1;
}

/** A digit run that is a whole integer: not the tail of a longer number, nor followed by a fraction or exponent. */
function wholeInteger(text: string, start: number, end: number): boolean {
  const before = text.charCodeAt(start - 1); // NaN at the start of the text
  const after = text.charCodeAt(end);
  // '.', 'e', 'E', '+', '-' or a digit before it: part of a fraction or an exponent.
  if (before === 46 || before === 101 || before === 69 || before === 43 || before === 45) return false;
  if (before >= 48 && before <= 57) return false;
  return !(after === 46 || after === 101 || after === 69);
}

function restore(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value.charCodeAt(0) !== AT || !value.startsWith(MARK)) return value;
    const digits = value.slice(MARK.length);
    const n = Number(digits);
    return Number.isSafeInteger(n) ? n : BigInt(digits);
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restore(value[i]);
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    const v = obj[k];
    if (typeof v === 'object' || typeof v === 'string') obj[k] = restore(v);
  }
  return value;
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact, as `bigint`. Floats stay numbers; strings are
 * untouched. Each long digit run is found with one native regex; whether it lies inside a string is known
 * by stepping from quote to quote (indexOf) up to it. Runs outside strings are quoted with a marker,
 * JSON.parse does the work, and a walk turns the markers into bigints. Text without long integers, the
 * common case, costs one regex scan more than JSON.parse.
 */
export function parseJson(text: string): unknown {
  LONG_DIGIT_RUN.lastIndex = 0;
  let match = LONG_DIGIT_RUN.exec(text);
  if (match === null) return JSON.parse(text);
  let marked = '';
  let copied = 0;
  let scanned = 0;
  let inString = false;
  while (match !== null) {
    const start = match.index;
    const end = start + match[0].length;
    for (let q = text.indexOf('"', scanned); q !== -1 && q < start; q = text.indexOf('"', q + 1)) {
      // Outside a string a quote always opens one; inside, only an unescaped quote closes it.
      if (!inString || !escaped(text, q)) inString = !inString;
    }
    scanned = end;
    if (!inString && wholeInteger(text, start, end)) {
      marked += `${text.slice(copied, start)}"${MARK}${match[0]}"`;
      copied = end;
    }
    match = LONG_DIGIT_RUN.exec(text);
  }
  if (copied === 0) return JSON.parse(text);
  return restore(JSON.parse(marked + text.slice(copied)));
}

/** JSON.stringify that writes a bigint as a raw integer. */
export function stringifyJson(value: unknown): string {
  return jsonText(value);
}
