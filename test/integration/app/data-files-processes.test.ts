import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirAsync } from '../../helpers/temp-dir.ts';

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, 'fixtures', 'save-connections-child.ts');
const RUN_TS = join(import.meta.dirname, '..', '..', '..', 'bin', 'run-ts.mjs');
const EACH = 15;

let dir: string | undefined;
afterEach(async () => {
  await removeTempDirAsync(dir);
});

describe('the data folder shared by the app and the CLI', () => {
  it('keeps every connection when two processes add connections and change settings at the same time', async () => {
    dir = await mkdtemp(join(tmpdir(), 'exportdesk-two-procs-'));
    const child = (prefix: string) => run(process.execPath, [RUN_TS, CHILD, dir!, prefix, String(EACH)]);
    await Promise.all([child('app'), child('cli')]);

    const doc = JSON.parse(await readFile(join(dir, 'connections.json'), 'utf8')) as {
      connections: { name: string }[];
    };
    const names = doc.connections.map((c) => c.name).sort();
    const expected = ['app', 'cli']
      .flatMap((p) => Array.from({ length: EACH }, (_, i) => `${p}-${i}`))
      .sort();
    expect(names).toEqual(expected);
    // Settings stayed a valid document, and no lock or temp file was left behind.
    const settings = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as {
      settings: { theme: string };
    };
    expect(['light', 'dark']).toContain(settings.settings.theme);
    expect((await readdir(dir)).filter((f) => /\.lock$|\.tmp|\.partial$|\.gone$/.test(f))).toEqual([]);
  }, 60_000);
});
