/**
 * The result call names its files inside a Python list repr in a status text:
 * "Process finished. Download: [u'reports/…/…__000000000000.csv.gz', u'…__000000000001.csv.gz']".
 * Every path is taken, in order, and each must be a plain relative path: the files are read from under
 * the connection's base folder and nowhere else.
 */
export const NOT_FINISHED = /has not finish/i;

export class UnsafePathError extends Error {}

/** The relative paths listed in a finished result's status text (empty when it lists none). */
export function resultPaths(statusText: string): string[] {
  const list = /Download:\s*\[(.*)\]/s.exec(statusText)?.[1];
  if (list === undefined) return [];
  const paths: string[] = [];
  // u'…' or '…' or "…", with Python's backslash escapes inside.
  for (const m of list.matchAll(/u?(['"])((?:\\.|(?!\1).)*)\1/g)) {
    paths.push((m[2] ?? '').replace(/\\(.)/g, '$1'));
  }
  for (const p of paths) checkRelative(p);
  return paths;
}

/** Throws UnsafePathError unless `p` is relative, without "..", "." or empty parts, or odd characters. */
export function checkRelative(p: string): void {
  const why =
    p === ''
      ? 'it is empty'
      : p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p)
        ? 'it is absolute'
        : p.split(/[/\\]/).some((part) => part === '..' || part === '.' || part === '')
          ? 'it steps out of the folder or has empty parts'
          : [...p].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)
            ? 'it holds control characters'
            : undefined;
  if (why)
    throw new UnsafePathError(
      `IntelePeer listed a result file path Export Desk will not read (${why}): ${JSON.stringify(p.slice(0, 200))}`,
    );
}
