/**
 * Runs one bench child in a fresh Node process (through bin/run-ts.mjs, like `npm run bench` itself), so
 * its memory and CPU are its own, and returns what it reported.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPORT_HEAP_FLAG } from '../../electron/app/heap.ts';
import { RESULT_MARKER } from './protocol.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

export interface ChildOptions {
  /** Extra flags for node itself, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/x']. */
  nodeFlags?: string[];
  /**
   * The child runs exports the way the product does, so it gets the heap bound every product launcher
   * gives an exporting process (electron/app/heap.ts).
   */
  exportDesk?: boolean;
}

export function runChild<T>(script: string, input: unknown, opts: ChildOptions = {}): Promise<T> {
  const args = [
    ...(opts.exportDesk ? [EXPORT_HEAP_FLAG] : []),
    ...(opts.nodeFlags ?? []),
    'bin/run-ts.mjs',
    path.join(here, script),
    JSON.stringify(input),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      const other = stdout.split('\n').filter((l) => l !== '' && !l.startsWith(RESULT_MARKER));
      if (other.length > 0) process.stderr.write(`${other.join('\n')}\n`);
      if (code !== 0 || !line) {
        reject(new Error(`${script} exited with ${signal ?? `code ${code}`} and no result`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as T);
    });
  });
}
