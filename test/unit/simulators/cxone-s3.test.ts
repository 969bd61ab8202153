import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { CSV_BOM, startCxoneSimulator, type CxoneSimulator } from '../../simulators/cxone.ts';
import { call } from './http-client.ts';

const QUERY = { entityName: 'qm-workflows', version: '1', startDate: '2025-05-22', endDate: '2025-06-30' };

let sim: CxoneSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Runs a job to SUCCEEDED and returns the link from its status call, issued at `clock.now()`. */
async function succeededLink(): Promise<{
  sim: CxoneSimulator;
  clock: FakeClock;
  link: URL;
  fresh: () => Promise<URL>;
}> {
  const clock = new FakeClock();
  const s = await startCxoneSimulator({ clock, jobRunMs: 30_000 });
  sim = s;
  const token = await call(s.authUrl, {
    method: 'POST',
    path: '/authentication/v1/token/access-key',
    body: { accessKeyId: 'AK-DEMO', accessKeySecret: 'demo-secret' },
  });
  const headers = {
    authorization: `Bearer ${(JSON.parse(token.text) as { access_token: string }).access_token}`,
  };
  const id = JSON.parse(
    (await call(s.apiUrl, { method: 'POST', path: '/jobs', headers, body: QUERY })).text,
  ) as string;
  const fresh = async (): Promise<URL> => {
    await clock.advance(30_000);
    const status = await call(s.apiUrl, { path: `/jobs/${id}`, headers });
    const body = JSON.parse(status.text) as { jobStatus: { status: string; result: { url: string } } };
    expect(body.jobStatus.status).toBe('SUCCEEDED');
    return new URL(body.jobStatus.result.url);
  };
  return { sim: s, clock, link: await fresh(), fresh };
}

const download = (link: URL, headers: Record<string, string> = {}) =>
  call(link.origin, { path: link.pathname + link.search, headers });

describe('CXone simulator: pre-signed download links', () => {
  it('serves the job file as text/csv, BOM first, exactly the expected CSV, in several chunks', async () => {
    const { sim, link } = await succeededLink();
    const res = await download(link);
    expect(res.status).toBe(200);
    expect(res.headers?.['content-type']).toBe('text/csv');
    expect(res.text.startsWith(CSV_BOM)).toBe(true);
    expect(res.text).toBe(sim.expectedCsv(QUERY.entityName, QUERY.version, QUERY.startDate, QUERY.endDate));
    expect(res.chunks).toBeGreaterThan(1);
    expect(sim.downloads.map((d) => d.status)).toEqual([200]);
    // Downloads are not Data Extraction calls: they do not count for the tenant.
    expect(sim.calls.map((c) => c.method)).toEqual(['POST', 'GET']);
  });

  it('works until 29.999 s after the status call that issued it, then answers 403 Request has expired', async () => {
    const { clock, link } = await succeededLink();
    await clock.advance(29_999);
    expect((await download(link)).status).toBe(200);
    await clock.advance(1);
    const expired = await download(link);
    expect(expired.status).toBe(403);
    expect(expired.headers?.['content-type']).toBe('application/xml');
    expect(expired.text).toContain('<Code>AccessDenied</Code>');
    expect(expired.text).toContain('<Message>Request has expired</Message>');
  });

  it('hands out a fresh link on each status call, each with its own 30 s', async () => {
    const { clock, link, fresh } = await succeededLink();
    const second = await fresh();
    expect(second.toString()).not.toBe(link.toString());
    expect((await download(link)).status).toBe(403);
    await clock.advance(29_000);
    expect((await download(second)).status).toBe(200);
  });

  it('refuses a request that carries an Authorization header with 400 InvalidArgument', async () => {
    const { link } = await succeededLink();
    const res = await download(link, { authorization: 'Bearer secret-token-value' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidArgument</Code>');
    expect(res.text).toContain('Only one auth mechanism allowed');
    expect(res.text).not.toContain('secret-token-value');
  });

  it('refuses a link whose signature was tampered with', async () => {
    const { link } = await succeededLink();
    link.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    const res = await download(link);
    expect([res.status, res.text.includes('SignatureDoesNotMatch')]).toEqual([403, true]);
  });
});
