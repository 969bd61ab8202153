import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file.ts';
import { zodMessage } from './user-error.ts';
import { systemClock } from './clock.ts';
import { acquireLock } from './lock-file.ts';

/** A lock older than this belongs to a process that died mid-update; a real update takes milliseconds. */
const STALE_LOCK_MS = 10_000;

/**
 * A small JSON document in the data folder, validated on read and written atomically, so a crash or a
 * full disk never leaves a half-written settings file. A file that fails validation is kept aside as
 * `<name>.damaged-<time>` and reported, never silently overwritten.
 */
export class JsonFile<S extends z.ZodType> {
  constructor(
    readonly file: string,
    private readonly schema: S,
    private readonly fallback: () => z.infer<S>,
  ) {}

  async read(): Promise<z.infer<S>> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.fallback();
      throw e;
    }
    try {
      return this.schema.parse(JSON.parse(text));
    } catch (e) {
      const aside = `${this.file}.damaged-${Date.now()}`;
      await fs.rename(this.file, aside).catch(() => undefined);
      // Name the problem: the JSON error's position, or each field that is wrong, unknown or missing.
      const problem =
        e instanceof z.ZodError ? zodMessage(e).replaceAll('\n', '; ') : (e as Error).message.split('\n')[0];
      throw new Error(
        `${path.basename(this.file)} could not be read (${problem}); it was moved to ${aside}.`,
        { cause: e },
      );
    }
  }

  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Read, change, write — one at a time, within this process (a queue) and across processes (a lock file
   * beside the document), so a change made by the CLI while the app changes the same file is not lost.
   */
  update<T>(change: (value: z.infer<S>) => T | Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      // Wall time on purpose: the lock guards a write that takes milliseconds, whatever clock a test injects.
      const lock = await acquireLock(`${this.file}.lock`, {
        clock: systemClock,
        staleLockMs: STALE_LOCK_MS,
        pollMs: 10,
      });
      try {
        const value = await this.read();
        const result = await change(value);
        await this.write(value);
        return result;
      } finally {
        await lock.release();
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async write(value: z.infer<S>): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(value, null, 2)}\n`);
  }
}
