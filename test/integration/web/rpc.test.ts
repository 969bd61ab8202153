import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobRecord } from '../../../shared/jobs.ts';
import { INTERNAL_ERROR_MESSAGE } from '../../../electron/app/requests.ts';
import { ExportError } from '../../../electron/jobs/errors.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import {
  finished,
  openClient,
  startHarness,
  startOmniqExport,
  type Harness,
  type RpcClient,
} from './harness.ts';

let sim: OmniqSimulator;
let h: Harness;
let client: RpcClient;

beforeAll(async () => {
  sim = await startOmniqSimulator({ counts: { communications: 3_000 } });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  h = await startHarness();
  client = await openClient(h);
});
afterEach(async () => {
  client.ws.close();
  await h.close();
});

describe('browser mode: the contract over the socket', () => {
  it('answers app.info, and lists a connection it saved', async () => {
    const info = await client.ok<{ dataDir: string; keychain: { kind: string } }>('app.info');
    expect(info.dataDir).toBe(path.join(h.dir, 'data'));
    expect(info.keychain.kind).toBe('memory');

    const saved = await client.ok<{ id: string; name: string }>('connections.save', {
      name: 'Acme',
      provider: 'omniq',
      settings: { baseUrl: sim.url, tenantId: 'ACME-TENANT01' },
    });
    const list = await client.ok<Array<{ id: string; name: string; provider: string }>>('connections.list');
    expect(list).toEqual([expect.objectContaining({ id: saved.id, name: 'Acme', provider: 'omniq' })]);
  });

  it('replies to input the contract rejects with a validation error naming the field', async () => {
    const reply = await client.call('connections.save', { name: '', provider: 'omniq', settings: {} });
    expect(reply.error).toEqual({ kind: 'validation', message: expect.stringContaining('name') });
    expect(reply.result).toBeUndefined();
    expect((await client.call('connections.list', { extra: 1 })).error?.kind).toBe('validation');
    expect((await client.call('fs.writeFile', { path: '/tmp/x' })).error).toEqual({
      kind: 'validation',
      message: 'Unknown request "fs.writeFile".',
    });
    expect(await client.ok('connections.list')).toEqual([]);
  });

  it('passes a user error through with its message', async () => {
    const reply = await client.call('connections.test', { id: 'nobody' });
    expect(reply.error?.kind).toBe('user');
    expect(reply.error?.message).toContain('No connection named "nobody"');
  });

  it('hides the details of an internal error from the page and writes them to the log', async () => {
    vi.spyOn(h.app, 'handle').mockRejectedValueOnce(new Error('EACCES /home/someone/private/file'));
    const reply = await client.call('app.info');
    expect(reply.error?.kind).toBe('internal');
    expect(reply.error?.message).not.toContain('/home/someone');
    expect(readFileSync(h.app.paths.log, 'utf8')).toContain('EACCES /home/someone/private/file');
  });

  it("maps errors as the desktop window does: a vendor's error with its hint, an internal one in the same words", async () => {
    const vendor = new ExportError({
      vendor: 'OmniQ',
      step: 'test',
      message: 'HTTP 401.',
      hint: 'Check the key.',
    });
    vi.spyOn(h.app, 'handle').mockRejectedValueOnce(vendor).mockRejectedValueOnce(new Error('boom'));
    expect((await client.call('connections.test', { id: 'x' })).error).toEqual({
      kind: 'user',
      message: 'HTTP 401. Check the key.',
    });
    expect((await client.call('app.info')).error).toEqual({
      kind: 'internal',
      message: INTERNAL_ERROR_MESSAGE,
    });
  });

  it('answers malformed frames with an error and keeps the socket open', async () => {
    await client.send('{not json');
    expect(await client.until(() => client.replies.get(null))).toMatchObject({
      id: null,
      error: { kind: 'validation', message: 'The request is not valid JSON.' },
    });
    client.replies.clear();
    await client.send(JSON.stringify({ id: 77, params: {} }));
    expect((await client.until(() => client.replies.get(77))).error?.kind).toBe('validation');
    await client.send(JSON.stringify([1, 2]));
    expect((await client.until(() => client.replies.get(null))).error?.kind).toBe('validation');
    client.replies.clear();
    await new Promise<void>((resolve, reject) =>
      client.ws.send(Buffer.from('{}'), { binary: true }, (e) => (e ? reject(e) : resolve())),
    );
    expect((await client.until(() => client.replies.get(null))).error?.message).toContain('JSON text');
    expect(await client.ok('connections.list')).toEqual([]);
  });

  it('closes a socket that sends a message over the size cap', async () => {
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
    client.ws.send(JSON.stringify({ id: 1, method: 'app.info', params: { pad: 'x'.repeat(1024 * 1024) } }));
    expect(await closed).toBe(1009);
  });

  it('streams job.updated events while an OmniQ export runs, up to its finished state', async () => {
    const job = await startOmniqExport(client, sim.url);
    const ready = await finished(client, job.id);
    expect(ready.state).toBe('ready');
    expect(ready.counters.rows).toBe(3_000);
    expect(client.events.every((e) => e.event === 'job.updated')).toBe(true);
    // Progress arrives while it runs, not only at the end.
    const states = client.events.map((e) => (e.payload as JobRecord).state);
    expect(states.filter((s) => s !== 'ready').length).toBeGreaterThan(1);

    // The server never writes to a path the page names: there is no save dialog here, so saving refuses.
    const target = path.join(h.dir, 'written.csv');
    const withPath = await client.call('exports.save', {
      jobId: job.id,
      output: { format: 'csv', path: target },
    });
    expect(withPath.error?.kind).toBe('validation');
    const plain = await client.call('exports.save', { jobId: job.id, output: { format: 'csv' } });
    expect(plain.error).toEqual({ kind: 'user', message: expect.stringContaining('desktop app') });
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(h.dir).sort()).toEqual(['data', 'static']);
  });
});
