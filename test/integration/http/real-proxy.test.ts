/**
 * Every provider's export behind a real HTTP proxy (tinyproxy): with the proxy set in the settings, every
 * connection to the vendor, sign-in and file downloads included, is a tunnel the proxy's log shows, and
 * the file is the same as without a proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../faults/adapters/index.ts';
import { runCell } from '../../faults/run-cell.ts';
import { startTinyproxy, type Tinyproxy } from './tinyproxy.ts';

let tinyproxy: Tinyproxy;
beforeAll(async () => {
  tinyproxy = await startTinyproxy();
});
afterAll(async () => {
  await tinyproxy.stop();
});

describe.each(ADAPTERS)('$id behind tinyproxy', (adapter) => {
  it('sends every vendor call through the proxy and writes the same file', async () => {
    const before = tinyproxy.requests().length;
    const cell = await runCell(adapter, undefined, async (app) => {
      await app.setSettings({ proxyUrl: tinyproxy.url });
    });
    expect(cell.verdict, cell.detail).toBe('recovered');
    const tunnels = tinyproxy.requests().slice(before);
    // One tunnel per connection the vendor's side accepted: none arrived any other way.
    expect(tunnels.length).toBeGreaterThan(0);
    expect(tunnels.every((t) => t.startsWith('CONNECT 127.0.0.1:'))).toBe(true);
    expect(cell.traffic?.connections).toBe(tunnels.length);
    // Sign-in and downloads are vendor calls like the others.
    if (adapter.id === 'cxone') {
      const paths = cell.traffic?.paths ?? [];
      expect(paths.some((p) => p.startsWith('/authentication/'))).toBe(true);
      expect(paths.some((p) => p.startsWith('/s3/'))).toBe(true);
    }
  });
});
