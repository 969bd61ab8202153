import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openTemp } from '../../../electron/base/atomic-file.ts';
import { beginSave, cleanAbandonedSave } from '../../../electron/export/save-journal.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';

let dir: string | undefined;
afterEach(() => removeTempDir(dir));

it('removes the temporary file an abandoned save of a long file name left, and nothing else', async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-journal-'));
  const jobDir = path.join(dir, 'job');
  mkdirSync(jobDir);
  // 255 bytes, the longest legal name: its temporary name is cut short to fit.
  const target = path.join(dir, `${'ü'.repeat(100)}${'n'.repeat(51)}.csv`);
  expect(Buffer.byteLength(path.basename(target))).toBe(255);
  const other = path.join(dir, `${'ü'.repeat(100)}${'n'.repeat(50)}.keep`);
  writeFileSync(other, 'a file of the user’s');
  const temp = await openTemp(target);
  await temp.handle.close();
  expect(Buffer.byteLength(path.basename(temp.path))).toBeLessThanOrEqual(255);
  await beginSave(jobDir, target);
  expect(await cleanAbandonedSave(jobDir)).toEqual([temp.path]);
  expect(readdirSync(dir).sort()).toEqual([path.basename(other), 'job'].sort());
});
