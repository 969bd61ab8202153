/** Omni under faults: 250 documents in three pages of 100 (v1 path); each fault lands on the second page. */
import { startOmniSimulator, type SimDocument } from '../../simulators/omni.ts';
import { expectedCsv } from '../../helpers/expected-output.ts';
import type { ProxiedRequest } from '../fault-proxy.ts';
import { DAMAGED_ANSWERS, type ProviderAdapter } from '../types.ts';
import { pageFaults, secondOf } from './http-faults.ts';

const QUERY = { sortField: 'name', sortDirection: 'asc', pageSize: 100 };

/** A document as the export must write it: fixed leading columns, labels as names in one cell. */
function row(d: SimDocument, base: string): Record<string, unknown> {
  const folder = d.folder ?? { id: null, name: null, path: null, scope: null };
  return {
    identifier: d.identifier,
    name: d.name,
    type: 'document',
    scope: d.scope,
    updatedAt: d.updatedAt,
    deleted: d.deleted,
    folder: { id: folder.id, name: folder.name, path: folder.path, scope: folder.scope },
    owner: { id: d.owner.id, name: d.owner.name },
    labels: d.labels.map((l) => l.name).join('; '),
    connectionId: d.connectionId,
    hasDashboard: d.visits % 3 !== 0,
    url: `${base}/dashboards/${d.identifier}`,
  };
}

export const omniAdapter: ProviderAdapter = {
  id: 'omni',
  vendor: 'Omni',
  notApplicable: ['truncated-file', 'expired-link', 'sftp-drop'],
  mustRecover: DAMAGED_ANSWERS,
  async start({ proxy, clock }) {
    const sim = await startOmniSimulator({ clock, documents: 250 });
    proxy.setTarget(sim.url);
    const isPage = (r: ProxiedRequest) => r.path.startsWith('/api/v1/documents');
    const page2 = secondOf(proxy, isPage);
    return {
      connectionArgs: [
        '--provider',
        'omni',
        '--base-url',
        proxy.url,
        '--set',
        'apiVersion=v1',
        '--secret',
        'apiKey',
      ],
      stdin: 'omni-demo-key\n',
      query: QUERY,
      expected: () =>
        expectedCsv(
          sim.expected('v1', { sortField: 'name', sortDirection: 'asc' }).map((d) => row(d, sim.url)),
          { guard: false },
        ),
      faults: {
        ...pageFaults(proxy, page2),
        // Omni keys do not expire or refresh: a 401 mid-export means the key was revoked.
        '401': () =>
          proxy.inject(page2, {
            kind: 'status',
            status: 401,
            body: JSON.stringify({
              detail: 'Invalid API key',
              schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
              status: 401,
            }),
          }),
      },
      // The simulator answers 429 only when a key sends more than its 60 requests a minute.
      violations: () => sim.calls.filter((c) => c.status === 429).length,
      close: () => sim.close(),
    };
  },
};
