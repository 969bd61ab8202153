import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectWorkbookLikeCsv } from '../../helpers/workbook-readback.ts';
import type { AppService } from '../../../electron/app/service.ts';
import type { FakeClock } from '../../helpers/fake-clock.ts';
import { startOmniSimulator, type ApiPath, type OmniSimulator } from '../../simulators/omni.ts';
import { main } from '../../../electron/cli/main.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { testWorld, type World } from '../../helpers/world.ts';
import { compareParquetWithCsv } from '../../helpers/parquet-vs-csv.ts';

const KEY = 'omni-demo-key';
let w: World<OmniSimulator>;
let dir: string;
let clock: FakeClock;
let sim: OmniSimulator;
let app: AppService;

const cli = (args: string[], stdin?: string) => w.run(args, stdin === undefined ? {} : { stdin });

const connectionArgs = (apiVersion: ApiPath, url: string): string[] => [
  ...['--base-url', url, '--set', `apiVersion=${apiVersion}`, '--secret', 'apiKey'],
];

async function addConnection(name: string, apiVersion: ApiPath = 'v1') {
  const r = await cli(
    ['connections', 'add', name, '--provider', 'omni', ...connectionArgs(apiVersion, sim.url)],
    `${KEY}\n`,
  );
  expect(r.code, r.err).toBe(0);
}

beforeEach(async () => {
  w = await testWorld({
    provider: 'omni',
    startMs: Date.UTC(2025, 6, 1),
    simulator: (c) => startOmniSimulator({ clock: c, documents: 2080 }),
    connection: {
      name: 'Org',
      secret: KEY,
      args: (s) => connectionArgs('v1', s.url),
    },
  });
  ({ dir, clock, sim, app } = w);
});
afterEach(() => w.close());

const recipe = (
  query: Record<string, unknown>,
  format: 'csv' | 'json' = 'json',
  connection = 'Org',
): string => w.recipe(query, { format }, connection);

const documentCalls = () => sim.calls.filter((c) => c.path.endsWith('/documents'));

async function exportIds(query: Record<string, unknown>, out: string, connection = 'Org'): Promise<string[]> {
  const r = await cli(['export', recipe(query, 'json', connection), '--out', out]);
  expect(r.code, r.err).toBe(0);
  const rows = JSON.parse(readFileSync(path.join(dir, out), 'utf8')) as Array<{ identifier: string }>;
  return rows.map((d) => d.identifier);
}

