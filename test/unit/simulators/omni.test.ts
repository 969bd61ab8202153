import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { startOmniSimulator, type OmniSimulator } from '../../simulators/omni.ts';
import { call } from './http-client.ts';

const KEY = 'omni-demo-key';
let sim: OmniSimulator;
afterEach(async () => {
  await sim.close();
});

const get = async (path: string, key = KEY) => {
  const r = await call(sim.url, { path, headers: { authorization: `Bearer ${key}` } });
  return { status: r.status, body: JSON.parse(r.text) as Record<string, unknown> };
};

describe('Omni simulator', () => {
  it('pages with the sort value as cursor, skipping documents tied with it at a page boundary', async () => {
    sim = await startOmniSimulator({ documents: 300 });
    const seen: string[] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const q = `sortField=favorites&sortDirection=asc&pageSize=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { status, body } = await get(`/api/unstable/documents?${q}`);
      expect(status).toBe(200);
      const page = body as {
        pageInfo: { hasNextPage: boolean; nextCursor: string | null; totalRecords: number };
        records: Array<{ identifier: string; labels: unknown[] }>;
      };
      seen.push(...page.records.map((r) => r.identifier));
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.nextCursor as string;
      cursors.push(cursor);
    }
    const all = sim.expected('unstable', { sortField: 'favorites', sortDirection: 'asc' });
    // Following nextCursor alone loses the documents that share a favorites count with a page's last one.
    expect(seen.length).toBeLessThan(all.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(cursors.every((c) => /^\d+$/.test(c))).toBe(true);
    // A name cursor is the plain name, as in the reference ("Product Totals").
    const byName = await get('/api/v1/documents?sortField=name&sortDirection=asc&pageSize=3');
    const names = (byName.body.records as Array<{ name: string }>).map((r) => r.name);
    expect((byName.body.pageInfo as { nextCursor: string }).nextCursor).toBe(names[2]);
  });

  it('keeps the v1 rules for include, userId and folderId, with SCIM 400 bodies', async () => {
    sim = await startOmniSimulator({ documents: 200, personalKeys: ['omni-pat'] });
    const user = sim.org.users[1]?.id as string;
    const folder = sim.org.folders[0]?.id as string;
    const refused: Array<[string, RegExp]> = [
      ['include=onlyFavorites', /^userId: Required when include contains onlyFavorites$/],
      [
        `include=onlyFavorites,onlySharedWithMe&userId=${user}`,
        /onlySharedWithMe cannot be combined with onlyFavorites/,
      ],
      [`include=onlySharedWithMe&userId=${user}&folderId=${folder}`, /^folderId: Cannot be combined/],
      ['include=onlySharedWithMe', /^userId: Required .* with an Organization API key$/],
      ['userId=abc', /^userId: Invalid uuid$/],
    ];
    for (const [q, detail] of refused) {
      const r = await get(`/api/v1/documents?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body).toMatchObject({ status: 400, schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
      expect(r.body.detail).toMatch(detail);
    }
    for (const param of ['userId', 'include'])
      expect((await get(`/api/unstable/documents?${param}=${user}`)).body.detail).toBe(
        `Unrecognized key(s) in object: '${param}'`,
      );
    // A personal access token stands for its own user; each user has favorites and shares of their own.
    const pat = await get('/api/v1/documents?include=onlySharedWithMe&pageSize=100', 'omni-pat');
    expect(pat.status).toBe(200);
    const mine = sim.org.users[0]?.id as string;
    expect(pat.body.records).toHaveLength(
      sim.expected('v1', { include: 'onlySharedWithMe', userId: mine, pageSize: '100' }).length,
    );
    const favorites = (u: string) =>
      sim.expected('v1', { include: 'onlyFavorites', userId: u }).map((d) => d.identifier);
    expect(favorites(user).length).toBeGreaterThan(0);
    expect(favorites(user)).not.toEqual(favorites(mine));
  });

  it('answers labels as objects on unstable and as strings or objects on v1', async () => {
    sim = await startOmniSimulator({ documents: 200 });
    const shapes = async (path: string) => {
      const { body } = await get(`/api/${path}/documents?pageSize=100&sortField=name&sortDirection=asc`);
      return new Set(
        (body.records as Array<{ labels: unknown[] }>).flatMap((r) => r.labels.map((l) => typeof l)),
      );
    };
    expect([...(await shapes('unstable'))]).toEqual(['object']);
    expect([...(await shapes('v1'))].sort()).toEqual(['object', 'string']);
  });

  it('refuses bad parameters with SCIM bodies, and an unknown creator with 404', async () => {
    sim = await startOmniSimulator({ documents: 50 });
    const cases: Array<[string, number, RegExp]> = [
      ['/api/unstable/documents?folderId=x', 400, /Unrecognized key\(s\) in object: 'folderId'/],
      ['/api/v1/documents?pageSize=101', 400, /pageSize/],
      ['/api/v1/documents?sortField=popularity', 400, /sortField: Invalid enum value/],
      ['/api/v1/documents?creatorId=abc', 400, /creatorId: Invalid uuid/],
      [
        '/api/v1/documents?creatorId=0b9c3f0e-1234-4abc-8def-0123456789ab',
        404,
        /User with id 0b9c3f0e-1234-4abc-8def-0123456789ab does not exist/,
      ],
      ['/api/v1/documents?sortField=visits&cursor=abc', 400, /cursor/],
    ];
    for (const [path, status, detail] of cases) {
      const r = await get(path);
      expect(r.status, path).toBe(status);
      expect(r.body).toMatchObject({ status, schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
      expect(r.body.detail).toMatch(detail);
    }
    expect((await get('/api/v1/documents', 'wrong')).status).toBe(401);
  });

  it('answers 429 past 60 requests in a minute per key, and again after the minute', async () => {
    const clock = new FakeClock();
    sim = await startOmniSimulator({ documents: 10, clock });
    for (let i = 0; i < 60; i++) expect((await get('/api/v1/documents')).status).toBe(200);
    const refused = await get('/api/v1/documents');
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toBe('Too many requests');
    await clock.advance(60_001);
    expect((await get('/api/v1/documents')).status).toBe(200);
    expect(sim.busiestMinute()).toBe(61);
  });

  it('lists users in SCIM pages', async () => {
    sim = await startOmniSimulator({ documents: 10, users: 150 });
    const first = await get('/api/scim/v2/users?startIndex=1&count=100');
    const second = await get('/api/scim/v2/users?startIndex=101&count=100');
    expect(first.body.totalResults).toBe(150);
    expect((first.body.Resources as unknown[]).length + (second.body.Resources as unknown[]).length).toBe(
      150,
    );
  });
});
