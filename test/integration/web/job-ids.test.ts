/**
 * Export ids from the page are input like any other: over the browser-mode socket a malformed id is a
 * validation error and an unknown one says so; neither is an internal error with a stack in the log.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openClient, startHarness, type Harness, type RpcClient } from './harness.ts';

let h: Harness;
let client: RpcClient;

beforeEach(async () => {
  h = await startHarness();
  client = await openClient(h);
});
afterEach(async () => {
  client.ws.close();
  await h.close();
});

const output = { format: 'csv' };
/** Every request that names an export, with the rest of its input valid. */
const requests: [string, Record<string, unknown>][] = [
  ['jobs.get', {}],
  ['jobs.remove', {}],
  ['exports.cancel', {}],
  ['exports.retry', {}],
  ['exports.reveal', {}],
  ['preview.page', { offset: 0, limit: 10 }],
  ['exports.save', { output }],
  ['exports.prepareDownload', { output }],
  ['exports.saveSummary', { format: 'csv' }],
  ['exports.summaryFile', { format: 'csv' }],
  ['jobs.setLayout', { layout: { order: ['a'], hidden: [], widths: {} } }],
];

const log = () => (existsSync(h.app.paths.log) ? readFileSync(h.app.paths.log, 'utf8') : '');

describe('export ids over the socket', () => {
  it.each(requests)('%s: a malformed id is a validation error', async (method, rest) => {
    for (const jobId of ['../../settings', 'a/b', 'x y', '.', '\u001b[2J']) {
      const reply = await client.call(method, { jobId, ...rest });
      expect(reply.error, `${method} ${JSON.stringify(jobId)}`).toEqual({
        kind: 'validation',
        message: expect.stringContaining('export id'),
      });
    }
    expect(log()).not.toContain('failed');
  });

  it.each(requests.filter(([m]) => m !== 'jobs.remove'))(
    '%s: an unknown id says there is no such export',
    async (method, rest) => {
      const reply = await client.call(method, { jobId: '20250101T000000-deadbeef', ...rest });
      expect(reply.error).toEqual({ kind: 'user', message: 'No export with id 20250101T000000-deadbeef.' });
      expect(log()).not.toContain('failed');
    },
  );

  it('jobs.remove of an unknown id removes nothing', async () => {
    expect(await client.ok('jobs.remove', { jobId: '20250101T000000-deadbeef' })).toEqual({ removed: false });
  });
});
