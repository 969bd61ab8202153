/**
 * JSON that keeps integers past 2^53 exact in both directions, as a JVM/Mongo-backed API would emit
 * them: bigints are written as bare digits, and request numbers that do not fit a double parse to bigint.
 */
import { isInteger, isSafeNumber, parse } from 'lossless-json';

const MARK = '\u0000bigint:';
// JSON.stringify escapes the NUL in the marker, so this pattern cannot match any ordinary string value.
const MARKED = /"\\u0000bigint:(-?\d+)"/g;

export function stringifyJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? MARK + v.toString() : v));
  return text.replace(MARKED, '$1');
}

/** Parses JSON; unsafe integers become bigint, every other number a plain number. Throws SyntaxError. */
export function parseJson(text: string): unknown {
  return parse(text, null, (digits) =>
    isInteger(digits) && !isSafeNumber(digits) ? BigInt(digits) : Number(digits),
  );
}
