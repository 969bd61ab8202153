/**
 * CSV text for records of cells that are already strings, written as csv-stringify writes them with the
 * save's options (`quoted_match: /[\r\n]/`, no formula escaping, no cast): a field is quoted when it holds
 * the delimiter, a double quote, CR or LF, with its quotes doubled; an empty field stays empty; every
 * record ends with the record delimiter.
 *
 * Hand-rolled because csv-stringify's generic per-field work (options lookup, casting, several separator
 * scans) made up most of the CSV save: this encodes the same text 3–4× faster (see
 * docs/performance.md). test/unit/export/csv-text.test.ts checks it against csv-stringify.
 */

export type CsvDelimiter = ',' | ';' | '\t';

const NEEDS_QUOTES: Record<CsvDelimiter, RegExp> = {
  ',': /[",\r\n]/,
  ';': /[";\r\n]/,
  '\t': /["\t\r\n]/,
};

/** Encodes records (rows of string cells) to CSV text, each record followed by `recordDelimiter`. */
export function csvText(delimiter: CsvDelimiter, recordDelimiter: string): (records: string[][]) => string {
  const needsQuotes = NEEDS_QUOTES[delimiter];
  const field = (cell: string): string => (needsQuotes.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return (records) => {
    let out = '';
    for (const record of records) {
      for (let i = 0; i < record.length; i++) {
        if (i > 0) out += delimiter;
        out += field(record[i] as string);
      }
      out += recordDelimiter;
    }
    return out;
  };
}
