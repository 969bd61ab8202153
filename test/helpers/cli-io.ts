import { PassThrough, Writable } from 'node:stream';
import type { CliIO } from '../../electron/cli/io.ts';

class Capture extends Writable {
  text = '';
  isTTY = false;
  readonly #waiters: { text: string; resolve(): void }[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    for (const w of this.#waiters.filter((w) => this.text.includes(w.text))) {
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.resolve();
    }
    cb();
  }
  /** Resolves once `text` has been written. */
  waitFor(text: string): Promise<void> {
    if (this.text.includes(text)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ text, resolve }));
  }
}

export interface TestIO extends CliIO {
  out: Capture;
  err: Capture;
  /** Simulates Ctrl-C. */
  interrupt(): void;
}

/** Streams for driving the CLI in-process: stdin from a string, stdout/stderr captured. */
export function testIO(opts: { stdin?: string; cwd: string; env?: NodeJS.ProcessEnv }): TestIO {
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? '');
  const out = new Capture();
  const err = new Capture();
  const handlers = new Set<() => void>();
  return {
    stdin,
    stdout: out,
    stderr: err,
    out,
    err,
    env: opts.env ?? {},
    cwd: opts.cwd,
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    interrupt() {
      for (const h of handlers) h();
    },
  };
}
