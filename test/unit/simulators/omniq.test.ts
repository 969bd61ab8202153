import http from 'node:http';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXTERNAL_REF_BASE,
  generateOmniqRecords,
  OMNIQ_LATE_KEY_FROM,
  parseJson,
  startOmniqSimulator,
  type OmniqSimulator,
  type Row,
} from '../../simulators/omniq.ts';
import { call, type CallOptions } from './http-client.ts';

const TENANT = { 'x-tenant-id': 'ACME-TENANT01' };

interface Page {
  results: Array<{ document: Row }>;
  total: { value: number; relation: string };
  count: number;
  pagination: { from: number; size: number; hasMore: boolean };
}

async function getPage(sim: OmniqSimulator, body: unknown, opts: CallOptions = {}): Promise<Page> {
  const res = await call(sim.url, { headers: TENANT, body, ...opts });
  expect(res.status, res.text).toBe(200);
  return parseJson(res.text) as Page;
}

const docs = (page: Page): Row[] => page.results.map((r) => r.document);

describe('OmniQ simulator: data and paging', () => {
  let sim: OmniqSimulator;
  beforeAll(async () => {
    sim = await startOmniqSimulator({ counts: { communications: 25_000, agents: 250 } });
  });
  afterAll(() => sim.close());

  it('answers a GET with a JSON body with the first 10 records by default', async () => {
    const page = await getPage(sim, { index: 'agents' });
    expect(page.count).toBe(10);
    expect(page.total).toEqual({ value: 250, relation: 'eq' });
    expect(page.pagination).toEqual({ from: 0, size: 10, hasMore: true });
    expect(docs(page)).toEqual(sim.records('agents').slice(0, 10));
  });

  it('pages with from/size through exactly the full data set, ending with hasMore=false', async () => {
    const all: Row[] = [];
    let last: Page | undefined;
    for (let from = 0; !last || last.pagination.hasMore; from += 100) {
      last = await getPage(sim, { index: 'agents', from, size: 100 });
      all.push(...docs(last));
    }
    expect(last.count).toBe(50);
    expect(all).toEqual(sim.records('agents'));
  });

  it('orders records by createdAt then _id, spread over 2025', () => {
    const rows = sim.records('communications');
    const keys = rows.map((r) => `${r.createdAt as string}|${r._id as string}`);
    const outOfOrder = keys.findIndex((key, i) => i > 0 && (keys[i - 1] as string) >= key);
    expect(outOfOrder).toBe(-1);
    expect((rows[0]?.createdAt as string) >= '2025-01-01T00:00:00.000Z').toBe(true);
    expect((rows.at(-1)?.createdAt as string) <= '2025-12-31T23:59:59.999Z').toBe(true);
    const months = new Set(rows.map((r) => (r.createdAt as string).slice(0, 7)));
    expect(months.size).toBe(12);
  });

  it('caps total at 10,000 with relation gte, and says hasMore at the window edge', async () => {
    const page = await getPage(sim, { index: 'communications', from: 9_900, size: 100 });
    expect(page.total).toEqual({ value: 10_000, relation: 'gte' });
    expect(page.pagination.hasMore).toBe(true);
    expect(docs(page)).toEqual(sim.records('communications').slice(9_900, 10_000));
  });

  it('refuses from + size beyond the result window like Elasticsearch', async () => {
    const res = await call(sim.url, {
      headers: TENANT,
      body: { index: 'communications', from: 9_990, size: 11 },
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({
      error: 'Result window is too large, from + size must be less than or equal to: [10000]',
    });
  });

  it('filters on exact values of top-level and dotted fields', async () => {
    const rows = sim.records('agents');
    const cases: Array<[string, unknown]> = [
      ['campaign', 'Soporte técnico'],
      ['isNewClient', true],
      ['__v', 0],
      ['botModule', null],
      ['workflow.attrs.contact.firstName', '😀 Sam'],
    ];
    for (const [field, value] of cases) {
      const expected = rows.filter(
        (r) => field.split('.').reduce<unknown>((o, k) => (o as Row)[k], r) === value,
      );
      expect(expected.length, field).toBeGreaterThan(0);
      const page = await getPage(sim, { index: 'agents', filterBy: { [field]: value }, size: 250 });
      expect(docs(page), field).toEqual(expected);
      expect(page.total.value).toBe(expected.length);
    }
  });

  it('matches an exact createdAt by instant and a {from,to} range inclusively', async () => {
    const rows = sim.records('agents');
    const target = rows[40] as Row;
    const exact = await getPage(sim, { index: 'agents', filterBy: { createdAt: target.createdAt } });
    expect(docs(exact).map((d) => d._id)).toContain(target._id);
    expect(docs(exact).every((d) => d.createdAt === target.createdAt)).toBe(true);

    const [from, to] = [rows[10]?.createdAt as string, rows[30]?.createdAt as string];
    const range = await getPage(sim, { index: 'agents', filterBy: { createdAt: { from, to } }, size: 100 });
    expect(docs(range)).toEqual(
      rows.filter((r) => (r.createdAt as string) >= from && (r.createdAt as string) <= to),
    );
    expect(docs(range)[0]?.createdAt).toBe(from);
    expect(docs(range).at(-1)?.createdAt).toBe(to);
  });

  it('matches a big integer filter exactly and returns nothing for unknown fields', async () => {
    const ref = `${EXTERNAL_REF_BASE + 7n * 5n}`;
    const res = await call(sim.url, {
      headers: TENANT,
      body: `{"index":"agents","filterBy":{"externalRef":${ref}}}`,
    });
    expect((parseJson(res.text) as Page).results.map((r) => r.document)).toEqual([sim.records('agents')[5]]);

    const none = await getPage(sim, { index: 'agents', filterBy: { FIELD: 'TEXT' } });
    expect(none).toMatchObject({
      count: 0,
      total: { value: 0, relation: 'eq' },
      pagination: { hasMore: false },
    });
  });

  it('writes integers beyond 2^53 raw in the response text', async () => {
    const res = await call(sim.url, { headers: TENANT, body: { index: 'agents', size: 3 } });
    expect(res.text).toContain('"externalRef":9007199254740993}');
    expect(res.text).toContain('"externalRef":9007199254741007}');
    expect(res.text).not.toContain('"9007199254740993"');
  });

  it('logs each request with its parsed body and status', async () => {
    const before = sim.requests.length;
    await call(sim.url, { headers: TENANT, body: { index: 'agents', size: 1 } });
    expect(sim.requests.slice(before)).toEqual([
      expect.objectContaining({
        method: 'GET',
        headers: expect.objectContaining(TENANT),
        body: { index: 'agents', size: 1 },
        status: 200,
      }),
    ]);
  });

  it('accepts a GET body sent with undici.request', async () => {
    const res = await request(`${sim.url}/getmydata`, {
      method: 'GET',
      headers: { ...TENANT, 'content-type': 'application/json' },
      body: JSON.stringify({ index: 'agents', size: 2 }),
    });
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as Page).count).toBe(2);
  });
});

