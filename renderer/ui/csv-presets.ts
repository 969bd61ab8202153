import { CSV_PRESETS, type CsvOptions } from '../../shared/output.ts';

/** Locales that write 1,5 for one and a half use `;` between CSV fields, and Excel expects it there. */
export function localeUsesDecimalComma(sample: string = (1.5).toLocaleString()): boolean {
  return sample.includes(',');
}

export function excelPreset(decimalComma = localeUsesDecimalComma()): CsvOptions {
  return { ...(decimalComma ? CSV_PRESETS.excelSemicolon : CSV_PRESETS.excel) };
}
