/**
 * IntelePeer shards over a real OpenSSH server, the next one fetched over a second connection while one
 * is appended: the fetch happens during the append, one shard ahead at most; the file is byte for byte
 * the one read shard by shard; a drop on either connection resumes; a cancel removes the staged file.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saveSpool } from '../../../electron/export/save.ts';
import { SpoolReader, SpoolWriter } from '../../../electron/export/spool.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { readShards, type ShardsOptions } from '../../../electron/providers/intelepeer/download.ts';
import { SftpFiles } from '../../../electron/providers/intelepeer/sftp.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { startSshd, type Sshd } from '../../helpers/sshd.ts';
import { startCuttingProxy, type CuttingProxy } from '../../helpers/tcp-proxy.ts';

const HEADER = 'SessionId,FlowName,Payload\r\n';
const SHARDS = 3;

let sshd: Sshd;
let root: string;
let paths: string[];
let expected: string;
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-ip-prefetch-sftp-'));
  chmodSync(root, 0o755);
  mkdirSync(path.join(root, 'reports'), { mode: 0o755 });
  // Cells that gzip cannot shrink much, so each shard is a few hundred kB on the wire.
  const bodies = Array.from({ length: SHARDS }, (_, s) =>
    Array.from(
      { length: 4000 },
      (_, i) => `S${s}-${i},"Flow, ""${s}""",${randomBytes(48).toString('hex')}\r\n`,
    ).join(''),
  );
  paths = bodies.map((body, s) => {
    const rel = `reports/q__00000000000${s}.csv.gz`;
    writeFileSync(path.join(root, rel), gzipSync(HEADER + body), { mode: 0o644 });
    return rel;
  });
  expected = HEADER + bodies.join('');
  sshd = await startSshd(root);
});
afterAll(async () => {
  await sshd?.stop();
  rmSync(root, { recursive: true, force: true });
});

let dir: string;
let work: string;
let clock: FakeClock;
let proxy: CuttingProxy | undefined;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-ip-prefetch-'));
  work = path.join(dir, 'jobs', 'j1', 'work', 'sftp');
  clock = new FakeClock(Date.UTC(2025, 6, 1));
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const sftpFiles = (signal: AbortSignal, port: number, drops: string[]): SftpFiles =>
  new SftpFiles(
    {
      host: '127.0.0.1',
      port,
      username: sshd.user,
      // The key, not the password: the password of the one SFTP user is set anew by every sshd a test
      // file starts, so files running side by side would sign each other out.
      privateKey: sshd.privateKey,
      passphrase: sshd.passphrase,
      baseDir: root,
      trustedKey: '',
      dataDir: dir,
    },
    clock,
    signal,
    (m) => drops.push(m),
  );

interface Run {
  signal?: AbortSignal;
  prefetch?: boolean;
  port?: number;
  onFetched?(index: number): void;
  append?(n: number, go: () => Promise<unknown>): Promise<void>;
}

/** readShards into a spool as the provider calls it; returns the saved CSV and the drop warnings. */
async function exportShards(r: Run = {}): Promise<{ csv: string; drops: string[] }> {
  const signal = r.signal ?? new AbortController().signal;
  const port = r.port ?? sshd.port;
  const drops: string[] = [];
  const spool = path.join(dir, `spool-${Math.random().toString(36).slice(2)}`);
  const writer = await SpoolWriter.create(spool);
  const files = sftpFiles(signal, port, drops);
  let n = 0;
  const appendCsv: ShardsOptions['appendCsv'] = async (source, opts) => {
    const i = n++;
    let result: Awaited<ReturnType<ShardsOptions['appendCsv']>> | undefined;
    const go = async () => (result = await writer.appendCsv(source, { ...opts, signal }));
    if (r.append) await r.append(i, go);
    else await go();
    return result as Awaited<ReturnType<ShardsOptions['appendCsv']>>;
  };
  try {
    await clock.drive(
      readShards({
        files,
        paths,
        signal,
        appendCsv,
        onShard: () => undefined,
        ...(r.prefetch === false
          ? {}
          : {
              prefetch: {
                open: (s) => sftpFiles(s, port, drops),
                dir: work,
                onFetched: (i) => r.onFetched?.(i),
              },
            }),
      }),
      100_000,
    );
  } finally {
    await files.close();
    await writer.close();
  }
  const reader = await SpoolReader.open(spool);
  const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}.csv`);
  await saveSpool(reader, out, OutputOptionsSchema.parse({ format: 'csv', csv: { formulaGuard: false } }));
  await reader.close();
  return { csv: readFileSync(out, 'utf8'), drops };
}

describe('IntelePeer shards fetched one ahead over a second SFTP connection', () => {
  it('fetches the next shard while one is appended, one ahead at most, with the same file as one by one', async () => {
    const events: string[] = [];
    const staged: number[] = [];
    let fetchedFirst!: () => void;
    const secondOnDisk = new Promise<void>((resolve) => (fetchedFirst = resolve));
    const { csv } = await exportShards({
      onFetched: (i) => {
        events.push(`fetched ${i}`);
        staged.push(readdirSync(work).length);
        if (i === 1) fetchedFirst();
      },
      append: async (i, go) => {
        events.push(`append ${i} start`);
        // The first shard's append waits until the second is on disk: without a fetch during the
        // append, this export would never end.
        if (i === 0) await secondOnDisk;
        await go();
        events.push(`append ${i} end`);
      },
    });
    expect(events.indexOf('fetched 1')).toBeLessThan(events.indexOf('append 0 end'));
    // One ahead: the third shard is fetched only once the second one's turn has come.
    expect(events.indexOf('fetched 2')).toBeGreaterThan(events.indexOf('append 1 start'));
    // At most the shard being appended and the one fetched next are on disk.
    expect(Math.max(...staged)).toBeLessThanOrEqual(2);
    expect(csv).toBe(expected);
    expect((await exportShards({ prefetch: false })).csv).toBe(csv);
    expect(existsSync(work)).toBe(false);
  });

  it('resumes after drops on both connections, the prefetched download included', async () => {
    proxy = await startCuttingProxy(sshd.port);
    // The first two connections (the one reading the current shard, the one fetching ahead) are cut.
    proxy.cutNextAfter(120_000);
    proxy.cutNextAfter(120_000);
    const { csv, drops } = await exportShards({ port: proxy.port });
    expect(proxy.cuts()).toBe(2);
    expect(drops.join('\n')).toContain(`of ${paths[0]};`);
    expect(drops.join('\n')).toContain(`of ${paths[1]};`);
    expect(csv).toBe(expected);
    expect(existsSync(work)).toBe(false);
  });

  it('stops both transfers on cancel and removes the staged file', async () => {
    const abort = new AbortController();
    let staged: string[] = [];
    const run = exportShards({
      signal: abort.signal,
      append: async (i, go) => {
        // The second shard's turn: it is read from its staged file while the third is being fetched.
        if (i === 1) {
          staged = readdirSync(work);
          abort.abort();
        }
        await go();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(staged).toContain('shard-1.csv.gz.part');
    expect(existsSync(work)).toBe(false);
  });
});
