import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  desktopRelaunchArgs,
  ELECTRON_HEAP_SWITCH,
  EXPORT_HEAP_FLAG,
  EXPORT_HEAP_MB,
  needsRelaunch,
  RELAUNCHED_ENV,
} from '../../../electron/app/heap.ts';

const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'heap-probe.mjs');

interface Report {
  pid: number;
  heapMb: number;
  args: string[];
}

/** Runs the probe as a user runs the command; `onReport` sees the first line (the bounded process's report). */
function runProbe(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; nodeFlags?: string[]; onReport?: (pid: number) => void } = {},
): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...opts.env };
    delete env[RELAUNCHED_ENV];
    if (opts.env?.[RELAUNCHED_ENV]) env[RELAUNCHED_ENV] = opts.env[RELAUNCHED_ENV];
    const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), probe, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const first = !out.includes('\n');
      out += chunk;
      if (first && out.includes('\n')) opts.onReport?.(child.pid as number);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines: out.split('\n').filter((l) => l !== '') }));
  });
}

const reportOf = (lines: string[]): Report => JSON.parse(lines[0] as string) as Report;

describe('the bounded heap of exporting processes', () => {
  it('starts the command again with the bound, passing its arguments and exit code through', async () => {
    const r = await runProbe(['exit', '3']);
    expect(r.code).toBe(3);
    const report = reportOf(r.lines);
    expect(report.args).toEqual(['exit', '3']);
    // V8's limit is the old generation plus the young one.
    expect(report.heapMb).toBeGreaterThanOrEqual(EXPORT_HEAP_MB);
    expect(report.heapMb).toBeLessThan(EXPORT_HEAP_MB + 64);
  });

  it('passes a signal sent to the command on to the process doing the work', async () => {
    const r = await runProbe(['wait', '7'], { onReport: (pid) => process.kill(pid, 'SIGTERM') });
    expect(r.lines.slice(1)).toEqual(['stopping on SIGTERM']);
    expect(r.code).toBe(7);
  });

  it('keeps a heap size the user chose and starts only once', async () => {
    const chosen = await runProbe(['exit', '0'], { env: { NODE_OPTIONS: '--max-old-space-size=300' } });
    expect(reportOf(chosen.lines).heapMb).toBeGreaterThanOrEqual(300);
    const flag = await runProbe(['exit', '0'], { nodeFlags: ['--max-old-space-size=400'] });
    expect(reportOf(flag.lines).heapMb).toBeGreaterThanOrEqual(400);
    const again = await runProbe(['exit', '0'], { env: { [RELAUNCHED_ENV]: '1' } });
    expect(reportOf(again.lines).heapMb).toBeGreaterThan(EXPORT_HEAP_MB + 64);
  });

  it('decides from the environment and the flags when to start again', () => {
    // This test process runs with V8's default heap, far above the bound.
    expect(needsRelaunch({}, [])).toBe(true);
    expect(needsRelaunch({ [RELAUNCHED_ENV]: '1' }, [])).toBe(false);
    expect(needsRelaunch({ NODE_OPTIONS: '--max_old_space_size=2048' }, [])).toBe(false);
    expect(needsRelaunch({}, ['--max-old-space-size=2048'])).toBe(false);
  });

  it('gives the desktop main process the bound through --js-flags, keeping other V8 flags', () => {
    expect(desktopRelaunchArgs(['/opt/Export Desk/exportdesk', '--no-sandbox'], {})).toEqual([
      ELECTRON_HEAP_SWITCH,
      '--no-sandbox',
    ]);
    expect(desktopRelaunchArgs(['electron', '--js-flags=--expose-gc', 'main.cjs'], {})).toEqual([
      `--js-flags=--expose-gc ${EXPORT_HEAP_FLAG}`,
      'main.cjs',
    ]);
    expect(desktopRelaunchArgs(['electron', '--js-flags=--max-old-space-size=1024'], {})).toBeUndefined();
    expect(desktopRelaunchArgs(['electron'], { [RELAUNCHED_ENV]: '1' })).toBeUndefined();
  });
});
