import { z } from 'zod';

/** CSV writing options. Defaults suit most tools; the Excel preset adds a BOM. */
export const CsvOptionsSchema = z
  .object({
    delimiter: z.enum([',', ';', '\t']).default(','),
    bom: z.boolean().default(false),
    lineEnding: z.enum(['crlf', 'lf']).default('crlf'),
    /** Neutralize cells a spreadsheet would run as a formula (=, +, -, @, tab, CR, NUL). */
    formulaGuard: z.boolean().default(true),
    header: z.boolean().default(true),
  })
  .strict();
export type CsvOptions = z.infer<typeof CsvOptionsSchema>;

export const OutputFormatSchema = z.enum(['csv', 'json', 'ndjson', 'xlsx', 'parquet']);
export type OutputFormat = z.infer<typeof OutputFormatSchema>;

export const OutputOptionsSchema = z
  .object({
    format: OutputFormatSchema.default('csv'),
    /** Columns to write, in this order (dotted names for nested fields). Omitted: every column, first-seen order. */
    columns: z.array(z.string().min(1).max(500)).max(5000).optional(),
    csv: CsvOptionsSchema.default(CsvOptionsSchema.parse({})),
  })
  .strict();
export type OutputOptions = z.infer<typeof OutputOptionsSchema>;

export const CSV_PRESETS = {
  standard: { delimiter: ',', bom: false, lineEnding: 'crlf', formulaGuard: true, header: true },
  /** Excel opens UTF-8 correctly only with a BOM; locales with a decimal comma expect `;`. */
  excel: { delimiter: ',', bom: true, lineEnding: 'crlf', formulaGuard: true, header: true },
  excelSemicolon: { delimiter: ';', bom: true, lineEnding: 'crlf', formulaGuard: true, header: true },
} as const satisfies Record<string, CsvOptions>;
