/**
 * Text from outside (a vendor's error message, a recipe, a connection name, a file name) can carry
 * terminal control sequences: an escape character can clear a screen, move the cursor and print a fake
 * "Saved 1,000,000 rows". These are the characters no such text needs, and a way to show them harmlessly.
 */

/**
 * C0 controls but tab and line feed, DEL, C1 controls (\u009b starts a sequence as ESC [ does), and the
 * bidirectional overrides and isolates that reorder what a terminal or a list shows.
 */
export const CONTROL_CHARS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Whether `text` holds a character of CONTROL_CHARS. */
export function hasControlChars(text: string): boolean {
  return new RegExp(CONTROL_CHARS.source).test(text);
}

/**
 * `text` with each control character written as a visible \uXXXX escape. The same escape is valid inside a
 * JSON string, so JSON output keeps its meaning.
 */
export function escapeControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
