/** How wide text is in a sheet's cell, in characters: what a workbook's column widths come from. */

/** The width of one line: wide characters (CJK) take about two columns. */
export function displayWidth(line: string): number {
  let width = 0;
  for (const ch of line) {
    const code = ch.codePointAt(0) ?? 0;
    width += code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xffdc)) ? 2 : 1;
  }
  return width;
}

/** The width of a value: its longest line, within its first `limit` characters. */
export function textWidth(text: string, limit: number): number {
  return Math.max(...text.slice(0, limit).split('\n').map(displayWidth));
}

/** Characters that may count two (and surrogates, of characters past U+FFFF): without them, width ≤ length. */
const MAYBE_WIDE = /[\u1100-\u115f\u2e80-\uffdc]/;

/** Whether `text` may be wider than `width`, without measuring it when its length already says no. */
export function mayBeWider(text: string, width: number): boolean {
  // No character counts more than two, and a character past U+FFFF is two UTF-16 units.
  if (text.length * 2 <= width) return false;
  return text.length > width || MAYBE_WIDE.test(text);
}
