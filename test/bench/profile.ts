/**
 * Reads a V8 CPU profile (node --cpu-prof) and says where the time went: self time per function, self
 * time per file, and inclusive time of this repository's own functions (what they and their callees cost).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fixed, int } from './items.ts';
import type { Table } from './report.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  selfByFunction: ProfileEntry[];
  selfByFile: ProfileEntry[];
  /** Functions of this repository (not node_modules, not Node), time including what they call. */
  inclusiveRepo: ProfileEntry[];
}

/** The main thread's profile is the largest one a run leaves (a loader worker leaves a small one). */
export async function largestProfile(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  const sized = await Promise.all(
    files.map(async (f) => ({ f, size: (await stat(path.join(dir, f))).size })),
  );
  const best = sized.sort((a, b) => b.size - a.size)[0];
  if (!best) throw new Error(`No CPU profile was written to ${dir}`);
  return path.join(dir, best.f);
}

function fileOf(url: string, root: string): string {
  if (url === '') return '(native)';
  const plain = url.replace(/^file:\/\//, '');
  const nm = plain.lastIndexOf('/node_modules/');
  if (nm !== -1) return `node_modules/${plain.slice(nm + 14).split('/')[0] ?? ''}`;
  if (plain.startsWith('node:')) return 'node internals';
  return path.relative(root, plain) || plain;
}

const isRepoFile = (file: string): boolean =>
  !file.startsWith('node_modules') && !file.startsWith('(') && file !== 'node internals';

function top(map: Map<string, number>, totalUs: number, n: number): ProfileEntry[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({
      name,
      ms: Math.round(us / 1000),
      percent: Math.round((1000 * us) / totalUs) / 10,
    }));
}

export async function summarizeProfile(file: string, root: string, n = 12): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;

  const label = (node: ProfileNode): { fn: string; file: string } => {
    const file = fileOf(node.callFrame.url, root);
    const name = node.callFrame.functionName || '(anonymous)';
    // Code run through tsx reports line 0 for everything, so a line number is shown only when there is one.
    const line = node.callFrame.lineNumber > 0 ? `:${node.callFrame.lineNumber + 1}` : '';
    return { fn: `${name} (${file}${line})`, file };
  };
  const selfFn = new Map<string, number>();
  const selfFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { fn, file } = label(node);
    selfFn.set(fn, (selfFn.get(fn) ?? 0) + us);
    selfFile.set(file, (selfFile.get(file) ?? 0) + us);
  }

  // Inclusive time, counted once per call stack even when a function recurses.
  const inclusive = new Map<string, number>();
  const walk = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id);
    if (!node) return 0;
    const { fn, file } = label(node);
    const own = isRepoFile(file) && !onStack.has(fn);
    if (own) onStack.add(fn);
    let us = selfUs.get(id) ?? 0;
    for (const child of node.children ?? []) us += walk(child, onStack);
    if (own) {
      onStack.delete(fn);
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + us);
    }
    return us;
  };
  const root0 = profile.nodes[0];
  if (root0) walk(root0.id, new Set());

  return {
    file,
    totalMs: Math.round(totalUs / 1000),
    selfByFunction: top(selfFn, totalUs, n),
    selfByFile: top(selfFile, totalUs, n),
    inclusiveRepo: top(inclusive, totalUs, n),
  };
}

/** The summary as tables: self time by function and by file, then this repository's inclusive times. */
export function profileTables(p: ProfileSummary, run = 'one Export Desk run'): Table[] {
  const entries = (title: string, list: ProfileSummary['selfByFunction']): Table => ({
    title,
    header: ['', 'ms', '%'],
    rows: list.map((e) => [e.name, int(e.ms), fixed(e.percent, 1)]),
    leftColumns: 1,
  });
  return [
    entries(`Profile of ${run} (${int(p.totalMs)} ms sampled): self time by function`, p.selfByFunction),
    entries('Self time by file', p.selfByFile),
    entries("This repository's functions, time including what they call", p.inclusiveRepo),
  ];
}
