/**
 * Where `exportdesk export` writes, through the real command (bin/exportdesk.mjs): a named pipe or a device
 * at the target is refused, never replaced by a regular file; a legal long file name saves; a misused
 * --totals is refused before any work, so "bad usage" never comes with a file on disk.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { writeFileAtomic } from '../../../electron/base/atomic-file.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { jobsOnDisk } from '../crash/harness.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { expectedCsv } from '../../helpers/expected-output.ts';
import { runBin } from '../../helpers/run-bin.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';

const YEAR = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };
const isRoot = process.getuid?.() === 0;
let root: string;
let sim: OmniqSimulator;
let dir: string;
let home: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-bin-targets-'));
  sim = await startOmniqSimulator({ counts: { agents: 30 } });
});
afterAll(async () => {
  await sim.close();
  removeTempDir(root);
});

/** A fresh folder with a data folder holding one OmniQ connection, and a recipe for it. */
beforeEach(async (ctx) => {
  dir = mkdtempSync(path.join(root, `${ctx.task.id}-`));
  home = path.join(dir, 'data');
  const app = await AppService.open({ dataDir: home, secrets: standInKeychain() });
  const args = ['--provider', 'omniq', '--base-url', sim.url, '--set', 'tenantId=ACME-TENANT01'];
  const io = testIO({ cwd: dir });
  expect(await main(['connections', 'add', 'Acme', ...args], io, app), io.err.text).toBe(0);
  await app.close();
  const query = { index: 'agents', filterBy: { createdAt: YEAR } };
  const output = { format: 'csv', csv: { formulaGuard: false } };
  writeFileSync(
    path.join(dir, 'recipe.json'),
    JSON.stringify({ version: 1, connection: 'Acme', provider: 'omniq', query, output }),
  );
});

const exportTo = (...args: string[]) => runBin(['export', 'recipe.json', ...args], { cwd: dir, home });
const expected = () => expectedCsv(sim.records('agents'), { guard: false });

describe('a target that is not a regular file', () => {
  it('refuses a named pipe at --out, before the export runs, and leaves the pipe as it was', async () => {
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const r = await exportTo('--out', fifo);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`Cannot save to ${fifo}: it is a named pipe (FIFO), not a regular file.`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(jobsOnDisk(home)).toEqual([]);
  });

  it.runIf(isRoot)('refuses a device (a /dev/null and a /dev/full) and leaves it as it was', async () => {
    // Device nodes of our own, the same as /dev/null (1,3) and /dev/full (1,7): creating them needs root.
    for (const [name, minor] of [
      ['null.csv', '3'],
      ['full.csv', '7'],
    ] as const) {
      const dev = path.join(dir, name);
      execFileSync('mknod', [dev, 'c', '1', minor]);
      const r = await exportTo('--out', dev);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`Cannot save to ${dev}: it is a device, not a regular file.`);
      expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    }
    expect(jobsOnDisk(home)).toEqual([]);
  });

  it('is refused by the window’s save and totals too, and the export stays ready to save elsewhere', async () => {
    const good = path.join(dir, 'out.csv');
    expect((await exportTo('--out', good)).code).toBe(0);
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const app = await AppService.open({ dataDir: home, secrets: standInKeychain() });
    try {
      const [job] = await app.jobs.list();
      const csv = OutputOptionsSchema.parse({ format: 'csv', csv: { formulaGuard: false } });
      await expect(app.saves.saveTo(job?.id ?? '', fifo, csv)).rejects.toThrow(/it is a named pipe \(FIFO\)/);
      await expect(writeFileAtomic(fifo, 'totals')).rejects.toThrow(/it is a named pipe \(FIFO\)/);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
      const again = path.join(dir, 'again.csv');
      await app.saves.saveTo(job?.id ?? '', again, csv);
      expect(readFileSync(again, 'utf8')).toBe(expected());
    } finally {
      await app.close();
    }
  });
});

describe('a long file name', () => {
  it.each([234, 255])('saves to a %i-byte name (the longest a file system allows is 255)', async (bytes) => {
    // Multi-byte characters too: the temporary name is cut on a character boundary.
    const stem = 'é'.repeat(50);
    const name = `${stem}${'x'.repeat(bytes - Buffer.byteLength(stem) - 4)}.csv`;
    expect(Buffer.byteLength(name)).toBe(bytes);
    const r = await exportTo('--out', name);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, name), 'utf8')).toBe(expected());
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});

describe('--totals misuse', () => {
  it.each([
    {
      totals: 'totals.txt',
      message: '--totals needs a file name ending in .csv or .json, not "totals.txt".',
    },
    { totals: 'out.csv', message: '--totals must name another file than the export itself (--out).' },
    { totals: 'totals.csv', message: '--totals: omniq reports have no totals (only myreports reports do).' },
    { totals: 'missing/totals.csv', message: `The folder ${path.sep}` },
  ])('--totals $totals is bad usage found before any work: exit 2, no file', async ({ totals, message }) => {
    const r = await exportTo('--out', 'out.csv', '--totals', totals);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(path.join(dir, 'out.csv'))).toBe(false);
    expect(jobsOnDisk(home)).toEqual([]);
  });
});
