/**
 * Export Desk's path for gzip shards on an SFTP server (IntelePeer-style), the IntelePeer provider's own
 * code: SftpFiles (host key pinned on first use, requests in flight, resume after drops) read by
 * readShards, which fetches the next shard over a second connection while it gunzips each shard into the spool as bytes (every shard's header must match the
 * first's, kept once), then the save the app makes (saveSpool) as one CSV with the default options.
 */
import path from 'node:path';
import { saveSpool } from '../../electron/export/save.ts';
import { SpoolReader, SpoolWriter } from '../../electron/export/spool.ts';
import { systemClock } from '../../electron/base/clock.ts';
import { readShards } from '../../electron/providers/intelepeer/download.ts';
import { SftpFiles } from '../../electron/providers/intelepeer/sftp.ts';
import { OutputOptionsSchema } from '../../shared/output.ts';
import { processStats, readInput, sendResult } from './protocol.ts';

export interface SftpInput {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  remoteDir: string;
  names: string[];
  workDir: string;
  out: string;
}

const input = readInput<SftpInput>();
const signal = new AbortController().signal;
const started = performance.now();
/** CPU spent before the measured part (loading the code), left out of the split below. */
const startCpuMs = processStats().cpuMs;
const sftpFiles = (s: AbortSignal): SftpFiles =>
  new SftpFiles(
    {
      host: input.host,
      port: input.port,
      username: input.username,
      privateKey: input.privateKey,
      baseDir: input.remoteDir,
      trustedKey: '',
      dataDir: input.workDir,
    },
    systemClock,
    s,
  );
const files = sftpFiles(signal);
const spool = path.join(input.workDir, 'spool');
const writer = await SpoolWriter.create(spool);
try {
  await readShards({
    files,
    paths: input.names,
    signal,
    appendCsv: (source, opts) => writer.appendCsv(source, { ...opts, signal }),
    onShard: () => undefined,
    prefetch: { open: sftpFiles, dir: path.join(input.workDir, 'work', 'sftp') },
  });
} finally {
  await files.close();
}
await writer.close();
const fetchMs = performance.now() - started;
const fetchCpuMs = processStats().cpuMs - startCpuMs;
const reader = await SpoolReader.open(spool);
const saved = await saveSpool(reader, input.out, OutputOptionsSchema.parse({ format: 'csv' }));
await reader.close();
const totalMs = performance.now() - started;
// The split: download and spool (SFTP, gunzip, the scan), then the save; CPU of each part alongside.
sendResult({
  rows: saved.rows,
  totalMs,
  fetchMs,
  saveMs: totalMs - fetchMs,
  fetchCpuMs,
  saveCpuMs: processStats().cpuMs - startCpuMs - fetchCpuMs,
  ...processStats(),
});
