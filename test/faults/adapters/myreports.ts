/**
 * Xarios reporting under faults: the user signed in earlier (a stored refresh token); one report request
 * of 120 calls, polled until Complete, then its rows read in one streamed answer. Faults land on that read.
 */
import { CALL_FIELDS, startMyreportsSimulator, WORKSPACES } from '../../simulators/myreports.ts';
import { expectedCsv } from '../../helpers/expected-output.ts';
import type { ProxiedRequest } from '../fault-proxy.ts';
import { DAMAGED_ANSWERS, type ProviderAdapter } from '../types.ts';
import { pageFaults } from './http-faults.ts';

const CALLS = '00000000-0000-0000-0000-000000000001';
const COLUMNS = [...CALL_FIELDS, 'docId'];

export const myreportsAdapter: ProviderAdapter = {
  id: 'myreports',
  vendor: 'Xarios',
  notApplicable: ['truncated-file', 'expired-link', 'sftp-drop'],
  // The results of a complete request can be fetched again: the rows taken from a damaged answer are
  // dropped and the whole answer is read again.
  mustRecover: DAMAGED_ANSWERS,
  async start({ proxy, clock }) {
    const sim = await startMyreportsSimulator({ clock, tokenLifetimeSeconds: 600 });
    proxy.setTarget(sim.apiUrl);
    const rows = (r: ProxiedRequest) =>
      r.method === 'GET' && /\/(requests|results)\/[^/]+\/data$/.test(r.path);
    return {
      connectionArgs: [
        ...['--provider', 'myreports', '--set', 'region=custom'],
        ...['--set', `apiBaseUrl=${proxy.url}`, '--set', `authority=${proxy.url}`],
        ...['--set', 'clientId=desk-client', '--set', 'redirectPort=0', '--secret', 'clientSecret'],
      ],
      stdin: 'desk-secret\n',
      // As if the user had signed in earlier: the refresh token sits in the secret store.
      secrets: { refreshToken: sim.issueTokens().refreshToken },
      query: { workspaceId: WORKSPACES[0].id, reportId: CALLS, dateFilter: { presetName: 'ThisMonth' } },
      // Sparse rows under the report's display fields, in order: a missing field is an empty cell. Rows fall
      // up to the moment of the request ("ThisMonth"), so two exports made a moment apart differ: each is
      // held to its own request's rows.
      expected: (requestId) =>
        expectedCsv(
          (requestId ? sim.rowsOf(requestId) : sim.lastRows()).map((row) =>
            Object.fromEntries(COLUMNS.map((c) => [c, row[c] ?? null])),
          ),
          { guard: false },
        ),
      faults: {
        ...pageFaults(proxy, rows),
        // The access token runs out while the report runs: the stored refresh token gets a new one.
        '401': () => proxy.inject(rows, { kind: 'hook', run: () => sim.expireAccessTokens() }),
      },
      // Xarios documents no rate limit.
      violations: () => 0,
      close: () => sim.close(),
    };
  },
};
