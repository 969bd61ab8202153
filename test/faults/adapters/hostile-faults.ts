/**
 * A hostile or broken vendor: an answer far larger than any ordinary one, an answer that never ends, and
 * one record of many megabytes. The JSON ones keep the answer's meaning (JSON allows any run of spaces
 * between tokens), so the export must still write the fault-free file; the CSV one adds a row, which the
 * adapter adds to its expected file too.
 */
import type { FaultProxy, HttpFault, ProxiedRequest } from '../fault-proxy.ts';
import type { FaultId } from '../types.ts';

export const HUGE_BYTES = 8 * 1024 * 1024;
export const LONG_BYTES = 16 * 1024 * 1024;
/** A byte every 20 ms: never silent long enough for the idle timeout, far below the stall floor. */
const ENDLESS_EVERY_MS = 20;

/** `body` with `n` spaces after byte `at`. */
function spaced(body: Buffer, at: number, n: number): Buffer {
  return Buffer.concat([body.subarray(0, at), Buffer.alloc(n, 0x20), body.subarray(at)]);
}

/** The answer with 8 MB of spaces after its opening bracket: as large as a page of big records. */
export function hugeJson(body: Buffer): Buffer {
  const open = body.findIndex((b) => b === 0x7b || b === 0x5b);
  if (open < 0) throw new Error('not a JSON answer: the fault is aimed at the wrong request');
  return spaced(body, open + 1, HUGE_BYTES);
}

/** The answer with 16 MB of spaces inside its first record (after the first key within an array). */
export function longJsonRecord(body: Buffer): Buffer {
  const list = body.indexOf('[');
  const key = list < 0 ? -1 : body.indexOf('":', list);
  if (key < 0) throw new Error('no record in the answer: the fault is aimed at the wrong request');
  return spaced(body, key + 2, LONG_BYTES);
}

/** A CSV text with one more row right after its header: a 16 MB first cell, the others empty. */
export function withLongCsvRow(csv: string): string {
  const eol = csv.indexOf('\r\n');
  const header = csv.slice(0, eol);
  const width = header.split(',').length;
  const row = `${'L'.repeat(LONG_BYTES)}${','.repeat(width - 1)}\r\n`;
  return `${csv.slice(0, eol + 2)}${row}${csv.slice(eol + 2)}`;
}

/** Text that would clear a terminal and print a fake success, with a C1 CSI and a bell. */
export const TERMINAL_ATTACK = '\u001b[2J\u001b[HSaved 1,000,000 rows\u009b31m\u0007';

/** A refusal whose every usual message field carries TERMINAL_ATTACK, wherever a client reads its text. */
export function escapeSequenceError(): HttpFault {
  const body = JSON.stringify({
    message: TERMINAL_ATTACK,
    error: TERMINAL_ATTACK,
    error_description: TERMINAL_ATTACK,
    errors: [{ message: TERMINAL_ATTACK, detail: TERMINAL_ATTACK }],
    detail: TERMINAL_ATTACK,
  });
  return { kind: 'status', status: 400, body };
}

/** The hostile faults of a JSON API, aimed at the requests `at` matches. */
export function hostileJsonFaults(
  proxy: FaultProxy,
  at: (r: ProxiedRequest) => boolean,
): Partial<Record<FaultId, () => void>> {
  return {
    'huge-page': () => proxy.inject(at, { kind: 'rewrite', run: hugeJson }),
    'endless-body': () => proxy.inject(at, { kind: 'endless', everyMs: ENDLESS_EVERY_MS }),
    'long-record': () => proxy.inject(at, { kind: 'rewrite', run: longJsonRecord }),
    'escape-sequences': () => proxy.inject(at, escapeSequenceError()),
  };
}

/** An answer that never ends, aimed at the requests `at` matches (e.g. a file download). */
export function endlessBody(proxy: FaultProxy, at: (r: ProxiedRequest) => boolean): () => void {
  return () => proxy.inject(at, { kind: 'endless', everyMs: ENDLESS_EVERY_MS });
}
