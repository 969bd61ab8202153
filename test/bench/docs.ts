/** Keeps the latest results in docs/performance.md: only the text between the markers is rewritten. */
import { readFile, writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

/** `doc` with the block between the markers replaced; throws if the markers are missing or out of order. */
export function replaceBlock(doc: string, block: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`docs/performance.md needs the markers ${START} and ${END}, in that order.`);
  }
  return `${doc.slice(0, start + START.length)}\n${block.trim()}\n${doc.slice(end)}`;
}

/** Rewrites the block, formatted as `npm run lint` expects, so a fresh bench run leaves the page clean. */
export async function updateDoc(file: string, block: string): Promise<void> {
  const doc = replaceBlock(await readFile(file, 'utf8'), block);
  const config = (await resolveConfig(file)) ?? {};
  await writeFile(file, await format(doc, { ...config, filepath: file }));
}
