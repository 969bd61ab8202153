import { randomBytes } from 'node:crypto';
import { jsonText } from '../../shared/records.ts';

/**
 * Every integer beyond 2^53 has at least 16 digits, so text without such a run can take JSON.parse as is.
 * A false alarm (a long digit run inside a string) only costs the slower path, never correctness.
 */
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * One native regex pass: string literals are consumed whole (so digits inside them are never touched), and
 * a bare integer of 16+ digits outside a string is matched on its own. Fractions and exponents are left
 * to JSON.parse as numbers.
 */
const TOKENS = /"(?:[^"\\]|\\.)*"|(?<![\d.])-?\d{16,}(?![\d.eE])/g;

// Stands in for a long integer inside the text handed to JSON.parse; random per process, so no value a
// vendor sends can be mistaken for it.
const MARK = `@@exportdesk-bigint-${randomBytes(6).toString('hex')}:`;

function restore(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith(MARK)) return value;
    const digits = value.slice(MARK.length);
    const n = Number(digits);
    return Number.isSafeInteger(n) ? n : BigInt(digits);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restore(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) obj[k] = restore(obj[k]);
  }
  return value;
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact, as `bigint`. Floats stay numbers; strings are
 * untouched. Long integers are quoted with a marker in one regex pass, then JSON.parse does the work and
 * a walk turns the markers into bigints: several times faster than a parser written in JavaScript.
 */
export function parseJson(text: string): unknown {
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
  let replaced = false;
  const marked = text.replace(TOKENS, (token) => {
    if (token.charCodeAt(0) === 34 /* " */) return token;
    replaced = true;
    return `"${MARK}${token}"`;
  });
  const parsed: unknown = JSON.parse(marked);
  return replaced ? restore(parsed) : parsed;
}

/** JSON.stringify that writes a bigint as a raw integer. */
export function stringifyJson(value: unknown): string {
  return jsonText(value);
}
