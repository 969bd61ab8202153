/**
 * A vendor's CSV is copied into the spool as bytes, and the saved file says it is UTF-8: bytes that are not
 * UTF-8 (a Latin-1 export, a damaged file) are replaced by U+FFFD on the way in, as the JSON path's decoder
 * does, and counted so the export can say so. Valid text, by far the usual case, passes through untouched.
 */
import { isUtf8 } from 'node:buffer';

const EMPTY = Buffer.alloc(0);
const REPLACEMENT = Buffer.from('\uFFFD');

/** How many bytes at the end of `buf` start a character that continues in the next chunk (0 to 3). */
function unfinished(buf: Buffer): number {
  for (let back = 1; back <= Math.min(4, buf.length); back++) {
    const b = buf[buf.length - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

function count(buf: Buffer, needle: Buffer): number {
  let n = 0;
  for (let at = buf.indexOf(needle); at !== -1; at = buf.indexOf(needle, at + needle.length)) n++;
  return n;
}

export class Utf8Repair {
  /** Invalid sequences replaced so far. */
  replaced = 0;
  private tail = EMPTY;

  /** The chunk's bytes as valid UTF-8; a character split across chunks waits for the rest of it. */
  push(chunk: Buffer): Buffer {
    const data = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const keep = unfinished(data);
    this.tail = keep > 0 ? Buffer.from(data.subarray(data.length - keep)) : EMPTY;
    return this.fix(keep > 0 ? data.subarray(0, data.length - keep) : data);
  }

  /** What is left at the end: a character the file never finished. */
  end(): Buffer {
    const rest = this.tail;
    this.tail = EMPTY;
    return rest.length > 0 ? this.fix(rest) : EMPTY;
  }

  private fix(bytes: Buffer): Buffer {
    if (isUtf8(bytes)) return bytes;
    const fixed = Buffer.from(bytes.toString('utf8'));
    // U+FFFD the vendor sent on purpose is not counted.
    this.replaced += count(fixed, REPLACEMENT) - count(bytes, REPLACEMENT);
    return fixed;
  }
}
