import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packagingProblems } from '../../build/package.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('npm run package: what it needs', () => {
  const ready = { electronBinary: '/opt/electron/electron', nodeVersion: 'v22.12.0', builderInstalled: true };

  it('has nothing to say when Electron, a recent Node and electron-builder are there', () => {
    expect(packagingProblems(ready)).toEqual([]);
    expect(packagingProblems({ ...ready, nodeVersion: 'v24.1.3' })).toEqual([]);
  });

  it('names each missing piece with what to do', () => {
    const problems = packagingProblems({
      electronBinary: undefined,
      nodeVersion: 'v20.19.0',
      builderInstalled: false,
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/No Electron binary is installed.*run "npm install" again/);
    expect(problems[1]).toMatch(/needs Node\.js 22\.12 or newer.*this is Node\.js v20\.19\.0/);
    expect(problems[2]).toMatch(/electron-builder is not installed: run "npm ci"/);
    expect(packagingProblems({ ...ready, nodeVersion: 'v22.11.9' })).toHaveLength(1);
  });

  it('refuses before building anything where no Electron binary exists, and says so', async () => {
    // Electron's package honours this variable; an empty folder holds no binary.
    const empty = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-no-electron-'));
    const run = await new Promise<{ code: number | null; err: string; out: string }>((resolve) => {
      execFile(
        process.execPath,
        ['bin/run-ts.mjs', 'build/package.ts'],
        { cwd: root, env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty }, timeout: 60_000 },
        (error, out, err) => resolve({ code: error ? (error.code as number) : 0, out, err }),
      );
    });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^Cannot build the installers:\n- No Electron binary is installed/);
    // Nothing was started: the build step would have printed its own lines.
    expect(run.out).toBe('');
  });
});
