/**
 * A vendor CSV whose record is very long (a 16 MB cell) costs the scanner work in proportion to its bytes,
 * as short lines do: the bytes handed to the scanner are counted, not timed. The spool keeps the vendor's
 * bytes exactly.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { removeSpools } from './helpers.ts';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { CsvScanner } from '../../../electron/export/csv-scan.ts';
import { SOURCE_FILE } from '../../../electron/export/csv-source.ts';
import { SpoolWriter } from '../../../electron/export/spool.ts';

const root = await mkdtemp(join(tmpdir(), 'csv-long-'));
afterAll(() => removeSpools(root));
afterEach(() => vi.restoreAllMocks());

const CHUNK = 64 * 1024;

function* chunks(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += CHUNK) yield bytes.subarray(at, at + CHUNK);
}

/** Spools `bytes` as a vendor file arriving in 64 KB chunks; returns the bytes the scanner was given. */
async function scannedBytes(bytes: Buffer, name: string): Promise<{ scanned: number; source: Buffer }> {
  let scanned = 0;
  const scan = CsvScanner.prototype.scanParts;
  vi.spyOn(CsvScanner.prototype, 'scanParts').mockImplementation(function (this: CsvScanner, parts, ...rest) {
    for (const p of parts) scanned += p.length;
    return scan.call(this, parts, ...rest);
  });
  const dir = join(root, name);
  const w = await SpoolWriter.create(dir, { metaIntervalMs: 0 });
  const r = await w.appendCsv(Readable.from(chunks(bytes)));
  await w.close();
  expect(r.rows).toBeGreaterThan(0);
  return { scanned, source: await readFile(join(dir, SOURCE_FILE)) };
}

const MB = 1024 * 1024;

it.each([
  ['one 16 MB unquoted cell', (n: number) => `id,note\r\n1,${'x'.repeat(n)}\r\n2,short\r\n`],
  ['one 16 MB quoted cell with line breaks', (n: number) => `id,note\r\n1,"${'ab\n'.repeat(n / 3)}"\r\n`],
  ['16 MB of short lines', (n: number) => `id,note\r\n${'7,some text here\r\n'.repeat(n / 17)}`],
])('scans %s in time linear in its bytes, and keeps them exactly', async (name, make) => {
  const bytes = Buffer.from(make(16 * MB));
  const { scanned, source } = await scannedBytes(bytes, name.replace(/\W+/g, '-'));
  // Each byte is looked at a bounded number of times, whatever the length of the record it is in.
  expect(scanned).toBeLessThan(bytes.length * 3);
  expect(source.equals(bytes)).toBe(true);
});
