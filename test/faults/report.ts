/** The fault matrix as a table: one row per fault, one column per provider, and the totals. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import prettier from 'prettier';
import { FAULTS, type FaultId } from './types.ts';
import type { CellResult, Verdict } from './run-cell.ts';

export type Matrix = Map<string, Map<FaultId, CellResult>>;

export function totals(matrix: Matrix): Record<Exclude<Verdict, 'n/a'>, number> {
  const t = { recovered: 0, 'failed clearly': 0, WRONG: 0 };
  for (const cells of matrix.values())
    for (const cell of cells.values()) if (cell.verdict !== 'n/a') t[cell.verdict]++;
  return t;
}

export function totalsLine(matrix: Matrix): string {
  const t = totals(matrix);
  return `${t.recovered} recovered, ${t['failed clearly']} failed clearly, ${t.WRONG} WRONG (n/a cells not counted)`;
}

function rows(matrix: Matrix): string[][] {
  const providers = [...matrix.keys()];
  return [
    ['fault', ...providers],
    ...FAULTS.map((f) => [f.label, ...providers.map((p) => matrix.get(p)?.get(f.id)?.verdict ?? '—')]),
  ];
}

/** For a terminal: padded columns. */
export function textTable(matrix: Matrix): string {
  const table = rows(matrix);
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(table[0] ?? []), ...table.slice(1).map(line), '', totalsLine(matrix)].join('\n');
}

export function markdownTable(matrix: Matrix): string {
  const table = rows(matrix);
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  const head = table[0] ?? [];
  const failures = [...matrix.entries()].flatMap(([p, cells]) =>
    [...cells.entries()]
      .filter(([, c]) => c.verdict === 'failed clearly' || c.verdict === 'WRONG')
      .map(([f, c]) => `- ${p}, ${FAULTS.find((x) => x.id === f)?.label}: ${c.verdict} — ${c.detail}`),
  );
  return [
    line(head),
    line(head.map(() => '---')),
    ...table.slice(1).map(line),
    '',
    `**Totals:** ${totalsLine(matrix)}.`,
    '',
    'What the user was told where an export failed:',
    '',
    ...failures,
  ].join('\n');
}

const DOC = path.resolve(import.meta.dirname, '../../docs/reliability.md');

/**
 * Replaces one marked section of docs/reliability.md (`<!-- name:begin -->` … `<!-- name:end -->`).
 * Only when EXPORTDESK_RECORD=1, so an ordinary test run leaves the committed document alone.
 */
export async function recordSection(name: string, markdown: string): Promise<void> {
  if (process.env.EXPORTDESK_RECORD !== '1') return;
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const doc = readFileSync(DOC, 'utf8');
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/reliability.md has no section ${name}`);
  const stamp = `_Recorded ${new Date().toISOString().slice(0, 10)}._`;
  const next = `${doc.slice(0, from + begin.length)}\n${stamp}\n\n${markdown}\n${doc.slice(to)}`;
  // Formatted as the repository's lint expects, so a recorded run leaves `npm run lint` clean.
  const options = (await prettier.resolveConfig(DOC)) ?? {};
  writeFileSync(DOC, await prettier.format(next, { ...options, filepath: DOC }));
}
