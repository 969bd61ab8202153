/** OmniQ under faults: 250 agents in three pages of 100; each fault lands on the second page. */
import { startOmniqSimulator } from '../../simulators/omniq.ts';
import { expectedCsv } from '../../helpers/expected-output.ts';
import type { ProxiedRequest } from '../fault-proxy.ts';
import { DAMAGED_ANSWERS, type ProviderAdapter } from '../types.ts';
import { hostileJsonFaults } from './hostile-faults.ts';

const YEAR = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };

/** `connections add` arguments for an OmniQ connection at `url`, 100 records a page. */
export const omniqConnectionArgs = (url: string): string[] => [
  '--provider',
  'omniq',
  '--base-url',
  url,
  '--set',
  'tenantId=ACME-TENANT01',
  '--set',
  'pageSize=100',
];

export const omniqAdapter: ProviderAdapter = {
  id: 'omniq',
  vendor: 'OmniQ',
  notApplicable: ['truncated-file', 'expired-link', 'sftp-drop'],
  mustRecover: DAMAGED_ANSWERS,
  async start({ proxy }) {
    const sim = await startOmniqSimulator({ counts: { agents: 250 } });
    proxy.setTarget(sim.url);
    const isPage = (r: ProxiedRequest) => r.path.startsWith('/getmydata');
    // The second page or later: the export is under way, with rows already in the spool.
    const page2 = (r: ProxiedRequest) => isPage(r) && proxy.seen.filter(isPage).length >= 2;
    return {
      connectionArgs: omniqConnectionArgs(proxy.url),
      query: { index: 'agents', filterBy: { createdAt: YEAR } },
      expected: () => expectedCsv(sim.records('agents'), { guard: false }),
      faults: {
        refused: () => proxy.inject(page2, { kind: 'refuse', forMs: 3_000 }),
        reset: () => proxy.inject(page2, { kind: 'reset-mid-body' }),
        timeout: () => proxy.inject(page2, { kind: 'hang' }),
        '429-seconds': () => proxy.inject(page2, { kind: 'status', status: 429, retryAfter: 2 }),
        '429-date': () => proxy.inject(page2, { kind: 'status', status: 429, retryAfter: 'http-date' }),
        '429-none': () => proxy.inject(page2, { kind: 'status', status: 429 }),
        '5xx-burst': () =>
          proxy.inject(
            page2,
            { kind: 'status', status: 500 },
            { kind: 'status', status: 502 },
            { kind: 'status', status: 503 },
          ),
        // OmniQ keys do not expire or refresh: a 401 mid-export means the key was revoked.
        '401': () => proxy.inject(page2, { kind: 'status', status: 401, body: '{"error":"Unauthorized"}' }),
        'malformed-json': () => proxy.inject(page2, { kind: 'malformed' }),
        'truncated-json': () => proxy.inject(page2, { kind: 'truncated' }),
        trickle: () => proxy.inject(page2, { kind: 'trickle', chunks: 10, delayMs: 40 }),
        ...hostileJsonFaults(proxy, page2),
      },
      // OmniQ documents no rate limit.
      violations: () => 0,
      close: () => sim.close(),
    };
  },
};
