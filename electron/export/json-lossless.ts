import { isInteger, parse } from 'lossless-json';
import { jsonText } from '../../shared/records.ts';

/**
 * Every integer beyond 2^53 has at least 16 digits, so text without such a run can take JSON.parse as is.
 * A false alarm (a long digit run inside a string) only costs the slower parser, never correctness.
 */
const LONG_DIGIT_RUN = /\d{16}/;

function parseNumber(text: string): number | bigint {
  if (isInteger(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  return Number(text);
}

/** JSON.parse that keeps integers beyond 2^53 exact, as `bigint`. Floats stay numbers; strings are untouched. */
export function parseJson(text: string): unknown {
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
  return parse(text, null, parseNumber);
}

/** JSON.stringify that writes a bigint as a raw integer. */
export function stringifyJson(value: unknown): string {
  return jsonText(value);
}
