/**
 * Records nested deeper than the call stack allows (valid JSON, but 20,000 objects inside one another)
 * cannot be stored or flattened: said as such, with the record's number and depth, instead of a
 * "Maximum call stack size exceeded" that reads like a bug and invites a retry.
 */
import type { Row } from '../../shared/records.ts';
/** Objects and arrays inside one another in `value`, counted without recursion (the point is a deep one). */
function nesting(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A record nested deeper than the stack allows, said as such; any other error as it is. */
export function tooDeep(e: unknown, row: Row, number: number): unknown {
  if (!(e instanceof RangeError) || !/call stack/i.test(e.message)) return e;
  return new RecordTooDeepError(
    `Record ${number.toLocaleString('en-US')} of the export is nested ${nesting(row).toLocaleString('en-US')} levels deep, too deep to store or flatten into columns.`,
  );
}

/** The vendor sent a record nested so deep that it cannot be kept; nothing a retry changes. */
export class RecordTooDeepError extends Error {
  override readonly name = 'RecordTooDeepError';
}
