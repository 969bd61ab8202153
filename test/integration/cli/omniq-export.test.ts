import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { WINDOW_PROBE_FROM } from '../../../electron/http/date-windows.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { openOmniqApp } from '../../helpers/omniq-app.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { expectedCsv, expectedJson, expectedNdjson } from '../../helpers/expected-output.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { compareParquetWithCsv } from '../../helpers/parquet-vs-csv.ts';
import { expectWorkbookLikeCsv } from '../../helpers/workbook-readback.ts';

const YEAR = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };
let sim: OmniqSimulator;
let dir: string;
let app: AppService;

beforeAll(async () => {
  sim = await startOmniqSimulator({ counts: { communications: 25_000, agents: 40 } });
});
afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  ({ dir, app } = await openOmniqApp(sim.url, { prefix: 'exportdesk-cli-', settings: { pageSize: '1000' } }));
  sim.requests.length = 0;
  sim.clearFaults();
});
afterEach(async () => {
  await app.close();
  removeTempDir(dir);
});

function recipe(extra: Record<string, unknown> = {}, query: Record<string, unknown> = {}): string {
  const file = path.join(dir, `recipe-${Math.random().toString(36).slice(2)}.json`);
  const r = {
    version: 1,
    connection: 'Acme',
    provider: 'omniq',
    query: { index: 'communications', filterBy: { createdAt: YEAR }, ...query },
    ...extra,
  };
  writeFileSync(file, JSON.stringify(r));
  return file;
}

async function run(args: string[], clock?: FakeClock) {
  const io = testIO({ cwd: dir });
  const work = main(args, io, app);
  const code = clock ? await clock.drive(work) : await work;
  return { code, out: io.out.text, err: io.err.text, io };
}

