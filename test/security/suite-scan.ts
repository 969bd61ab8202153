/**
 * The suite-wide leak scan's engine: every registered secret in the encodings of `encodings()` (as
 * typed, UTF-16, base64, base64url, URL-encoded, JSON-escaped; base64 also inside a longer encoded text)
 * looked for in every file of some folders.
 *
 * A run leaves gigabytes and the registry holds thousands of values, so the files are not searched once
 * per needle: one pass over each file keeps a rolling hash of its last KEY bytes and looks it up in a
 * bitmap of the needles' last KEY bytes; only on a hit are the candidate needles compared. Gzip files
 * (vendor shards, compressed exports) are also scanned unpacked.
 */
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, constants as zlib } from 'node:zlib';
import { encodings } from './leak-helpers.ts';
import type { RegisteredSecret } from './secret-registry.ts';

/** Bytes of the window the hash covers; every needle is at least this long (see MIN_SECRET_LENGTH). */
const KEY = 8;
const BITS = 24;
const CHUNK = 16 * 1024 * 1024;
/** Gzip files are unpacked in memory up to this size (vendor shards are far smaller). */
const MAX_GUNZIP = 512 * 1024 * 1024;

interface Needle {
  secret: number;
  form: string;
  bytes: Buffer;
}

export interface Finding {
  /** The file, relative to the scanned root it was found under (with the root's label). */
  file: string;
  /** Which encodings of the value matched (one finding per file and value). */
  encodings: string[];
  /** Where the value was registered from; never the value itself. */
  source: string;
}

/**
 * The six encodings of `encodings()`, plus the value's base64 and base64url as they appear inside a longer
 * encoded text (an `Authorization: Basic` header encodes "id:secret"): for each of the three alignments,
 * only the characters that depend on the value's bytes alone.
 */
export function scanEncodings(value: string): Array<[string, Buffer]> {
  const bytes = Buffer.from(value);
  const inside: Array<[string, Buffer]> = [0, 1, 2].flatMap((k) => {
    const b64 = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const core = b64.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    const url = core.replaceAll('+', '-').replaceAll('/', '_');
    return [
      [`base64 (inside a longer text, offset ${k})`, Buffer.from(core)],
      [`base64url (inside a longer text, offset ${k})`, Buffer.from(url)],
    ];
  });
  return [...encodings(value), ...inside];
}

const hashOf = (hi: number, lo: number): number =>
  (Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi ^ (lo >>> 15), 0x85ebca77)) >>> (32 - BITS);

function hashAt(b: Buffer, end: number): number {
  const hi = b.readUInt32BE(end - KEY);
  const lo = b.readUInt32BE(end - 4);
  return hashOf(hi, lo);
}

/** Every encoding of every secret, ready to be looked for in many buffers. */
export class NeedleSet {
  readonly #bitmap = new Uint8Array(1 << (BITS - 3));
  readonly #byKey = new Map<string, Needle[]>();
  readonly longest: number;
  readonly size: number;

  constructor(readonly secrets: readonly RegisteredSecret[]) {
    let longest = KEY;
    let size = 0;
    const seen = new Set<string>();
    secrets.forEach(({ value }, secret) => {
      for (const [form, bytes] of scanEncodings(value)) {
        // Encodings of a value that are the same bytes (plain ASCII is its own URL and JSON form) count once.
        if (bytes.length < KEY || seen.has(`${secret}\n${bytes.toString('latin1')}`)) continue;
        seen.add(`${secret}\n${bytes.toString('latin1')}`);
        const key = bytes.toString('latin1', bytes.length - KEY);
        const h = hashAt(bytes, bytes.length);
        this.#bitmap[h >>> 3]! |= 1 << (h & 7);
        const list = this.#byKey.get(key) ?? [];
        list.push({ secret, form, bytes });
        this.#byKey.set(key, list);
        longest = Math.max(longest, bytes.length);
        size += 1;
      }
    });
    this.longest = longest;
    this.size = size;
  }

