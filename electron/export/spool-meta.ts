import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../base/atomic-file.ts';
import { SpoolProfileSchema } from '../../shared/profile.ts';
import type { SpoolProfile } from '../../shared/profile.ts';

/**
 * A spool is a folder:
 *   rows.ndjson  one row per line, exactly as received (JSON with bigints raw); appended, never rewritten.
 *   spool.json   meta: rowCount and bytes of rows.ndjson that are complete, the columns seen so far, and a
 *                sparse index: index[k] is the byte offset of row k * indexEvery, so any page is one seek
 *                plus at most indexEvery - 1 skipped lines.
 *   rows.csv     optional, beside rows.ndjson: the rows' CSV text with the export's CSV options (row-csv.ts).
 *   source.csv   instead of rows, for an export of vendor CSV files (csv-source.ts): the vendor's header
 *                record and data records as bytes; `source` in the meta says how to read them, and the
 *                index then points at data records in it.
 *   profile.json the columns' profile (spool-profile.ts) of the rows published, written just before each
 *                spool.json; it may cover fewer rows than spool.json while a CSV spool is being profiled.
 * The writer rewrites spool.json atomically while it runs, so a reader always sees a consistent prefix of
 * the rows; `complete` turns true when the writer closed cleanly.
 */
export const ROWS_FILE = 'rows.ndjson';
export const META_FILE = 'spool.json';
export const INDEX_EVERY = 1024;
export const PROFILE_FILE = 'profile.json';
/** For a spool of CSV records: (start, next start, MARK_ bits) of each marked row, as float64 triples. */
export const MARKS_FILE = 'marks.bin';

const SpoolMetaSchema = z.object({
  version: z.literal(1),
  rowCount: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  columns: z.array(z.string()),
  indexEvery: z.number().int().positive(),
  index: z.array(z.number().int().nonnegative()),
  complete: z.boolean(),
  /** Columns whose lists of names become one cell in CSV and the preview (ProviderDefinition.listColumns). */
  listColumns: z.array(z.string()).optional(),
  /** Present when rows.csv holds the rows' CSV text, encoded as they arrived (see row-csv.ts). */
  rowCsv: z
    .object({
      delimiter: z.enum([',', ';', '\t']),
      lineEnding: z.enum(['crlf', 'lf']),
      formulaGuard: z.boolean(),
      /** Bytes of rows.csv holding the rows counted in rowCount. */
      bytes: z.number().int().nonnegative(),
      /** (first row, its byte offset, columns it was encoded with) of each stretch of rows.csv. */
      segments: z.array(
        z.tuple([
          z.number().int().nonnegative(),
          z.number().int().nonnegative(),
          z.number().int().nonnegative(),
        ]),
      ),
    })
    .optional(),
  /** Present when the rows are a vendor's CSV records in source.csv rather than JSON lines. */
  source: z
    .object({
      delimiter: z.enum(['crlf', 'lf', 'cr']),
      /** Byte offset of the first data record, after the header record. */
      dataStart: z.number().int().nonnegative(),
      /** Rows a byte copy may not reproduce, listed in marks.bin (final meta only; 0 before). */
      marks: z.number().int().nonnegative(),
    })
    .optional(),
});
export type SpoolMeta = z.infer<typeof SpoolMetaSchema>;
export type RowCsvMeta = NonNullable<SpoolMeta['rowCsv']>;

export async function readMeta(dir: string): Promise<SpoolMeta> {
  const text = await readFile(join(dir, META_FILE), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
    throw new Error(`No export data found in ${dir}: it was removed or never written.`, { cause: err });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = SpoolMetaSchema.safeParse(json);
  if (!parsed.success) throw new Error(`The export data in ${dir} is damaged (${META_FILE} is not valid).`);
  const meta = parsed.data;
  if (meta.index.length < Math.ceil(meta.rowCount / meta.indexEvery)) {
    throw new Error(`The export data in ${dir} is damaged (row index is incomplete).`);
  }
  return meta;
}

/** The marked rows of a CSV spool (see MARKS_FILE), checked against the count the meta gives. */
export async function readMarks(dir: string, meta: SpoolMeta): Promise<Float64Array> {
  const count = meta.source?.marks ?? 0;
  if (count === 0) return new Float64Array(0);
  const bytes = await readFile(join(dir, MARKS_FILE));
  if (bytes.length !== count * 3 * 8)
    throw new Error(`The export data in ${dir} is damaged (${MARKS_FILE} does not match ${META_FILE}).`);
  const marks = new Float64Array(count * 3);
  new Uint8Array(marks.buffer).set(bytes);
  return marks;
}

export async function writeMeta(dir: string, meta: SpoolMeta, durable: boolean): Promise<void> {
  await writeFileAtomic(join(dir, META_FILE), JSON.stringify(meta), { fsync: durable });
}

export async function writeProfile(dir: string, profile: SpoolProfile, durable: boolean): Promise<void> {
  await writeFileAtomic(join(dir, PROFILE_FILE), JSON.stringify(profile), { fsync: durable });
}

/** The profile saved with the spool; undefined for a spool written before profiles were kept. */
export async function readProfile(dir: string): Promise<SpoolProfile | undefined> {
  const text = await readFile(join(dir, PROFILE_FILE), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = SpoolProfileSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`The export data in ${dir} is damaged (${PROFILE_FILE} is not valid).`);
  return parsed.data;
}