describe('exportdesk export (OmniQ)', () => {
  it('exports 25,000 nested records to CSV, JSON and NDJSON exactly, splitting past the 10,000 window', async () => {
    const rows = sim.records('communications');
    expect(rows).toHaveLength(25_000);
    const file = recipe();

    const csv = await run(['export', file, '--out', 'out.csv']);
    expect(csv.code, csv.err).toBe(0);
    expect(readFileSync(path.join(dir, 'out.csv'), 'utf8')).toBe(expectedCsv(rows));
    expect(csv.err).toContain('createdAt windows');
    // One one-record probe far past any window, which OmniQ refuses; never a page past its window.
    const probe = (r: (typeof sim.requests)[number]): boolean =>
      (r.body as { from: number }).from === WINDOW_PROBE_FROM;
    expect(sim.requests.filter(probe).map((r) => r.status)).toEqual([400]);
    const pages = sim.requests.filter((r) => !probe(r));
    expect(pages.every((r) => r.status === 200)).toBe(true);
    const bodies = pages.map((r) => r.body as { from: number; size: number });
    expect(bodies.every((b) => b.from + b.size <= 10_000)).toBe(true);

    const json = await run(['export', file, '--out', 'out.json']);
    expect(json.code, json.err).toBe(0);
    const jsonText = readFileSync(path.join(dir, 'out.json'), 'utf8');
    expect(jsonText).toBe(expectedJson(rows));
    // Integers past 2^53 survive as the exact digits the vendor sent.
    expect(jsonText).toContain(`"externalRef":${String(rows[24_999]?.externalRef)}`);

    const nd = await run(['export', file, '--out', 'out.ndjson']);
    expect(nd.code, nd.err).toBe(0);
    expect(readFileSync(path.join(dir, 'out.ndjson'), 'utf8')).toBe(expectedNdjson(rows));
  }, 120_000);

  it('writes an Excel workbook holding the values of the CSV export, typed', async () => {
    const file = recipe();
    const csv = await run(['export', file, '--out', 'out.csv']);
    expect(csv.code, csv.err).toBe(0);
    const xlsx = await run(['export', file, '--out', 'out.xlsx']);
    expect(xlsx.code, xlsx.err).toBe(0);
    expect(xlsx.err).toContain('(xlsx)');
    const counts = await expectWorkbookLikeCsv(path.join(dir, 'out.xlsx'), path.join(dir, 'out.csv'));
    expect(counts.number).toBeGreaterThan(0);
    expect(counts.date).toBeGreaterThan(0);
    expect(counts.text).toBeGreaterThan(0);
  }, 120_000);

  it('writes Parquet, chosen by the --out name: typed columns holding every value of the CSV export', async () => {
    const file = recipe();
    const csv = await run(['export', file, '--out', 'all.csv']);
    expect(csv.code, csv.err).toBe(0);
    const pq = await run(['export', file, '--out', 'all.parquet']);
    expect(pq.code, pq.err).toBe(0);
    const compared = await compareParquetWithCsv(path.join(dir, 'all.parquet'), path.join(dir, 'all.csv'));
    expect(compared.mismatches).toEqual([]);
    expect(compared.rows).toBe(25_000);
    expect(compared.types).toEqual({
      __v: 'BIGINT',
      _id: 'VARCHAR',
      agentTotalTime: 'BIGINT',
      bot: 'VARCHAR',
      botModule: 'VARCHAR',
      botStartedAt: 'TIMESTAMP WITH TIME ZONE',
      botTotalTime: 'DOUBLE',
      campaign: 'VARCHAR',
      client: 'VARCHAR',
      createdAt: 'TIMESTAMP WITH TIME ZONE',
      externalRef: 'BIGINT',
      instance: 'VARCHAR',
      isNewClient: 'BOOLEAN',
      platform: 'VARCHAR',
      poolTotalTime: 'BIGINT',
      scid: 'VARCHAR',
      step: 'VARCHAR',
      tenantId: 'VARCHAR',
      tenantIdKey: 'VARCHAR',
      updatedAt: 'TIMESTAMP WITH TIME ZONE',
      'workflow.attrs.clientFromTemplate': 'BOOLEAN',
      'workflow.attrs.contact.company': 'VARCHAR',
      'workflow.attrs.contact.email': 'VARCHAR',
      'workflow.attrs.contact.firstName': 'VARCHAR',
      'workflow.attrs.contact.number1': 'VARCHAR',
      'workflow.attrs.contact.question': 'VARCHAR',
      'workflow.attrs.templateId': 'VARCHAR',
    });

    const wrong = await run(['export', file, '--out', 'all.avro', '--format', 'avro']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/--format must be csv, json, .*parquet.*, not "avro"\./);
  }, 120_000);

  it('writes the CSV options of the recipe: semicolon, BOM, LF, chosen columns in order', async () => {
    const rows = sim.records('agents');
    const file = recipe(
      {
        output: {
          format: 'csv',
          columns: ['createdAt', '_id', 'workflow.attrs.contact.number1'],
          csv: { delimiter: ';', bom: true, lineEnding: 'lf' },
        },
      },
      { index: 'agents' },
    );
    const r = await run(['export', file, '--out', 'agents.csv']);
    expect(r.code, r.err).toBe(0);
    const lines = readFileSync(path.join(dir, 'agents.csv'), 'utf8').split('\n');
    expect(lines[0]).toBe('\ufeffcreatedAt;_id;workflow.attrs.contact.number1');
    const first = rows[0] as {
      createdAt: string;
      _id: string;
      workflow: { attrs: { contact: { number1: string } } };
    };
    // The phone number stays readable: no apostrophe in front of "+1555...".
    expect(lines[1]).toBe(`${first.createdAt};${first._id};${first.workflow.attrs.contact.number1}`);
    expect(lines).toHaveLength(rows.length + 2);
  });

  it.each([
    ['429 with Retry-After in seconds', { kind: 'status', status: 429, retryAfter: 3 }],
    ['429 with Retry-After as an HTTP date', { kind: 'status', status: 429, retryAfter: 'http-date' }],
    ['429 without Retry-After', { kind: 'status', status: 429 }],
    [
      'a burst of 500, 502, 503',
      [
        { kind: 'status', status: 500 },
        { kind: 'status', status: 502 },
        { kind: 'status', status: 503 },
      ],
    ],
    ['a connection reset', { kind: 'reset' }],
    ['a reset in the middle of the body', { kind: 'reset-mid-body' }],
    ['malformed JSON', { kind: 'malformed' }],
    ['a truncated body', { kind: 'truncated' }],
    ['a slow answer', { kind: 'slow', delayMs: 300 }],
  ] as const)('recovers from %s with output identical to a clean run', async (_name, fault) => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    await app.close();
    app = await AppService.open({
      dataDir: path.join(dir, 'data'),
      secrets: standInKeychain(),
      clock,
    });
    const rows = sim.records('agents');
    const file = recipe({}, { index: 'agents' });
    sim.injectFaults(...(Array.isArray(fault) ? fault : [fault]));
    const r = await run(['export', file, '--out', 'agents.csv'], clock);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(path.join(dir, 'agents.csv'), 'utf8')).toBe(expectedCsv(rows));
    const faults = Array.isArray(fault) ? fault.length : 1;
    // Every fault was met, and each failed attempt was made again.
    expect(sim.requests.length).toBe(
      !Array.isArray(fault) && (fault as { kind: string }).kind === 'slow' ? 1 : faults + 1,
    );
  });

  it('gives up on a vendor that keeps failing with a message naming the vendor, the step and what to do', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    await app.close();
    app = await AppService.open({
      dataDir: path.join(dir, 'data'),
      secrets: standInKeychain(),
      clock,
    });
    sim.injectFaults(...Array.from({ length: 20 }, () => ({ kind: 'status' as const, status: 503 })));
    const r = await run(['export', recipe({}, { index: 'agents' }), '--out', 'agents.csv'], clock);
    expect(r.code).toBe(1);
    // It stopped within its retry budget instead of trying forever.
    expect(sim.requests.length).toBeLessThan(20);
    expect(r.err).toMatch(/OmniQ, fetching agents records 1–1000: .*503/);
    expect(r.err).toMatch(/What to do: .*Retry later/);
    expect(readdirSync(dir).filter((f) => f.startsWith('agents') || f.includes('.partial'))).toEqual([]);
  });

  it('shows the vendor’s 400 message for a bad query and writes nothing', async () => {
    const r = await run(['export', recipe({}, { index: 'no_such_index' }), '--out', 'x.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/OmniQ, fetching no_such_index .*400/);
    expect(r.err).toContain('Check the entity (index)');
    expect(readdirSync(dir).some((f) => f.startsWith('x.csv') || f.includes('.partial'))).toBe(false);
  });

  it('stops on Ctrl-C with exit code 130 and leaves no file', async () => {
    const file = recipe();
    const io = testIO({ cwd: dir });
    const work = main(['export', file, '--out', 'big.csv'], io, app);
    // Interrupt as soon as the first page has landed in the spool.
    await new Promise<void>((resolve) => {
      const off = app.runner.on((j) => {
        if (j.counters.rows > 0) {
          off();
          resolve();
        }
      });
    });
    io.interrupt();
    expect(await work).toBe(130);
    expect(io.err.text).toContain('Cancelled');
    expect(readdirSync(dir).some((f) => f.startsWith('big') || f.includes('.partial'))).toBe(false);
    const jobs = await app.jobs.list();
    expect(jobs[0]?.state).toBe('cancelled');
    const before = sim.requests.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.requests.length).toBe(before);
  });

  it('rejects an invalid recipe with exit code 2 and a message naming the field', async () => {
    const bad = recipe({}, { filterBy: { createdAt: '2025-13-45' } });
    const r = await run(['export', bad, '--out', 'x.csv']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('query.filterBy.createdAt');
    const noOut = await run(['export', recipe()]);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain('--out');
    const wrongVersion = path.join(dir, 'v.json');
    writeFileSync(
      wrongVersion,
      JSON.stringify({ version: 2, connection: 'Acme', provider: 'omniq', query: {} }),
    );
    const v = await run(['export', wrongVersion, '--out', 'x.csv']);
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/^version:/m);
    const missingConn = await run(['export', recipe({ connection: 'Nope' }), '--out', 'x.csv']);
    expect(missingConn.code).toBe(2);
    expect(missingConn.err).toContain('No connection named "Nope"');
  });

  it('resolves relative dates and continues with since-last-run', async () => {
    const clock = new FakeClock(Date.UTC(2025, 6, 1, 12));
    await app.close();
    app = await AppService.open({
      dataDir: path.join(dir, 'data'),
      secrets: standInKeychain(),
      clock,
    });
    const file = recipe({ name: 'nightly' }, { index: 'agents', filterBy: { createdAt: 'since-last-run' } });
    const first = await run(['export', file, '--out', 'a.ndjson'], clock);
    expect(first.code, first.err).toBe(0);
    const firstBody = sim.requests.at(-1)?.body as { filterBy: { createdAt: { from: string; to: string } } };
    expect(firstBody.filterBy.createdAt).toEqual({
      from: '1970-01-01T00:00:00.000Z',
      to: '2025-07-01T12:00:00.000Z',
    });
    await clock.advance(86_400_000);
    const second = await run(['export', file, '--out', 'b.ndjson'], clock);
    expect(second.code, second.err).toBe(0);
    const secondBody = sim.requests.at(-1)?.body as typeof firstBody;
    expect(secondBody.filterBy.createdAt).toEqual({
      from: '2025-07-01T12:00:00.001Z',
      to: '2025-07-02T12:00:00.000Z',
    });
    const expected = sim.records('agents').filter((r) => {
      const t = Date.parse(String(r.createdAt));
      return t <= Date.UTC(2025, 6, 1, 12);
    });
    expect(readFileSync(path.join(dir, 'a.ndjson'), 'utf8')).toBe(expectedNdjson(expected));
  });
});
