/**
 * IntelePeer Insights under faults: one query (two events), its status polled until Completed, the result
 * call naming its gzip CSV shards, and the shards read over SFTP from a real OpenSSH server, through a TCP
 * proxy that can drop the link mid-file. HTTP faults land on a status poll; file faults on the shards.
 */
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { startSshd } from '../../helpers/sshd.ts';
import { startCuttingProxy } from '../../helpers/tcp-proxy.ts';
import { startIntelepeerSimulator } from '../../simulators/intelepeer.ts';
import type { ProxiedRequest } from '../fault-proxy.ts';
import { DAMAGED_ANSWERS, type ProviderAdapter } from '../types.ts';
import { pageFaults } from './http-faults.ts';
import { withLongCsvRow } from './hostile-faults.ts';

const QUERY = {
  timestamp: { $gte: '2019-11-25T00:00:00Z', $lte: '2019-11-26T00:00:00Z' },
  data: {
    ApplicationExitEvent: { fields: ['FlowId', 'SessionId', 'TimeStamp', 'ExitReason', 'FlowName'] },
    DtmfEvent: { fields: ['SessionId', 'DtmfInput', 'TransactionId', 'ActionId'] },
  },
};
/**
 * Server-to-client bytes before the SFTP link drops: past the handshake, inside the shard the connection
 * reads, whichever is cut (the first shard, 8.8 kB, on one connection; the second, 23 kB, fetched ahead
 * on the other).
 */
const CUT_AFTER = 7_000;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

export const intelepeerAdapter: ProviderAdapter = {
  id: 'intelepeer',
  vendor: 'IntelePeer Insights',
  notApplicable: ['expired-link'],
  mustRecover: DAMAGED_ANSWERS,
  async start({ proxy, clock }) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-fault-sftp-'));
    const files = mkdtempSync(path.join(root, 'files-'));
    chmodSync(files, 0o755);
    const sshd = await startSshd(root);
    const link = await startCuttingProxy(sshd.port);
    const sim = await startIntelepeerSimulator({
      clock,
      filesDir: files,
      queryRunMs: 60_000,
      rowsPerEvent: 1500,
      shards: 2,
    });
    proxy.setTarget(sim.apiUrl);
    const poll = (r: ProxiedRequest) => r.method === 'GET' && /\/dwh\/Q\/[^/]+\/status$/.test(r.path);
    const result = (r: ProxiedRequest) => r.method === 'GET' && /\/dwh\/Q\/[0-9a-f]+$/.test(r.path);
    let cutsPlanned = 0;
    let longRow = false;
    return {
      connectionArgs: [
        ...['--provider', 'intelepeer', '--set', `apiBaseUrl=${proxy.url}`, '--set', `authUrl=${proxy.url}`],
        ...['--set', 'username=api-user', '--set', 'sftpHost=127.0.0.1', '--set', `sftpPort=${link.port}`],
        ...['--set', `sftpUsername=${sshd.user}`, '--set', `sftpBaseDir=${files}`, '--secret', 'password'],
      ],
      stdin: 'api-secret\n',
      // A key rather than the password: the test user's password changes whenever an sshd starts.
      secrets: { sftpPrivateKey: sshd.privateKey, sftpPassphrase: sshd.passphrase },
      query: QUERY,
      // Each query's rows are its own (seeded by its guid).
      expected: (guid) => {
        const csv = sim.expectedCsv(guid ?? sim.guids().at(-1) ?? '');
        return longRow ? withLongCsvRow(csv) : csv;
      },
      faults: {
        ...pageFaults(proxy, poll),
        // Every token issued so far stops working while the query runs.
        '401': () => proxy.inject(poll, { kind: 'hook', run: () => sim.expireTokens() }),
        // The vendor wrote its shards, then they were cut short (a disk filled up, a copy stopped early).
        'truncated-file': () =>
          proxy.inject(result, {
            kind: 'after',
            run: () => {
              for (const f of filesUnder(files)) truncateSync(f, Math.floor(statSync(f).size / 2));
            },
          }),
        // The vendor wrote its first shard with one more row, whose first cell is 16 MB.
        'long-record': () => {
          longRow = true;
          proxy.inject(result, {
            kind: 'after',
            run: () => {
              const [first] = filesUnder(files).sort();
              if (!first) throw new Error('the vendor wrote no shard');
              const csv = gunzipSync(readFileSync(first)).toString('utf8');
              writeFileSync(first, gzipSync(withLongCsvRow(csv)));
            },
          });
        },
        'sftp-drop': () => {
          cutsPlanned++;
          link.cutNextAfter(CUT_AFTER);
        },
      },
      outside: { armed: () => cutsPlanned, fired: () => link.cuts() },
      // At most two queries running per user; the simulator answers a third with 429.
      violations: () => sim.refusals() + Math.max(0, sim.maxRunning() - 2),
      async close() {
        await sim.close();
        await link.close();
        await sshd.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  },
};
