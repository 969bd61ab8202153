import { access, chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/records.ts';
import { writeFileAtomic } from '../../../electron/base/atomic-file.ts';
import { describeSaveError, saveSpool, SaveError } from '../../../electron/export/save.ts';
import { SpoolReader, SpoolWriter } from '../../../electron/export/spool.ts';
import { output, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let reader: SpoolReader;
const ROWS = 30_000;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  const writer = await SpoolWriter.create(join(dir, 'spool'));
  for (let start = 0; start < ROWS; start += 1000) {
    await writer.append(
      Array.from({ length: 1000 }, (_, k): Row => ({ id: start + k, text: 'x'.repeat(60) })),
    );
  }
  await writer.close();
  reader = await SpoolReader.open(join(dir, 'spool'));
});
afterEach(async () => {
  await reader.close();
  await cleanup();
});

async function spoolSnapshot(): Promise<string> {
  const spool = join(dir, 'spool');
  return (
    (await readFile(join(spool, 'rows.ndjson'), 'utf8')) + (await readFile(join(spool, 'spool.json'), 'utf8'))
  );
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Entries of `folder` other than the spool: what a save left behind. */
async function leftovers(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name !== 'spool').sort();
}

describe('saveSpool', () => {
  it('writes the file complete, readable by others, without touching the spool', async () => {
    const before = await spoolSnapshot();
    const target = join(dir, 'out.ndjson');
    const progress: number[] = [];
    const result = await saveSpool(reader, target, output({ format: 'ndjson' }), {
      onProgress: (n) => progress.push(n),
    });
    const text = await readFile(target, 'utf8');
    expect(result).toEqual({ path: target, rows: ROWS, bytes: Buffer.byteLength(text) });
    expect(text.split('\n')).toHaveLength(ROWS + 1);
    expect(text.endsWith(`{"id":${ROWS - 1},"text":"${'x'.repeat(60)}"}\n`)).toBe(true);
    expect((await stat(target)).mode & 0o777).toBe(0o644);
    expect(progress.at(-1)).toBe(ROWS);
    expect(await leftovers(dir)).toEqual(['out.ndjson']);
    expect(await spoolSnapshot()).toBe(before);
  });

  it('replaces an existing file whole', async () => {
    const target = join(dir, 'out.csv');
    await writeFile(target, 'old content that is longer than nothing\n'.repeat(100_000));
    await saveSpool(reader, target, output({ format: 'csv', columns: ['id'], csv: { lineEnding: 'lf' } }));
    const text = await readFile(target, 'utf8');
    expect(text.startsWith('id\n0\n1\n')).toBe(true);
    expect(text.endsWith(`${ROWS - 1}\n`)).toBe(true);
    expect(text).not.toContain('old content');
    expect(await leftovers(dir)).toEqual(['out.csv']);
  });

  it('leaves neither the target nor a temp file when aborted midway', async () => {
    const target = join(dir, 'out.json');
    const controller = new AbortController();
    let calls = 0;
    const saving = saveSpool(reader, target, output({ format: 'json' }), {
      signal: controller.signal,
      onProgress: (n) => {
        calls += 1;
        if (n < ROWS) controller.abort();
      },
    });
    await expect(saving).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBeGreaterThan(0);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('keeps an existing target untouched when the save fails midway', async () => {
    const target = join(dir, 'out.csv');
    await writeFile(target, 'previous export\n');
    const failing = {
      columns: ['id'],
      rowCount: 2,
      async *rows(): AsyncIterable<Row> {
        for (let i = 0; i < 5000; i++) yield { id: i, pad: 'y'.repeat(200) };
        throw new Error('spool read failed');
      },
    } as unknown as SpoolReader; // only the members saveSpool reads
    await expect(saveSpool(failing, target, output({ format: 'csv' }))).rejects.toThrow(/spool read failed/);
    expect(await readFile(target, 'utf8')).toBe('previous export\n');
    expect(await leftovers(dir)).toEqual(['out.csv']);
  });

  it('fails clearly on a folder it cannot write to, leaving nothing behind', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked);
    await writeFile(join(locked, 'out.csv'), 'keep me\n');
    await chmod(locked, 0o555);
    // root ignores folder permissions; then a "folder" that is really a file stands in, which fails for anyone.
    const permissionsBind = await access(locked, constants.W_OK).then(
      () => false,
      () => true,
    );
    const folder = permissionsBind ? locked : join(dir, 'not-a-folder');
    if (!permissionsBind) await writeFile(folder, 'a file\n');
    const target = join(folder, 'out.csv');
    const error: unknown = await saveSpool(reader, target, output({ format: 'csv' })).catch(
      (e: unknown) => e,
    );
    await chmod(locked, 0o755);
    expect(error).toBeInstanceOf(SaveError);
    expect((error as Error).message).toMatch(
      new RegExp(`^Cannot write to ${folder.replace(/[/\\.]/g, '\\$&')} .*choose another folder`),
    );
    if (permissionsBind) expect(await readdir(locked)).toEqual(['out.csv']);
    expect(await readFile(join(locked, 'out.csv'), 'utf8')).toBe('keep me\n');
    expect(await leftovers(dir)).toEqual(permissionsBind ? ['locked'] : ['locked', 'not-a-folder']);
  });

  it('turns system errors into sentences a user can act on', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect((describeSaveError(enospc, '/data/out.csv') as Error).message).toMatch(/^The disk is full/);
    const erofs = Object.assign(new Error('EROFS'), { code: 'EROFS' });
    expect((describeSaveError(erofs, '/mnt/cd/out.csv') as Error).message).toBe(
      'Cannot write to /mnt/cd (no permission or read-only): choose another folder.',
    );
    const abort = new DOMException('stopped', 'AbortError');
    expect(describeSaveError(abort, '/x')).toBe(abort);
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and privately, leaving no temp file', async () => {
    const target = join(dir, 'job.json');
    await writeFile(target, '{"old":true}');
    await writeFileAtomic(target, '{"new":true}\n');
    expect(await readFile(target, 'utf8')).toBe('{"new":true}\n');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    await writeFileAtomic(target, new Uint8Array([0x7b, 0x7d]));
    expect(await readFile(target, 'utf8')).toBe('{}');
    expect(await leftovers(dir)).toEqual(['job.json']);
  });

  it('fails without creating anything when the folder is missing', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'x.json'), '{}')).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await exists(join(dir, 'missing'))).toBe(false);
  });
});
