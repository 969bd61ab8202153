import { guardFormula, jsonText, rowCells } from '../../shared/records.ts';
import type { Row } from '../../shared/records.ts';
import type { CsvOptions, OutputOptions } from '../../shared/output.ts';
import { csvText } from './csv-text.ts';
import { projector } from './projection.ts';

/** Turns rows into output text in batches; `head` and `tail` frame the whole file. */
export interface Encoder {
  head(): string;
  batch(rows: readonly Row[], first: boolean): string;
  tail(rowCount: number): string;
}

/** Records as CSV text with the chosen options, cells formula-guarded when asked. */
export function csvLines(
  cells: readonly (readonly string[])[],
  csv: CsvOptions,
  recordDelimiter: '\n' | '\r\n' = csv.lineEnding === 'crlf' ? '\r\n' : '\n',
): string {
  const text = csv.formulaGuard ? guardFormula : (s: string) => s;
  return csvText(csv.delimiter, recordDelimiter)(cells.map((record) => record.map(text)));
}

function csvEncoder(columns: readonly string[], csv: CsvOptions, listColumns: readonly string[]): Encoder {
  const line = csvText(csv.delimiter, csv.lineEnding === 'crlf' ? '\r\n' : '\n');
  const text = csv.formulaGuard ? guardFormula : (s: string) => s;
  const cellsOf = rowCells(columns, listColumns);
  return {
    head: () => (csv.bom ? '\uFEFF' : '') + (csv.header ? line([columns.map(text)]) : ''),
    batch: (rows) =>
      line(
        rows.map((row) => {
          const cells = cellsOf(row);
          if (csv.formulaGuard)
            for (let i = 0; i < cells.length; i++) {
              const cell = cells[i] as string;
              if (cell !== '') cells[i] = guardFormula(cell);
            }
          return cells;
        }),
      ),
    tail: () => '',
  };
}

/**
 * One row per line inside the array, so a large file streams, diffs well and opens line by line. With
 * `metadata` (what the vendor said about the result: its time zone, totals) the file is an object,
 * `{"metadata": {...}, "rows": [...]}`, so the rows never lose their context.
 */
function jsonEncoder(columns: readonly string[] | undefined, metadata?: Record<string, unknown>): Encoder {
  const project = projector(columns);
  const open = metadata ? `{"metadata":${jsonText(metadata)},\n"rows":[` : '[';
  const close = metadata ? ']}\n' : ']\n';
  return {
    head: () => open,
    batch: (rows, first) => (first ? '\n' : ',\n') + rows.map((row) => jsonText(project(row))).join(',\n'),
    tail: (rowCount) => (rowCount === 0 ? close : `\n${close}`),
  };
}

function ndjsonEncoder(columns: readonly string[] | undefined): Encoder {
  const project = projector(columns);
  return {
    head: () => '',
    batch: (rows) => rows.map((row) => jsonText(project(row)) + '\n').join(''),
    tail: () => '',
  };
}

/** `allColumns`: every column of the export in first-seen order, used when the output picks none. */
export function encoderFor(
  output: OutputOptions,
  allColumns: readonly string[],
  listColumns: readonly string[] = [],
  metadata?: Record<string, unknown>,
): Encoder {
  switch (output.format) {
    case 'csv':
      return csvEncoder(output.columns ?? allColumns, output.csv, listColumns);
    case 'json':
      return jsonEncoder(output.columns, metadata);
    case 'ndjson':
      return ndjsonEncoder(output.columns);
    case 'xlsx':
      throw new Error('A workbook is not text: xlsx.ts writes it (spoolToOutput chooses).');
    case 'parquet':
      throw new Error('Parquet files are binary: spoolToParquet (parquet.ts) writes them.');
  }
}
