import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../shared/jobs.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { cxoneWorld, exportQmWorkflows, type CxoneWorld } from '../../helpers/cxone-world.ts';
import { compareParquetWithCsv } from '../../helpers/parquet-vs-csv.ts';
import { expectWorkbookLikeCsv } from '../../helpers/workbook-readback.ts';

let w: CxoneWorld;

beforeEach(async () => {
  w = await cxoneWorld();
});
afterEach(async () => {
  await w.close();
});

describe('exportdesk export (NICE CXone)', () => {
  it('turns 45 days into 4 extraction jobs and one CSV with one header, never two calls within 30 s', async () => {
    const r = await exportQmWorkflows(w, { startDate: '2025-05-01', endDate: '2025-06-14' });
    expect(r.code, r.err).toBe(0);
    expect(w.sim.posts()).toBe(4);
    expect(w.sim.violations()).toBe(0);
    const calls = w.sim.calls.filter((c) => c.status < 400);
    for (let i = 1; i < calls.length; i++)
      expect((calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(30_000);
    // The vendor's bytes, BOM dropped, one header: CSV passes through unchanged.
    const expected = w.sim.expectedCsv('qm-workflows', '3', '2025-05-01', '2025-06-14').slice(1);
    expect(readFileSync(path.join(w.dir, 'qm.csv'), 'utf8')).toBe(expected);
  });

  it('writes an Excel workbook holding the values of the CSV export, typed', async () => {
    const period = { startDate: '2025-05-01', endDate: '2025-05-20' };
    const csv = await exportQmWorkflows(w, period);
    expect(csv.code, csv.err).toBe(0);
    const xlsx = await exportQmWorkflows(w, period, 'qm.xlsx', '--format', 'xlsx');
    expect(xlsx.code, xlsx.err).toBe(0);
    const counts = await expectWorkbookLikeCsv(path.join(w.dir, 'qm.xlsx'), path.join(w.dir, 'qm.csv'));
    expect(counts.text).toBeGreaterThan(0);
    expect(counts.number + counts.date).toBeGreaterThan(0);
  });

  it('writes Parquet with the vendor’s CSV text read as typed columns, every value as in the CSV export', async () => {
    const period = { startDate: '2025-05-01', endDate: '2025-05-10' };
    const csv = await exportQmWorkflows(w, period);
    expect(csv.code, csv.err).toBe(0);
    const pq = await exportQmWorkflows(w, period, 'qm.parquet', '--format', 'parquet');
    expect(pq.code, pq.err).toBe(0);
    const compared = await compareParquetWithCsv(path.join(w.dir, 'qm.parquet'), path.join(w.dir, 'qm.csv'), {
      formulaGuard: false,
    });
    expect(compared.mismatches).toEqual([]);
    expect(compared.rows).toBeGreaterThan(0);
    expect(compared.types).toEqual({
      'ACD ID': 'VARCHAR',
      'Agent ID': 'VARCHAR',
      'Auto Acknowledged': 'BOOLEAN',
      'Dispute Resolver Comments': 'VARCHAR',
      'Evaluation Flow Trigger': 'VARCHAR',
      'Failed Critical Question': 'BOOLEAN',
      'FirstName (Agent)': 'VARCHAR',
      'FirstName (Assigner)': 'VARCHAR',
      'FirstName (Disp)': 'VARCHAR',
      'FirstName (Eva)': 'VARCHAR',
      'Form Name': 'VARCHAR',
      'Form Version': 'BIGINT',
      'Interaction Direction': 'VARCHAR',
      'Interaction End Date': 'TIMESTAMP WITH TIME ZONE',
      'Interaction Start Date': 'TIMESTAMP WITH TIME ZONE',
      'Interaction Type': 'VARCHAR',
      'Last Updated': 'TIMESTAMP WITH TIME ZONE',
      'LastName (Agent)': 'VARCHAR',
      'LastName (Assigner)': 'VARCHAR',
      'LastName (Disp)': 'VARCHAR',
      'LastName (Eva)': 'VARCHAR',
      'Maximum Possible Score': 'BIGINT',
      'Phone Number': 'VARCHAR',
      'Plan Name': 'VARCHAR',
      Rank: 'VARCHAR',
      Score: 'DOUBLE',
      'Score – Percentage': 'DOUBLE',
      'Segment ID': 'VARCHAR',
      'Start Date': 'TIMESTAMP WITH TIME ZONE',
      'Submission Date': 'TIMESTAMP WITH TIME ZONE',
      'Team ID': 'VARCHAR',
      'Team Name': 'VARCHAR',
      'Tenant Name': 'VARCHAR',
      Type: 'VARCHAR',
      'User Review Comments': 'VARCHAR',
      'Workflow State': 'VARCHAR',
      'Workflow Status': 'VARCHAR',
    });
  });

  it('asks for a fresh link when the file link has expired', async () => {
    // The link lives 30 s; an injected 31 s stall before the download makes it expire once.
    let stalled = false;
    const off = w.app.runner.on((job) => {
      if (job.state === 'downloading' && !stalled) {
        stalled = true;
        void w.clock.advance(31_000);
      }
    });
    const r = await exportQmWorkflows(w, { startDate: '2025-05-01', endDate: '2025-05-02', version: '1' });
    off();
    expect(r.code, r.err).toBe(0);
    expect(w.sim.posts()).toBe(1);
    expect(w.sim.violations()).toBe(0);
    expect(readFileSync(path.join(w.dir, 'qm.csv'), 'utf8')).toBe(
      w.sim.expectedCsv('qm-workflows', '1', '2025-05-01', '2025-05-02').slice(1),
    );
  });

  it('gives up with what to check when every link has expired before its download starts', async () => {
    const off = w.app.runner.on((job) => {
      if (job.state === 'downloading') void w.clock.advance(31_000);
    });
    const r = await exportQmWorkflows(w, { startDate: '2025-05-01', endDate: '2025-05-02', version: '1' });
    off();
    expect(r.code).toBe(1);
    expect(r.err).toContain('had expired each of the 5 times it was used');
    expect(r.err).toContain("Check that this computer's date and time are right");
    expect(w.sim.downloads.map((d) => d.status)).toEqual([403, 403, 403, 403, 403]);
    expect(w.sim.violations()).toBe(0);
  });

  it('reports a FAILED job with the vendor’s message, and an unknown status plainly', async () => {
    w.sim.failNextJob('Date range exceeds retention');
    const failed = await exportQmWorkflows(w, { startDate: '2025-05-01', endDate: '2025-05-03' }, 'x.csv');
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('NICE CXone');
    expect(failed.err).toContain('Date range exceeds retention');
    w.sim.setNextJobStatus('PAUSED');
    const odd = await exportQmWorkflows(w, { startDate: '2025-05-01', endDate: '2025-05-03' }, 'x.csv');
    expect(odd.code).toBe(1);
    expect(odd.err).toContain('"PAUSED"');
    expect(w.sim.violations()).toBe(0);
  });

  it('says what to do for an unknown entity and for a wrong secret', async () => {
    const r = await w.run([
      'export',
      w.recipe({
        entityName: 'no-such-entity',
        version: '1',
        startDate: '2025-05-01',
        endDate: '2025-05-01',
      }),
      '--out',
      'x.csv',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/404/);
    expect(r.err).toContain('Check the entity name and version');
    await w.app.connections.setSecret('Tenant', 'accessKeySecret', 'wrong');
    const t = await w.run(['connections', 'test', 'Tenant']);
    expect(t.code).toBe(1);
    expect(t.err).toContain('CXone refused the access key');
  });
});

describe('a CXone export interrupted by a restart', () => {
  it('polls its remote jobs again and never submits twice', async () => {
    const query = {
      entityName: 'qm-workflows',
      version: '3',
      startDate: '2025-05-01',
      endDate: '2025-05-20',
    };
    const recipeRaw = { version: 1, connection: 'Tenant', provider: 'cxone', query };
    // Run until the first part's job is submitted and being waited on, and keep what the disk says then:
    // exactly what a crash at that moment leaves behind.
    const started = await w.app.runner.start(w.app.parseRecipe(recipeRaw));
    let crashState: JobRecord | undefined;
    await w.clock.drive(
      new Promise<void>((resolve) => {
        const off = w.app.runner.on((job) => {
          if (job.id === started.id && job.state === 'waiting' && job.remote.jobId && !crashState) {
            crashState = job;
            off();
            resolve();
          }
        });
      }),
    );
    w.app.runner.cancel(started.id);
    await w.clock.drive(w.app.runner.wait(started.id));
    await w.app.close();
    const jobFile = path.join(w.dir, 'data', 'jobs', started.id, 'job.json');
    writeFileSync(jobFile, JSON.stringify(crashState));
    expect(w.sim.posts()).toBe(1);

    // The app starts again: the export goes on from its remote job id.
    w.app = await w.openApp(true);
    const done = await w.clock.drive(w.app.runner.wait(started.id), 100_000);
    expect(done.state, done.error?.message).toBe('ready');
    // 20 days are two parts: the first was submitted before the crash, only the second after it.
    expect(w.sim.posts()).toBe(2);
    expect(w.sim.violations()).toBe(0);
    const saved = path.join(w.dir, 'resumed.csv');
    await w.app.saves.saveTo(
      done.id,
      saved,
      OutputOptionsSchema.parse({ format: 'csv', csv: { formulaGuard: false } }),
    );
    expect(readFileSync(saved, 'utf8')).toBe(
      w.sim.expectedCsv('qm-workflows', '3', '2025-05-01', '2025-05-20').slice(1),
    );
  });
});

describe('a CXone file download cut off part-way', () => {
  const period = { startDate: '2025-05-01', endDate: '2025-05-10' };

  it('is fetched again whole through a fresh link, with no row twice and nothing left behind', async () => {
    const expected = w.sim.expectedCsv('qm-workflows', '3', '2025-05-01', '2025-05-10');
    const half = Math.floor(Buffer.byteLength(expected) / 2);
    w.sim.cutNextDownload(half);
    const r = await exportQmWorkflows(w, period);
    expect(r.code, r.err).toBe(0);
    expect(w.sim.downloads.map((d) => d.cutAfter)).toEqual([half, undefined]);
    expect(readFileSync(path.join(w.dir, 'qm.csv'), 'utf8')).toBe(expected.slice(1));
    expect(w.sim.posts()).toBe(1);
    expect(w.sim.violations()).toBe(0);
    // The file streams into the export's spool: no download is left anywhere beside it.
    expect(readdirSync(w.dataDir).filter((f) => /download|partial/.test(f))).toEqual([]);
  });

  it('fails with what to do when it keeps breaking off', async () => {
    w.sim.cutNextDownload(1000, 3);
    const r = await exportQmWorkflows(w, period);
    expect(r.code).toBe(1);
    expect(r.err).toContain('was cut off 3 times while downloading');
    expect(r.err).toContain('Check your network connection and proxy settings, then retry the export.');
    expect(existsSync(path.join(w.dir, 'qm.csv'))).toBe(false);
    expect(w.sim.violations()).toBe(0);
  });
});