describe('OmniQ simulator: requests it refuses', () => {
  let sim: OmniqSimulator;
  beforeAll(async () => {
    sim = await startOmniqSimulator({ apiKey: 'k-123', tenants: ['ACME-TENANT01', 'OTHER-02'] });
  });
  afterAll(() => sim.close());
  const auth = { ...TENANT, authorization: 'Bearer k-123' };

  it.each([
    ['no index', {}, 'index'],
    ['an unknown index', { index: 'campaigns' }, 'index'],
    ['a negative size', { index: 'agents', size: -1 }, 'size'],
    ['a fractional from', { index: 'agents', from: 1.5 }, 'from'],
    ['a non-object filterBy', { index: 'agents', filterBy: 'x' }, 'filterBy'],
    ['a bad createdAt', { index: 'agents', filterBy: { createdAt: 'yesterday' } }, 'filterBy.createdAt'],
  ])('answers 400 naming the field for %s', async (_name, body, field) => {
    const res = await call(sim.url, { headers: auth, body });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ field });
  });

  it('answers 400 to a body that is not JSON, 405 to other methods and 404 elsewhere', async () => {
    expect((await call(sim.url, { headers: auth, body: '{"index":' })).status).toBe(400);
    const post = await call(sim.url, { method: 'POST', headers: auth, body: { index: 'agents' } });
    expect([post.status, post.headers?.allow]).toEqual([405, 'GET']);
    expect(
      (await call(sim.url, { path: '/getmydata2', headers: auth, body: { index: 'agents' } })).status,
    ).toBe(404);
  });

  it('does not see a GET body that node:http sent without Content-Length', async () => {
    const before = sim.requests.length;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = http.request(
        `${sim.url}/getmydata`,
        { method: 'GET', agent: false, headers: auth },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ index: 'agents' }));
    });
    expect(status).toBe(400);
    expect(sim.requests[before]).toMatchObject({ body: undefined, status: 400 });
  });

  it('requires the bearer key when one is configured', async () => {
    for (const authorization of [undefined, 'Bearer wrong', 'k-123']) {
      const headers = authorization ? { ...TENANT, authorization } : TENANT;
      const res = await call(sim.url, { headers, body: { index: 'agents' } });
      expect([res.status, JSON.parse(res.text)]).toEqual([401, { error: 'Unauthorized' }]);
    }
    expect((await call(sim.url, { headers: auth, body: { index: 'agents' } })).status).toBe(200);
  });

  it('needs a known x-tenant-id and serves each tenant its own data', async () => {
    const missing = await call(sim.url, {
      headers: { authorization: 'Bearer k-123' },
      body: { index: 'agents' },
    });
    expect(missing.status).toBe(400);
    const unknown = await call(sim.url, {
      headers: { ...auth, 'x-tenant-id': 'NOPE' },
      body: { index: 'agents' },
    });
    expect(unknown.status).toBe(401);
    const other = await getPage(
      sim,
      { index: 'agents', size: 5 },
      { headers: { ...auth, 'x-tenant-id': 'OTHER-02' } },
    );
    expect(docs(other)).toEqual(sim.records('agents', 'OTHER-02').slice(0, 5));
    expect(docs(other).every((d) => d.tenantId === 'OTHER-02')).toBe(true);
  });
});

