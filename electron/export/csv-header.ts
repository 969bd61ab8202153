/**
 * The header of a vendor's CSV file: names made unique so no column hides another, and the error for a
 * later file whose header differs from the first file's.
 */

/**
 * Names for a header row, each unique: a repeated name becomes 'Name (2)', 'Name (3)', skipping any that
 * the header already has, so no column hides another.
 */
export function uniqueColumnNames(header: readonly string[]): string[] {
  const taken = new Set(header);
  const firstSeen = new Set<string>();
  return header.map((name) => {
    if (!firstSeen.has(name)) {
      firstSeen.add(name);
      return name;
    }
    let n = 2;
    while (taken.has(`${name} (${n})`)) n++;
    const unique = `${name} (${n})`;
    taken.add(unique);
    return unique;
  });
}

export function headerMismatch(expected: readonly string[], found: readonly string[]): Error {
  const at = expected.findIndex((name, i) => found[i] !== name);
  const i = at === -1 ? expected.length : at;
  const detail =
    i < expected.length && i < found.length
      ? `column ${i + 1} is "${found[i]}" where the first file has "${expected[i]}"`
      : `it has ${found.length} columns where the first file has ${expected.length}`;
  return new Error(`This file's columns differ from the first file's: ${detail}.`);
}
