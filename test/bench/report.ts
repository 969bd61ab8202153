/** Turns results into tables: padded text for the terminal, Markdown for docs/performance.md. */
import { fixed } from './items.ts';
import type { MachineInfo } from './results.ts';

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
  /** Columns aligned left (the rest align right, as numbers do). */
  leftColumns?: number;
}

export function renderText(t: Table): string {
  const all = [t.header, ...t.rows];
  const widths = t.header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]): string =>
    row
      .map((cell, c) =>
        c < (t.leftColumns ?? 0) ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [t.title, line(t.header), ...t.rows.map(line)].join('\n');
}

export function renderMarkdown(t: Table): string {
  const align = t.header.map((_, c) => (c < (t.leftColumns ?? 0) ? ':--' : '--:'));
  const line = (row: string[]): string => `| ${row.join(' | ')} |`;
  return [`**${t.title}**`, '', line(t.header), line(align), ...t.rows.map(line)].join('\n');
}

export function machineLine(date: string, m: MachineInfo, load?: { start: number[]; end: number[] }): string {
  const l = (v: number[] | undefined): string => (v ? v.map((n) => fixed(n, 2)).join(' / ') : '?');
  return (
    `${date}, ${m.cpus} × ${m.cpuModel}, ${fixed(m.memoryMb / 1024, 1)} GiB, Node ${m.node}, ` +
    `${m.platform} ${m.osRelease}` +
    (load ? `; load average ${l(load.start)} at start, ${l(load.end)} at end` : '')
  );
}