describe('exportdesk export (Omni documents)', () => {
  it('exports every document once, in order, under each sort, though sort values tie at page boundaries', async () => {
    // The simulator's cursor is the last document's sort value and skips the documents tied with it that
    // did not fit on the page; the export asks again from the previous value, so none is lost.
    const sorts = [
      ['name', 'asc'],
      ['updatedAt', 'desc'],
      ['visits', 'asc'],
    ] as const;
    for (const [sortField, sortDirection] of sorts) {
      const before = documentCalls().length;
      const include = ['includeDeleted', '_count'];
      const query = { sortField, sortDirection, pageSize: 100, include };
      const ids = await exportIds(query, `${sortField}.json`);
      const expected = sim
        .expected('v1', { sortField, sortDirection, include: include.join(',') })
        .map((d) => d.identifier);
      expect(expected).toHaveLength(2080);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected);
      const [job] = await app.jobs.list();
      expect(job?.warnings ?? []).toEqual([]);
      const calls = documentCalls().slice(before);
      // Each page after the first reads the documents of its boundary value again.
      expect(calls.length).toBeGreaterThanOrEqual(21);
      expect(calls.length).toBeLessThanOrEqual(Math.ceil(2080 / 90));
      for (const c of calls) {
        expect(c.status).toBe(200);
        expect([c.query.sortField, c.query.sortDirection, c.query.pageSize]).toEqual([
          sortField,
          sortDirection,
          '100',
        ]);
      }
    }
  });

  it('writes an Excel workbook holding the values of the CSV export, typed', async () => {
    const query = { sortField: 'name', sortDirection: 'asc', pageSize: 25 };
    const csv = await cli(['export', recipe(query, 'csv'), '--out', 'docs.csv']);
    expect(csv.code, csv.err).toBe(0);
    const xlsx = await cli(['export', recipe(query, 'csv'), '--format', 'xlsx', '--out', 'docs.xlsx']);
    expect(xlsx.code, xlsx.err).toBe(0);
    const counts = await expectWorkbookLikeCsv(path.join(dir, 'docs.xlsx'), path.join(dir, 'docs.csv'));
    expect(counts.text).toBeGreaterThan(0);
    expect(counts.date).toBeGreaterThan(0);
  });

  it('writes Parquet with nested fields as dotted columns, typed, every value as in the CSV export', async () => {
    const query = { sortField: 'name', sortDirection: 'asc', pageSize: 100, include: ['_count'] };
    const csv = await cli(['export', recipe(query), '--out', 'docs.csv', '--format', 'csv']);
    expect(csv.code, csv.err).toBe(0);
    const pq = await cli(['export', recipe(query), '--out', 'docs.parquet', '--format', 'parquet']);
    expect(pq.code, pq.err).toBe(0);
    const compared = await compareParquetWithCsv(path.join(dir, 'docs.parquet'), path.join(dir, 'docs.csv'), {
      formulaGuard: false,
    });
    expect(compared.mismatches).toEqual([]);
    expect(compared.rows).toBe(
      sim.expected('v1', { sortField: 'name', sortDirection: 'asc', include: '_count' }).length,
    );
    expect(compared.types).toEqual({
      '_count.favorites': 'BIGINT',
      '_count.views': 'BIGINT',
      connectionId: 'VARCHAR',
      deleted: 'BOOLEAN',
      'folder.id': 'VARCHAR',
      'folder.name': 'VARCHAR',
      'folder.path': 'VARCHAR',
      'folder.scope': 'VARCHAR',
      hasDashboard: 'BOOLEAN',
      identifier: 'VARCHAR',
      labels: 'VARCHAR',
      name: 'VARCHAR',
      'owner.id': 'VARCHAR',
      'owner.name': 'VARCHAR',
      scope: 'VARCHAR',
      type: 'VARCHAR',
      updatedAt: 'TIMESTAMP WITH TIME ZONE',
      url: 'VARCHAR',
    });
  });

  it('says documents may be missing when a whole page shares one sort value', async () => {
    // 13 favorite counts over 2080 documents: every value fills more than a page of 100.
    const query = { sortField: 'favorites', sortDirection: 'desc', pageSize: 100 };
    const ids = await exportIds(query, 'favorites.json');
    expect(ids.length).toBeLessThan(sim.expected('v1', {}).length);
    const [job] = await app.jobs.list();
    expect(job?.warnings).toEqual([
      expect.stringContaining(
        'its cursor skips documents that share a favorites value across a page boundary',
      ),
    ]);
  });

  it('pages the unstable path with odd page sizes, and filters by label (either spelling) and creator', async () => {
    await addConnection('Old', 'unstable');
    const ids = await exportIds(
      { sortField: 'name', sortDirection: 'desc', pageSize: 97 },
      'old.json',
      'Old',
    );
    expect(ids).toEqual(
      sim.expected('unstable', { sortField: 'name', sortDirection: 'desc' }).map((d) => d.identifier),
    );
    const owner = sim.org.documents[0]?.owner.id as string;
    const query = {
      sortField: 'updatedAt',
      sortDirection: 'asc',
      pageSize: 10,
      labels: ['finance', 'R&D+Ops'],
      creatorId: owner,
    };
    const filtered = await exportIds(query, 'filtered.json');
    const expected = sim.expected('v1', {
      sortField: 'updatedAt',
      sortDirection: 'asc',
      labels: 'finance,R&D+Ops',
      creatorId: owner,
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(filtered).toEqual(expected.map((d) => d.identifier));
  });

  it('writes folder and owner as columns and labels of both shapes as one cell', async () => {
    const r = await cli([
      'export',
      recipe({ sortField: 'name', sortDirection: 'asc', pageSize: 100 }, 'csv'),
      '--out',
      'docs.csv',
    ]);
    expect(r.code, r.err).toBe(0);
    const rows = parse(readFileSync(path.join(dir, 'docs.csv'), 'utf8'), {
      columns: true,
      bom: true,
    }) as Array<Record<string, string>>;
    const expected = sim.expected('v1', { sortField: 'name', sortDirection: 'asc' });
    expect(rows).toHaveLength(expected.length);
    expect(Object.keys(rows[0] ?? {})).toEqual(
      expect.arrayContaining([
        'identifier',
        'name',
        'folder.path',
        'folder.name',
        'owner.name',
        'owner.id',
        'labels',
        'updatedAt',
        'scope',
      ]),
    );
    for (const [i, row] of rows.entries()) {
      const doc = expected[i];
      expect(row.name).toBe(doc?.name);
      expect(row['folder.path']).toBe(doc?.folder?.path ?? '');
      expect(row['owner.name']).toBe(doc?.owner.name);
      expect(row.labels).toBe(doc?.labels.map((l) => l.name).join('; '));
    }
    const json = await exportIds({ sortField: 'name', sortDirection: 'asc', pageSize: 100 }, 'docs.json');
    expect(json).toHaveLength(expected.length);
    const first = (
      JSON.parse(readFileSync(path.join(dir, 'docs.json'), 'utf8')) as Array<{ labels: unknown }>
    ).find((d) => Array.isArray(d.labels) && d.labels.length > 1);
    expect(first?.labels).toEqual(expect.arrayContaining([expect.any(String), expect.any(String)]));
  });

  it('keeps two exports and a lookup on one key at or under 60 requests a minute, close to the limit', async () => {
    const start = clock.now();
    const waits: Array<{ message?: string; nextPollAt?: string; at: number }> = [];
    const off = app.runner.on((j) => {
      if (j.state === 'waiting')
        waits.push({ message: j.message, nextPollAt: j.nextPollAt, at: clock.now() });
    });
    const runs = await Promise.all([
      cli([
        'export',
        recipe({ sortField: 'visits', sortDirection: 'desc', pageSize: 25 }),
        '--out',
        'a.json',
      ]),
      cli(['export', recipe({ sortField: 'name', sortDirection: 'asc', pageSize: 25 }), '--out', 'b.json']),
      cli(['connections', 'lookup', 'Org', 'users']),
    ]);
    off();
    for (const r of runs) expect(r.code, r.err).toBe(0);
    // While the key's minute is used up, the export says so and when the next request goes.
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]?.message).toBe("Waiting for Omni's limit of 60 requests a minute on this key");
    expect(Date.parse(waits[0]?.nextPollAt ?? '')).toBeGreaterThan(waits[0]?.at ?? Infinity);
    expect(runs[2]?.out.split('\n').filter(Boolean)).toHaveLength(150);
    expect(sim.calls.filter((c) => c.status === 429)).toEqual([]);
    expect(sim.busiestMinute(KEY)).toBeLessThanOrEqual(60);
    const pages = (n: number) => Math.ceil(n / 25);
    const requests =
      pages(sim.expected('v1', { sortField: 'visits', sortDirection: 'desc' }).length) +
      pages(sim.expected('v1', { sortField: 'name', sortDirection: 'asc', include: '_count' }).length) +
      2;
    expect(sim.calls).toHaveLength(requests);
    expect(requests).toBeGreaterThan(120);
    // At the limit the last request goes out as the window (61 s with the margin) allows, not later.
    expect(clock.now() - start).toBeLessThanOrEqual(Math.floor(requests / 60) * 61_000 + 1_000);
  });

  it('runs a key whose limit Omni raised at its own rate', async () => {
    sim.setLimit(120);
    const set = await cli(['connections', 'add', 'Org', '--set', 'requestsPerMinute=120']);
    expect(set.code, set.err).toBe(0);
    const ids = await exportIds({ sortField: 'updatedAt', sortDirection: 'desc', pageSize: 10 }, 'fast.json');
    expect(ids).toHaveLength(sim.expected('v1', {}).length);
    expect(sim.calls.filter((c) => c.status === 429)).toEqual([]);
    expect(sim.busiestMinute(KEY)).toBeGreaterThan(60);
    expect(sim.busiestMinute(KEY)).toBeLessThanOrEqual(120);
  });

  it('recovers from 429s when Omni allows fewer requests than 60 a minute', async () => {
    sim.setLimit(20);
    const ids = await exportIds({ sortField: 'updatedAt', sortDirection: 'asc', pageSize: 50 }, 'slow.json');
    expect(sim.calls.some((c) => c.status === 429)).toBe(true);
    // The key is nowhere in the data folder: not in the rate-limit state, the job records or the log.
    const files = readdirSync(path.join(dir, 'data'), { recursive: true, withFileTypes: true }).filter((f) =>
      f.isFile(),
    );
    expect(files.some((f) => f.parentPath.endsWith('limits'))).toBe(true);
    for (const f of files) expect(readFileSync(path.join(f.parentPath, f.name), 'utf8')).not.toContain(KEY);
    expect(ids).toEqual(
      sim.expected('v1', { sortField: 'updatedAt', sortDirection: 'asc' }).map((d) => d.identifier),
    );
  });

  it('names the query field Omni complains about, in plain words', async () => {
    const cases = [
      [{ creatorId: '0b9c3f0e-1234-4abc-8def-0123456789ab' }, 'creatorId', 'No user with the id 0b9c3f0e'],
      [{ creatorId: 'blobby' }, 'creatorId', 'UUID'],
      [{ sortField: 'popularity' }, 'sortField', 'favorites, name, updatedAt, visits'],
    ] as const;
    for (const [patch, field, words] of cases) {
      const query = { sortField: 'name', sortDirection: 'asc', pageSize: 100, ...patch };
      const r = await cli(['export', recipe(query), '--out', 'x.json']);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`(query field "${field}")`);
      expect(r.err).toContain(words);
      const jobs = await app.jobs.list();
      expect(
        jobs.find((j) => j.state === 'failed' && JSON.stringify(j.recipe.query) === JSON.stringify(query))
          ?.error?.field,
      ).toBe(field);
    }
  });

  it('refuses, before any request, the include, userId and folderId combinations Omni refuses', async () => {
    const user = sim.org.users[1]?.id as string;
    const folder = sim.org.folders[0]?.id as string;
    const cases = [
      [{ include: ['onlyFavorites'] }, 'userId', 'Omni needs a user with “Only favorites”'],
      [{ include: ['onlyFavorites', 'onlySharedWithMe'], userId: user }, 'include', 'does not combine them'],
      [{ include: ['onlySharedWithMe'], userId: user, folderId: folder }, 'folderId', 'Clear the folder'],
    ] as const;
    for (const [patch, field, words] of cases) {
      const r = await cli([
        'export',
        recipe({ sortField: 'name', sortDirection: 'asc', pageSize: 100, ...patch }),
        '--out',
        'x.json',
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`query.${field}: `);
      expect(r.err).toContain(words);
    }
    await addConnection('Old', 'unstable');
    for (const patch of [{ folderId: folder }, { userId: user }, { include: ['_count'] }]) {
      const r = await cli([
        'export',
        recipe({ sortField: 'name', sortDirection: 'asc', pageSize: 5, ...patch }, 'json', 'Old'),
        '--out',
        'x.json',
      ]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`(query field "${Object.keys(patch)[0]}")`);
      expect(r.err).toContain('only the v1 API path does');
    }
    expect(documentCalls()).toEqual([]);
  });

  it('exports the favorites and the documents shared with a chosen user', async () => {
    const user = sim.org.users[1]?.id as string;
    for (const flag of ['onlyFavorites', 'onlySharedWithMe']) {
      const query = { sortField: 'name', sortDirection: 'asc', pageSize: 100, include: [flag], userId: user };
      const ids = await exportIds(query, `${flag}.json`);
      const expected = sim.expected('v1', {
        sortField: 'name',
        sortDirection: 'asc',
        include: flag,
        userId: user,
      });
      expect(expected.length).toBeGreaterThan(0);
      expect(ids).toEqual(expected.map((d) => d.identifier));
      expect(documentCalls().at(-1)?.query.userId).toBe(user);
    }
  });

  it('tests the connection, and says plainly when the key is refused', async () => {
    const ok = await cli(['connections', 'test', 'Org']);
    expect(ok.code, ok.err).toBe(0);
    const visible = sim.expected('v1', {}).length;
    expect(ok.out).toContain(`Connected to Omni (v1 path): ${visible} documents visible`);
    const wrong = await cli(['connections', 'add', 'Org', '--secret', 'apiKey'], 'not-the-key\n');
    expect(wrong.code, wrong.err).toBe(0);
    const refused = await cli(['connections', 'test', 'Org']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Invalid API key');
    expect(refused.err).not.toContain('not-the-key');
  });

  it('keeps a document Omni sends twice across a page boundary once, and says so', async () => {
    const doc = (identifier: string) => ({ identifier, name: `Doc ${identifier}`, labels: ['Finance'] });
    const pageOf = (ids: string[], nextCursor: string | null) => ({
      kind: 'status' as const,
      status: 200,
      body: {
        pageInfo: { hasNextPage: nextCursor !== null, nextCursor, pageSize: ids.length, totalRecords: 3 },
        records: ids.map(doc),
      },
    });
    // A cursor that is not the last document's name is Omni's own position, followed as it is.
    sim.injectFaults(pageOf(['a1', 'b2'], 'after-b2'), pageOf(['b2', 'c3'], null));
    const ids = await exportIds({ sortField: 'name', sortDirection: 'asc', pageSize: 2 }, 'dup.json');
    expect(ids).toEqual(['a1', 'b2', 'c3']);
    expect(documentCalls()[1]?.query.cursor).toBe('after-b2');
    const [job] = await app.jobs.list();
    expect(job?.warnings).toEqual(['Omni sent 1 document twice; each is in the file once.']);
  });

  it('stops with a message when Omni says more pages follow but sends no cursor', async () => {
    const record = { identifier: 'abcd0001', name: 'Only one', labels: [] };
    sim.injectFaults({
      kind: 'status',
      status: 200,
      body: {
        pageInfo: { hasNextPage: true, nextCursor: null, pageSize: 1, totalRecords: 5 },
        records: [record],
      },
    });
    const r = await cli([
      'export',
      recipe({ sortField: 'name', sortDirection: 'asc', pageSize: 1 }),
      '--out',
      'x.json',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('sent no new cursor');
  });

  it('stops on Ctrl-C while waiting for the rate limit, leaving no file and sending nothing more', async () => {
    const io = testIO({ cwd: dir });
    const work = main(
      ['export', recipe({ sortField: 'name', sortDirection: 'asc', pageSize: 10 }), '--out', 'big.json'],
      io,
      app,
    );
    // 60 requests go out at once; the 61st waits for the minute to pass.
    while (sim.calls.length < 60 || clock.pendingSleeps() === 0)
      await clock.untilSleeping(1).then(() => new Promise((r) => setImmediate(r)));
    io.interrupt();
    expect(await clock.drive(work)).toBe(130);
    expect(sim.calls).toHaveLength(60);
    expect(readdirSync(dir).some((f) => f.startsWith('big'))).toBe(false);
    await clock.advance(120_000);
    expect(sim.calls).toHaveLength(60);
  });
});
