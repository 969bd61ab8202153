import { randomBytes } from 'node:crypto';

/**
 * Every integer beyond 2^53 has at least 16 digits, and a number in JSON follows ':', ',' or '['. Anchoring
 * on those characters lets the regex engine skip ahead several times faster than hunting every digit run
 * (dates and ids are full of them). Text without a match goes to JSON.parse as is.
 */
const LONG_INTEGER = /[:,[][ \t\r\n]*(-?\d{16,})/g;

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

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Whether the digit run at [start, end) stands where a whole JSON number would: after ':', ',' or '['
 * and before ',', '}' or ']' (white space aside). Every long integer outside a string passes; a run
 * inside a string may pass too, which the caller catches.
 */
function numberSlot(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  const before = text.charCodeAt(i);
  if (!(before === 58 || before === 44 || before === 91)) return false;
  let j = end;
  while (j < text.length && isSpace(text.charCodeAt(j))) j++;
  const after = text.charCodeAt(j);
  return after === 44 || after === 125 || after === 93;
}

/** Whether the digit run at `start` lies outside every string, stepping from quote to quote from `state`. */
function outsideString(text: string, start: number, state: { at: number; inString: boolean }): boolean {
  for (let q = text.indexOf('"', state.at); q !== -1 && q < start; q = text.indexOf('"', q + 1)) {
    // Outside a string a quote always opens one; inside, only an unescaped quote closes it.
    if (!state.inString || !escaped(text, q)) state.inString = !state.inString;
  }
  state.at = start;
  return !state.inString;
}

/** `text` with every long integer in a number slot quoted behind MARK; `exact` also checks string bounds. */
function markLongIntegers(text: string, exact: boolean): string | undefined {
  const state = { at: 0, inString: false };
  let marked = '';
  let copied = 0;
  LONG_INTEGER.lastIndex = 0;
  for (let m = LONG_INTEGER.exec(text); m !== null; m = LONG_INTEGER.exec(text)) {
    const digits = m[1] as string;
    const end = m.index + m[0].length;
    const start = end - digits.length;
    if (!numberSlot(text, start, end)) continue;
    if (exact && !outsideString(text, start, state)) continue;
    marked += `${text.slice(copied, start)}"${MARK}${digits}"`;
    copied = end;
  }
  return copied === 0 ? undefined : marked + text.slice(copied);
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
 * untouched. Long digit runs are found with one native regex; those standing where a number would are
 * quoted behind a marker, JSON.parse does the work, and a walk turns the markers into bigints.
 *
 * A run inside a string that merely looks like a number slot ("a:12345678901234567,") would have its
 * string closed early by the inserted quote, leaving the marker's '@' bare: JSON.parse always rejects
 * that, and only then is the text marked again the exact way, tracking string bounds quote by quote.
 */
export function parseJson(text: string): unknown {
  const fast = markLongIntegers(text, false);
  if (fast === undefined) return JSON.parse(text);
  try {
    return restore(JSON.parse(fast));
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
  }
  const exact = markLongIntegers(text, true);
  return exact === undefined ? JSON.parse(text) : restore(JSON.parse(exact));
}
