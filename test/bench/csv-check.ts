/**
 * Checks a CSV file on disk independently of whoever wrote it: counts its records the RFC 4180 way
 * (a newline inside a quoted field does not end a record) and reads its header.
 */
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

const QUOTE = 0x22;
const LF = 0x0a;

/** Records in the file, header included; a last record without a trailing newline counts too. */
export async function countCsvRecords(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let records = 0;
    let quoted = false;
    let pendingChars = false;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) {
        const b = buf[i];
        // An escaped quote ("") flips twice, so the state is right again after it.
        if (b === QUOTE) quoted = !quoted;
        else if (b === LF && !quoted) {
          records++;
          pendingChars = false;
          continue;
        }
        pendingChars = true;
      }
    }
    return pendingChars ? records + 1 : records;
  } finally {
    await handle.close();
  }
}

/** The first record of the file, parsed (a header never spans more than the first 1 MiB). */
export async function readCsvHeader(file: string): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(1024 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    const rows = parse(text, { to_line: 1, relax_column_count: true }) as string[][];
    return rows[0] ?? [];
  } finally {
    await handle.close();
  }
}

export interface ExpectedCsv {
  records: number;
  /** The columns the header must hold, in any order. */
  columns: readonly string[];
}

/** Throws when an export's file (or its own count) lacks rows or columns: a fast wrong export is no result. */
export async function checkCsv(
  who: string,
  file: string,
  expected: ExpectedCsv,
  reportedRows: number,
): Promise<void> {
  const problems: string[] = [];
  if (reportedRows !== expected.records) problems.push(`it reported ${reportedRows} rows`);
  const records = await countCsvRecords(file);
  if (records !== expected.records + 1) problems.push(`the file holds ${records - 1} rows after its header`);
  const header = await readCsvHeader(file);
  const missing = expected.columns.filter((c) => !header.includes(c));
  const extra = header.filter((c) => !expected.columns.includes(c));
  if (missing.length > 0 || extra.length > 0) {
    const list = (names: string[]): string => names.join(', ') || 'none';
    problems.push(`its columns differ (missing: ${list(missing)}; extra: ${list(extra)})`);
  }
  if (problems.length > 0) {
    throw new Error(
      `${who} exported a wrong result, expected ${expected.records} rows: ${problems.join('; ')}`,
    );
  }
}
