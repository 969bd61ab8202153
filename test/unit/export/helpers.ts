import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { OutputOptions } from '../../../shared/output.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import type { Row } from '../../../shared/records.ts';
import { profilesSettled } from '../../../electron/export/csv-profile.ts';

/**
 * Removes a test's folder once the profiles of its CSV spools are done: they go on after their spool
 * closed (csv-profile.ts) and would write into a folder being removed.
 */
export async function removeSpools(dir: string): Promise<void> {
  await profilesSettled();
  await rm(dir, { recursive: true, force: true });
}

/** A fresh temp folder per test; `cleanup` removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'exportdesk-export-'));
  return { dir, cleanup: () => removeSpools(dir) };
}

export async function* iterate(rows: readonly Row[]): AsyncIterable<Row> {
  yield* rows;
}

/** Collects everything written, as bytes, so tests can compare output byte for byte. */
export class MemorySink extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(chunk);
    cb();
  }
  get buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
  get text(): string {
    return this.buffer.toString('utf8');
  }
}

export type OutputInput = Partial<Omit<OutputOptions, 'csv'>> & { csv?: Partial<OutputOptions['csv']> };

/** Output options with the schema's defaults filled in, as the app would receive them. */
export function output(partial: OutputInput = {}): OutputOptions {
  return OutputOptionsSchema.parse(partial);
}
