/**
 * The JavaScript heap of every process that runs exports (the `exportdesk` command, the desktop app's main
 * process, browser mode) is bounded, so memory stays flat however many rows pass through.
 *
 * Rows are streamed (page → spool → file) and every page is garbage right after use, but V8 does not
 * collect old garbage early while memory is plentiful: without a bound the peak grows with the export
 * (about 1.7× for ten times the rows). A bound makes it collect sooner instead, at no measurable cost in
 * speed. Node reads the bound only at start-up (`v8.setFlagsFromString` comes too late), so each launcher
 * passes it on the command line: `exportdesk` starts itself again with it (relaunchWithBoundedHeap),
 * `npm start` passes it to Electron with `--js-flags` (and starts itself again in browser mode), and the
 * desktop main process, launched without it (the packaged app), starts itself again with it
 * (desktopRelaunchArgs).
 *
 * A user who sets the flag on their own (`NODE_OPTIONS=--max-old-space-size=...`) keeps their choice.
 */
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { LAUNCHER_FD, LAUNCHER_FD_ENV } from './launcher-link.ts';

/**
 * Old-generation heap of an exporting process, in MiB. Enough for everything that is held at once (one
 * page being parsed and the next arriving, a write buffer, the column list, job records, a preview page)
 * with a wide margin: a 1,000,000-row myreports body and a 2,000,000-record OmniQ export run within it.
 */
export const EXPORT_HEAP_MB = 160;

/** The V8 flag that sets it, for `node` or for Electron's `--js-flags`. */
export const EXPORT_HEAP_FLAG = `--max-old-space-size=${EXPORT_HEAP_MB}`;

/** Set in the environment of a process started again with the flag, so it can never start itself a third time. */
export const RELAUNCHED_ENV = 'EXPORTDESK_HEAP_BOUNDED';

const HEAP_OPTION = /--max[-_]old[-_]space[-_]size\b/;

/** The young generation and the heap's bookkeeping come on top of the old generation in V8's limit. */
const YOUNG_MB = 64;

/** Whether this process already runs with the bound (or a tighter one). */
export function heapBounded(): boolean {
  return getHeapStatistics().heap_size_limit <= (EXPORT_HEAP_MB + YOUNG_MB) * 1024 * 1024;
}

/** Whether the process should start itself again with the bound: not bounded, not chosen by the user, not done yet. */
export function needsRelaunch(
  env: NodeJS.ProcessEnv = process.env,
  execArgv: readonly string[] = process.execArgv,
): boolean {
  if (env[RELAUNCHED_ENV] === '1' || heapBounded()) return false;
  return !HEAP_OPTION.test(env.NODE_OPTIONS ?? '') && !execArgv.some((a) => HEAP_OPTION.test(a));
}

/** The switch that gives Electron's main process the bound: it reads `--js-flags` only at start-up. */
export const ELECTRON_HEAP_SWITCH = `--js-flags=${EXPORT_HEAP_FLAG}`;

/**
 * For the desktop main process (`argv` is its process.argv): the arguments to start it again with so its
 * heap is bounded, or undefined when it is already, or the user chose a size in their own `--js-flags`.
 * Other V8 flags the user passed are kept beside the bound.
 */
export function desktopRelaunchArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string[] | undefined {
  if (env[RELAUNCHED_ENV] === '1' || heapBounded()) return undefined;
  const args = argv.slice(1);
  const jsFlags = args.findIndex((a) => a.startsWith('--js-flags='));
  if (jsFlags === -1) return [ELECTRON_HEAP_SWITCH, ...args];
  if (HEAP_OPTION.test(args[jsFlags] as string)) return undefined;
  return args.map((a, i) => (i === jsFlags ? `${a} ${EXPORT_HEAP_FLAG}` : a));
}

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The exit code of a child that a signal ended, the shell's way (128 + the signal's number: 137 for
 * SIGKILL), with a line saying so when the signal did not come through this process: something outside
 * killed the export (kill -9, the system out of memory) or it crashed, and a silent exit would hide that.
 */
export function reportSignalExit(
  signal: NodeJS.Signals,
  forwarded: ReadonlySet<NodeJS.Signals>,
  stderr: NodeJS.WritableStream = process.stderr,
): number {
  const code = 128 + (osConstants.signals[signal] ?? 0);
  if (!forwarded.has(signal)) {
    const why =
      signal === 'SIGKILL'
        ? 'it was killed (kill -9, or the system ran out of memory)'
        : `it was ended by ${signal}`;
    stderr.write(`\nExport Desk stopped unfinished: ${why}. Exit code ${code}.\n`);
  }
  return code;
}

/**
 * Runs this Node script again in a child process with the heap bound, sharing the terminal (standard input
 * and output, so prompts for secrets work), and resolves with its exit code. Signals sent to this process
 * are passed on; the child's own handling (Ctrl-C cancels an export) decides what happens. The child also
 * holds a pipe to this process (launcher-link.ts), so it stops when this process ends in any way, SIGKILL
 * included.
 */
export function relaunchWithBoundedHeap(script: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, EXPORT_HEAP_FLAG, script, ...args], {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
      env: { ...process.env, [RELAUNCHED_ENV]: '1', [LAUNCHER_FD_ENV]: String(LAUNCHER_FD) },
    });
    const forwarded = new Set<NodeJS.Signals>();
    const forward = (signal: NodeJS.Signals) => () => {
      forwarded.add(signal);
      child.kill(signal);
    };
    const handlers = FORWARDED_SIGNALS.map((signal) => [signal, forward(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const stop = (): void => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    };
    child.on('error', (err) => {
      stop();
      reject(err);
    });
    child.on('exit', (code, signal) => {
      stop();
      // This end of the pipe stays open until here: closing it is what tells the child to stop.
      child.stdio[3]?.destroy();
      resolve(code ?? reportSignalExit(signal ?? 'SIGTERM', forwarded));
    });
  });
}
