/**
 * NICE CXone under faults: one extraction job (two days), polled until it succeeds, then its file
 * downloaded from the pre-signed link. Faults land on a status poll or on the download.
 */
import { LINK_LIFETIME_SECONDS, startCxoneSimulator } from '../../simulators/cxone.ts';
import type { ProxiedRequest } from '../fault-proxy.ts';
import { DAMAGED_ANSWERS, type ProviderAdapter } from '../types.ts';
import { endlessBody, escapeSequenceError, hugeJson, withLongCsvRow } from './hostile-faults.ts';

const QUERY = { entityName: 'qm-workflows', version: '1', startDate: '2025-05-01', endDate: '2025-05-02' };

/** `connections add` arguments for a CXone connection whose addresses all point at `url`. */
export const cxoneConnectionArgs = (url: string): string[] => [
  '--provider',
  'cxone',
  '--set',
  'region=custom',
  '--set',
  `authBaseUrl=${url}`,
  '--set',
  `apiBaseUrl=${url}/data-extraction/V1`,
  '--set',
  'accessKeyId=AK-DEMO',
  '--secret',
  'accessKeySecret',
];

export const cxoneAdapter: ProviderAdapter = {
  id: 'cxone',
  vendor: 'NICE CXone',
  notApplicable: ['sftp-drop'],
  mustRecover: DAMAGED_ANSWERS,
  async start({ proxy, clock }) {
    const sim = await startCxoneSimulator({ clock, jobRunMs: 90_000, publicUrl: proxy.url });
    proxy.setTarget(sim.authUrl);
    const poll = (r: ProxiedRequest) =>
      r.method === 'GET' && /\/data-extraction\/V1\/jobs\/[^/]+$/.test(r.path);
    const download = (r: ProxiedRequest) => r.path.startsWith('/s3/');
    let longRow = false;
    return {
      connectionArgs: cxoneConnectionArgs(proxy.url),
      stdin: 'demo-secret\n',
      query: QUERY,
      // The vendor's bytes without the BOM: CSV passes through unchanged.
      expected: () => {
        const csv = sim.expectedCsv(QUERY.entityName, QUERY.version, QUERY.startDate, QUERY.endDate).slice(1);
        return longRow ? withLongCsvRow(csv) : csv;
      },
      faults: {
        // Longer than the tenant's 30 s call spacing, so the next poll really meets a closed port.
        refused: () => proxy.inject(poll, { kind: 'refuse', forMs: 45_000 }),
        reset: () => proxy.inject(poll, { kind: 'reset-mid-body' }),
        timeout: () => proxy.inject(poll, { kind: 'hang' }),
        '429-seconds': () => proxy.inject(poll, { kind: 'status', status: 429, retryAfter: 2 }),
        '429-date': () => proxy.inject(poll, { kind: 'status', status: 429, retryAfter: 'http-date' }),
        '429-none': () => proxy.inject(poll, { kind: 'status', status: 429 }),
        '5xx-burst': () =>
          proxy.inject(
            poll,
            { kind: 'status', status: 500 },
            { kind: 'status', status: 502 },
            { kind: 'status', status: 503 },
          ),
        // The vendor's own 401: every token issued so far stops working while the job runs.
        '401': () => proxy.inject(poll, { kind: 'hook', run: () => sim.expireTokens() }),
        'malformed-json': () => proxy.inject(poll, { kind: 'malformed' }),
        'truncated-json': () => proxy.inject(poll, { kind: 'truncated' }),
        'truncated-file': () => proxy.inject(download, { kind: 'truncated' }),
        // The link ages past its lifetime before the download starts; the simulator refuses it itself.
        'expired-link': () =>
          proxy.inject(download, {
            kind: 'hook',
            run: () => clock.advance((LINK_LIFETIME_SECONDS + 1) * 1000),
          }),
        trickle: () => proxy.inject(download, { kind: 'trickle', chunks: 10, delayMs: 40 }),
        'huge-page': () => proxy.inject(poll, { kind: 'rewrite', run: hugeJson }),
        'escape-sequences': () => proxy.inject(poll, escapeSequenceError()),
        'endless-body': endlessBody(proxy, download),
        // The file carries one more row, with a 16 MB first cell.
        'long-record': () => {
          longRow = true;
          proxy.inject(download, {
            kind: 'rewrite',
            run: (body) => Buffer.from(withLongCsvRow(body.toString('utf8'))),
          });
        },
      },
      violations: () => sim.violations(),
      close: () => sim.close(),
    };
  },
};
