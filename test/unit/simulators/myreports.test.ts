import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.ts';
import {
  startMyreportsSimulator,
  WORKSPACES,
  type MyreportsSimulator,
  type MyreportsSimulatorOptions,
} from '../../simulators/myreports.ts';

let clock: FakeClock;
let sim: MyreportsSimulator;
beforeEach(async () => {
  clock = new FakeClock();
  sim = await startMyreportsSimulator({ clock, tokenLifetimeSeconds: 60, autoApprove: true });
});
afterEach(() => sim.close());

const verifier = 'v'.repeat(50);
const challenge = createHash('sha256').update(verifier).digest('base64url');
const redirect = 'http://127.0.0.1:8000';

async function code(): Promise<string> {
  const url = new URL('/connect/authorize', sim.authUrl);
  url.search = new URLSearchParams({
    client_id: 'desk-client',
    response_type: 'code',
    redirect_uri: redirect,
    scope: 'openid offline_access onboarding',
    state: 's1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const to = new URL(res.headers.get('location') ?? '');
  expect(to.searchParams.get('state')).toBe('s1');
  return to.searchParams.get('code') ?? '';
}

async function token(form: Record<string, string>) {
  const res = await fetch(new URL('/connect/token', sim.authUrl), {
    method: 'POST',
    body: new URLSearchParams({ client_id: 'desk-client', client_secret: 'desk-secret', ...form }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('Xarios sign-in simulator', () => {
  it('checks the PKCE verifier and the redirect, and takes a code once', async () => {
    const c = await code();
    const wrong = await token({
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: redirect,
      code_verifier: 'w'.repeat(50),
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // A refused code is used up too.
    const c2 = await code();
    const ok = await token({
      grant_type: 'authorization_code',
      code: c2,
      redirect_uri: redirect,
      code_verifier: verifier,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.refresh_token).toBeTruthy();
    const again = await token({
      grant_type: 'authorization_code',
      code: c2,
      redirect_uri: redirect,
      code_verifier: verifier,
    });
    expect(again.body.error).toBe('invalid_grant');
  });

  it('refuses an authorize request without PKCE or with a non-loopback redirect', async () => {
    const bad = new URL('/connect/authorize', sim.authUrl);
    bad.search = new URLSearchParams({
      client_id: 'desk-client',
      response_type: 'code',
      redirect_uri: redirect,
    }).toString();
    expect((await fetch(bad)).status).toBe(400);
    bad.searchParams.set('code_challenge', challenge);
    bad.searchParams.set('code_challenge_method', 'S256');
    bad.searchParams.set('redirect_uri', 'https://evil.example/cb');
    expect((await fetch(bad)).status).toBe(400);
  });

  it('rotates refresh tokens, expires access tokens on its clock, and answers 401 then', async () => {
    const { accessToken, refreshToken } = sim.issueTokens();
    const api = (t: string) =>
      fetch(new URL('/api/v1.0/workspaces', sim.apiUrl), { headers: { authorization: `Bearer ${t}` } });
    expect((await api(accessToken)).status).toBe(200);
    await clock.advance(61_000);
    expect((await api(accessToken)).status).toBe(401);
    const next = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(refreshToken);
    expect((await api(next.body.access_token ?? '')).status).toBe(200);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(reused.body.error).toBe('invalid_grant');
  });
});

describe('Xarios reporting simulator', () => {
  const REPORT = '00000000-0000-0000-0000-000000000001';
  const reportPath = `/api/v1.0/workspaces/${WORKSPACES[0].id}/reports/${REPORT}`;

  async function started(
    opts: MyreportsSimulatorOptions,
    body: Record<string, unknown> = { reportId: REPORT, dateFilter: { presetName: 'ThisMonth' } },
  ) {
    await sim.close();
    sim = await startMyreportsSimulator({ clock, requestRunMs: 10_000, ...opts });
    const { accessToken } = sim.issueTokens();
    const get = async (path: string) => {
      const res = await fetch(new URL(path, sim.apiUrl), {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown> } };
    };
    const posted = await fetch(new URL(`${reportPath}/requests`, sim.apiUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await posted.json()) as { data: { requestId: string } | null; message: string | null };
    return { get, id: answer.data?.requestId ?? '', status: posted.status, message: answer.message };
  }

  interface Results {
    data: Record<string, unknown>[];
    totalCount: number;
    summary: Record<string, number>[];
    request: { filterConditions: unknown[] };
  }

  async function results(body: Record<string, unknown>, opts: MyreportsSimulatorOptions = {}) {
    const { get, id, status, message } = await started(opts, { reportId: REPORT, ...body });
    expect(status, message ?? '').toBe(200);
    await clock.advance(10_000);
    const res = await get(`${reportPath}/requests/${id}/data`);
    expect(res.status).toBe(200);
    return res.body as unknown as Results;
  }

  it('puts the rows of a preset in its period, in the tenant’s time zone at the time of the request', async () => {
    // 10:00 UTC is 11:00 in London (BST): yesterday there is 14 June, midnight to midnight at +01:00.
    clock = new FakeClock(Date.UTC(2025, 5, 15, 10, 0, 0));
    const r = await results({ dateFilter: { presetName: 'Yesterday' } }, { callRows: 120 });
    expect(r.data).toHaveLength(120);
    const starts = r.data.map((row) => String(row.start));
    expect(starts.every((s) => s >= '2025-06-14T00:00:00' && s < '2025-06-15T00:00:00')).toBe(true);
    expect(r.request.filterConditions.slice(0, 2)).toEqual([
      { fieldName: 'start', operator: '>=', values: ['2025-06-14T00:00:00.0000000+01:00'] },
      { fieldName: 'end', operator: '<', values: ['2025-06-15T00:00:00.0000000+01:00'] },
    ]);
    // "This month" runs from the 1st to the moment of the request, local time (10 s on: the first ran).
    const month = await results({ dateFilter: { presetName: 'ThisMonth' } }, { callRows: 120 });
    expect(month.request.filterConditions.slice(0, 2)).toEqual([
      { fieldName: 'start', operator: '>=', values: ['2025-06-01T00:00:00.0000000+01:00'] },
      { fieldName: 'end', operator: '<', values: ['2025-06-15T11:00:10.0000000+01:00'] },
    ]);
    expect(String(month.data[0]?.start)).toBe('2025-06-01T00:00:00');
  });

  it('spreads the rows of a short fixed range over it, written in the tenant’s local time', async () => {
    clock = new FakeClock(Date.UTC(2025, 5, 15, 10, 0, 0));
    // 08:00–09:00 UTC is 09:00–10:00 in London; 120 rows in an hour come 30 s apart.
    const r = await results(
      { dateFilter: { start: '2025-06-01T08:00:00Z', end: '2025-06-01T10:00:00+01:00' } },
      { callRows: 120 },
    );
    expect(r.data.map((row) => row.start).slice(0, 3)).toEqual([
      '2025-06-01T09:00:00',
      '2025-06-01T09:00:30',
      '2025-06-01T09:01:00',
    ]);
    expect(r.data.at(-1)?.start).toBe('2025-06-01T09:59:30');
  });

  it('keeps only the rows that meet additionalConditions, and counts and totals those', async () => {
    const all = await results({ dateFilter: { presetName: 'LastMonth' } }, { callRows: 120 });
    const r = await results(
      {
        dateFilter: { presetName: 'LastMonth' },
        additionalConditions: [
          { fieldName: 'userName', operator: '=', values: ['Test User 3', 'Test User 4'] },
          { fieldName: 'duration', operator: '>=', values: [300] },
        ],
      },
      { callRows: 120 },
    );
    const expected = all.data.filter(
      (row) => ['Test User 3', 'Test User 4'].includes(String(row.userName)) && Number(row.duration) >= 300,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(120);
    expect(r.data).toEqual(expected);
    expect(r.totalCount).toBe(expected.length);
    expect(r.summary[0]?.duration).toBe(expected.reduce((sum, row) => sum + Number(row.duration), 0));
    expect(r.request.filterConditions.slice(2)).toEqual([
      { fieldName: 'userName', operator: '=', values: ['Test User 3', 'Test User 4'] },
      { fieldName: 'duration', operator: '>=', values: [300] },
    ]);
    // A field the report leaves out of a row meets no condition but "!=".
    const noAns = await results(
      {
        dateFilter: { presetName: 'LastMonth' },
        additionalConditions: [{ fieldName: 'ans', operator: '!=', values: [1] }],
      },
      { callRows: 120 },
    );
    expect(noAns.data).toEqual(all.data.filter((row) => row.ans === undefined));
  });

  it('refuses a request whose preset, field or operator it does not know, saying which', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const r = await started({}, { reportId: REPORT, ...body });
      return { status: r.status, message: r.message };
    };
    expect(await bad({ dateFilter: { presetName: 'NextMonth' } })).toEqual({
      status: 400,
      message: 'Unknown date preset "NextMonth"',
    });
    const field = await bad({
      dateFilter: { presetName: 'Today' },
      additionalConditions: [{ fieldName: 'agent', operator: '=', values: ['x'] }],
    });
    expect(field.status).toBe(400);
    expect(field.message).toMatch(
      /^additionalConditions\[0\]: unknown field "agent"; the report has connId, start/,
    );
    const op = await bad({
      dateFilter: { presetName: 'Today' },
      additionalConditions: [{ fieldName: 'userName', operator: 'like', values: ['x'] }],
    });
    expect(op).toEqual({
      status: 400,
      message: 'additionalConditions[0]: unknown operator "like"; use one of = != > >= < <=',
    });
  });

  it('sends the status a test chose while a request runs and once it is done, strings or numbers', async () => {
    const { get, id } = await started({ runningStatus: 7, completeStatus: 1 });
    expect((await get(`${reportPath}/requests/${id}`)).body.data?.status).toBe(7);
    await clock.advance(10_000);
    expect((await get(`${reportPath}/requests/${id}`)).body.data?.status).toBe(1);
    const other = await started({ runningStatus: 'AwaitingCapacity' });
    expect((await other.get(`${reportPath}/requests/${other.id}`)).body.data?.status).toBe(
      'AwaitingCapacity',
    );
    await clock.advance(10_000);
    expect((await other.get(`${reportPath}/requests/${other.id}`)).body.data?.status).toBe('Complete');
  });

  it('answers a request’s status and results on the path spelling a test chose, and on both by default', async () => {
    const statusAt = async (paths: MyreportsSimulatorOptions['requestPaths']) => {
      const { get, id } = await started(paths ? { requestPaths: paths } : {});
      await clock.advance(10_000);
      const codes = async (suffix: string) => [
        (await get(`${reportPath}/requests/${id}${suffix}`)).status,
        (await get(`${reportPath}/results/${id}${suffix}`)).status,
      ];
      return { status: await codes(''), data: await codes('/data') };
    };
    expect(await statusAt(undefined)).toEqual({ status: [200, 200], data: [200, 200] });
    expect(await statusAt('requests')).toEqual({ status: [200, 404], data: [200, 404] });
    expect(await statusAt('results')).toEqual({ status: [404, 200], data: [404, 200] });
  });
});
