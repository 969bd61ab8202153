/**
 * The state of a limiter shared by every process using one data folder (the window, the CLI, a restarted
 * app): a small JSON file, only ever replaced whole, and a lock file beside it for "one at a time".
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../base/atomic-file.ts';
import { acquireLock, errCode, type LockOptions } from '../base/lock-file.ts';

export class SharedState {
  readonly path: string;
  readonly #lockPath: string;
  #madeDir: Promise<unknown> | undefined;

  /** Files `<stem>.json` and `<stem>.lock` in `dir` (made, private to the user, if missing). */
  constructor(
    private readonly dir: string,
    stem: string,
    private readonly lock: Omit<LockOptions, 'signal'>,
  ) {
    this.path = join(dir, `${stem}.json`);
    this.#lockPath = join(dir, `${stem}.lock`);
  }

  /** The file's JSON; undefined when there is none or it was edited by hand into something unreadable. */
  async read(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if (errCode(err) === 'ENOENT') return undefined;
      throw err;
    }
    // Only ever replaced whole (rename), so never torn.
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  write(value: unknown): Promise<void> {
    return writeFileAtomic(this.path, JSON.stringify(value) + '\n');
  }

  /** Runs `fn` while this process holds the lock (waiting for it, abortable). */
  async locked<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    this.#madeDir ??= mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.#madeDir;
    const held = await acquireLock(this.#lockPath, { ...this.lock, ...(signal ? { signal } : {}) });
    try {
      return await fn();
    } finally {
      await held.release();
    }
  }
}