describe('OmniQ simulator: options', () => {
  it('serves the bare array form and bare documents when asked', async () => {
    const sim = await startOmniqSimulator({ shape: 'array', wrapDocument: false, resultWindow: null });
    try {
      const res = await call(sim.url, { headers: TENANT, body: { index: 'users', from: 240, size: 5 } });
      expect(parseJson(res.text)).toEqual(sim.records('users').slice(240, 245));
      const far = await call(sim.url, { headers: TENANT, body: { index: 'users', from: 20_000, size: 10 } });
      expect([far.status, far.text]).toEqual([200, '[]']);
    } finally {
      await sim.close();
    }
  });
});

describe('generateOmniqRecords', () => {
  it('is deterministic for a seed, tenant and index, and differs across seeds', () => {
    const a = generateOmniqRecords('reports', 300, 7, 'T1');
    expect(generateOmniqRecords('reports', 300, 7, 'T1')).toEqual(a);
    expect(generateOmniqRecords('reports', 300, 8, 'T1')).not.toEqual(a);
    expect(new Set(a.map((r) => r._id)).size).toBe(300);
  });

  it('includes hostile, unicode, sparse and late-appearing values', () => {
    const rows = generateOmniqRecords('communications', OMNIQ_LATE_KEY_FROM + 500, 1, 'T1');
    const contacts = rows.map((r) => (r.workflow as { attrs: { contact: Row } }).attrs.contact);
    const questions = new Set(contacts.map((c) => c.question));
    for (const q of [
      '=HYPERLINK("http://x","y")',
      '+1 more question',
      '-2+3',
      '@SUM(1)',
      'Line one\nLine two',
    ]) {
      expect(questions).toContain(q);
    }
    expect(contacts.some((c) => /\p{Extended_Pictographic}/u.test(c.firstName as string))).toBe(true);
    expect(contacts.some((c) => /\p{Script=Han}/u.test(c.firstName as string))).toBe(true);
    expect(contacts.every((c) => /^\+1555\d{7}$/.test(c.number1 as string))).toBe(true);
    expect(rows.some((r) => !('botModule' in r))).toBe(true);
    expect(contacts.some((c) => !('email' in c))).toBe(true);
    const firstCompany = contacts.findIndex((c) => 'company' in c);
    expect(firstCompany).toBeGreaterThanOrEqual(OMNIQ_LATE_KEY_FROM);
    expect(rows.every((r, i) => r.externalRef === EXTERNAL_REF_BASE + 7n * BigInt(i))).toBe(true);
  });
});
