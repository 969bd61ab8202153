/**
 * Saving onto a disk that fills up, or onto a read-only file system (real tmpfs mounts: root ignores
 * permission bits, so chmod would prove nothing): a clear failure, nothing at the target, and the export
 * still in its spool, ready to be saved somewhere else.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { expectedCsv } from '../../helpers/expected-output.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { cannotMount, mountTmpfs } from './mounts.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';

const YEAR = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };
const CSV = OutputOptionsSchema.parse({ format: 'csv', csv: { formulaGuard: false } });
let dir: string;
let sim: OmniqSimulator;
let app: AppService;
let recipe: string;
let unmountable: string | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-disk-'));
  unmountable = cannotMount(path.join(dir, 'probe'));
  sim = await startOmniqSimulator({ counts: { communications: 1_000 } });
  app = await AppService.open({ dataDir: path.join(dir, 'data'), secrets: standInKeychain() });
  const io = testIO({ cwd: dir });
  const args = ['--provider', 'omniq', '--base-url', sim.url, '--set', 'tenantId=ACME-TENANT01'];
  expect(await main(['connections', 'add', 'Acme', ...args], io, app), io.err.text).toBe(0);
  recipe = path.join(dir, 'recipe.json');
  const query = { index: 'communications', filterBy: { createdAt: YEAR } };
  const output = { format: 'csv', csv: { formulaGuard: false } };
  writeFileSync(recipe, JSON.stringify({ version: 1, connection: 'Acme', provider: 'omniq', query, output }));
});
afterAll(async () => {
  await app.close();
  await sim.close();
  removeTempDir(dir);
});

/** Runs the recipe through the CLI onto `target`; returns the exit code, what it said and the job. */
async function exportTo(target: string): Promise<{ code: number; err: string; job: JobRecord }> {
  const io = testIO({ cwd: dir });
  const code = await main(['export', recipe, '--out', target], io, app);
  const [job] = await app.jobs.list();
  return { code, err: io.err.text, job: job as JobRecord };
}

describe.each([
  { what: 'a full disk', readOnly: false, message: /The disk is full: .*Free some space/ },
  { what: 'a read-only file system', readOnly: true, message: /read-only\): choose another folder/ },
])('saving onto $what', ({ readOnly, message }) => {
  it('fails clearly, leaves nothing at the target, and keeps the export to save elsewhere', async (ctx) => {
    if (unmountable) ctx.skip(unmountable);
    const mount = mountTmpfs(path.join(dir, readOnly ? 'ro' : 'full'), '64k', readOnly);
    let run: Awaited<ReturnType<typeof exportTo>>;
    try {
      run = await exportTo(path.join(mount.dir, 'out.csv'));
      expect(run.code).toBe(1);
      expect(run.err).toMatch(message);
      // Neither the file nor its temporary twin.
      expect(readdirSync(mount.dir)).toEqual([]);
      // The app says the same in the window.
      await expect(app.saves.saveTo(run.job.id, path.join(mount.dir, 'again.csv'), CSV)).rejects.toThrow(
        message,
      );
      expect(readdirSync(mount.dir)).toEqual([]);
    } finally {
      mount.unmount();
    }
    // The rows are still in the spool: the same export saves in full elsewhere, and only that save is listed.
    const job = await app.runner.get(run.job.id);
    expect(job.state).toBe('ready');
    expect(job.saves).toEqual([]);
    const elsewhere = path.join(dir, `elsewhere-${readOnly ? 'ro' : 'full'}.csv`);
    await app.saves.saveTo(job.id, elsewhere, CSV);
    expect(readFileSync(elsewhere, 'utf8')).toBe(
      expectedCsv(sim.records('communications'), { guard: false }),
    );
    expect((await app.runner.get(job.id)).saves.map((s) => s.path)).toEqual([elsewhere]);
  });
});