  /**
   * The needles that end inside `buf[from, buf.length)` (they may start before `from`), as
   * "secret index\tform" keys added to `hits`.
   */
  scan(buf: Buffer, hits: Set<string>, from = 0): void {
    const bitmap = this.#bitmap;
    let hi = 0;
    let lo = 0;
    const start = Math.max(0, from - KEY + 1);
    for (let i = start; i < buf.length; i++) {
      hi = ((hi << 8) | (lo >>> 24)) >>> 0;
      lo = ((lo << 8) | buf[i]!) >>> 0;
      if (i - start < KEY - 1 || i < from) continue;
      const h = hashOf(hi, lo);
      if ((bitmap[h >>> 3]! & (1 << (h & 7))) === 0) continue;
      const candidates = this.#byKey.get(buf.toString('latin1', i + 1 - KEY, i + 1));
      for (const n of candidates ?? []) {
        const s = i + 1 - n.bytes.length;
        if (s >= 0 && buf.compare(n.bytes, 0, n.bytes.length, s, i + 1) === 0)
          hits.add(`${n.secret}\t${n.form}`);
      }
    }
  }

  /** Scans a file of any size in chunks (`chunk` bytes each) that overlap by the longest needle. */
  scanFile(file: string, hits: Set<string>, chunk = CHUNK): number {
    const fd = openSync(file, 'r');
    const overlap = this.longest - 1;
    const buf = Buffer.allocUnsafe(chunk + overlap);
    let carried = 0;
    let total = 0;
    try {
      for (;;) {
        const n = readSync(fd, buf, carried, chunk, null);
        if (n === 0) break;
        total += n;
        const filled = buf.subarray(0, carried + n);
        this.scan(filled, hits, carried);
        carried = Math.min(overlap, filled.length);
        filled.copy(buf, 0, filled.length - carried);
      }
    } finally {
      closeSync(fd);
    }
    return total;
  }
}

/** Unpacks a gzip file as far as it goes (a shard cut short still yields its first part). */
function gunzipped(file: string): Buffer | undefined {
  try {
    return gunzipSync(readFileSync(file), { finishFlush: zlib.Z_SYNC_FLUSH, maxOutputLength: MAX_GUNZIP });
  } catch {
    return undefined;
  }
}

export interface ScanRoot {
  /** How the root is named in findings, e.g. "TMPDIR" or "test-results". */
  label: string;
  dir: string;
}

export interface ScanResult {
  findings: Finding[];
  files: number;
  bytes: number;
  excluded: string[];
}

/** Regular files under `dir` (symbolic links are not followed: they point into scanned or foreign places). */
function regularFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/**
 * Scans every regular file under each root. `exclude(file, root)` returns a reason for a file that holds
 * a secret by design, or undefined; excluded files are listed (with the reason) but not read.
 */
export function scanRoots(
  needles: NeedleSet,
  roots: readonly ScanRoot[],
  exclude: (file: string, root: ScanRoot) => string | undefined = () => undefined,
): ScanResult {
  const result: ScanResult = { findings: [], files: 0, bytes: 0, excluded: [] };
  for (const root of roots) {
    for (const file of regularFiles(root.dir)) {
      const name = `${root.label}/${path.relative(root.dir, file)}`;
      const why = exclude(file, root);
      if (why) {
        result.excluded.push(`${name} (${why})`);
        continue;
      }
      const hits = new Set<string>();
      try {
        if (!lstatSync(file).isFile()) continue;
        result.bytes += needles.scanFile(file, hits);
      } catch {
        continue; // removed while we looked (a process still ending): nothing left to leak
      }
      result.files += 1;
      if (file.endsWith('.gz')) {
        const inner = gunzipped(file);
        if (inner) needles.scan(inner, hits);
      }
      const bySecret = new Map<number, string[]>();
      for (const hit of hits) {
        const [secret, encoding] = hit.split('\t') as [string, string];
        bySecret.set(Number(secret), [...(bySecret.get(Number(secret)) ?? []), encoding]);
      }
      for (const [secret, forms] of [...bySecret].sort(([a], [b]) => a - b))
        result.findings.push({ file: name, encodings: forms, source: needles.secrets[secret]!.source });
    }
  }
  return result;
}
