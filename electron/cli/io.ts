import { buffer } from 'node:stream/consumers';

/** What the CLI talks to; tests pass their own streams. */
export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Registers a Ctrl-C handler; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
  /** Opens an address in the system browser, resolving false if it could not (open-browser.ts by default). */
  openBrowser?(url: string): Promise<boolean>;
}

export function processIO(): CliIO {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** Reads all of stdin (secrets piped in). */
export async function readStdin(io: CliIO): Promise<string> {
  return (await buffer(io.stdin)).toString('utf8');
}

/** Asks for a secret on a terminal without echoing it. */
export async function promptHidden(io: CliIO, question: string): Promise<string> {
  io.stderr.write(question);
  io.stdin.setRawMode?.(true);
  io.stdin.resume();
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const onData = (buf: Buffer | string) => {
      for (const ch of buf.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0003') {
          done();
          return ch === '\u0003' ? reject(new Error('cancelled')) : resolve(value);
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      io.stdin.setRawMode?.(false);
      io.stdin.off('data', onData);
      io.stdin.pause();
      io.stderr.write('\n');
    };
    io.stdin.on('data', onData);
  });
}
