/**
 * Export Desk's path for gzip shards on an SFTP server (IntelePeer-style): ssh2-sftp-client streams each
 * shard, zlib gunzips it, csvToRows parses it into the spool (every shard's header must match the first),
 * and the export is saved as one CSV with the default options.
 */
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import SftpClient from 'ssh2-sftp-client';
import { csvToRows } from '../../electron/export/csv-rows.ts';
import { saveSpool } from '../../electron/export/save.ts';
import { SpoolReader, SpoolWriter } from '../../electron/export/spool.ts';
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
const started = performance.now();
const sftp = new SftpClient();
await sftp.connect({
  host: input.host,
  port: input.port,
  username: input.username,
  privateKey: input.privateKey,
});
const spool = path.join(input.workDir, 'spool');
const writer = await SpoolWriter.create(spool);
let header: string[] | undefined;
for (const name of input.names) {
  const gunzip = createGunzip();
  const download = pipeline(sftp.createReadStream(`${input.remoteDir}/${name}`), gunzip);
  const parsed = await csvToRows(
    gunzip,
    (rows) => writer.append(rows),
    header ? { expectHeader: header } : {},
  );
  await download;
  header ??= parsed.columns;
}
await sftp.end();
await writer.close();
const reader = await SpoolReader.open(spool);
const saved = await saveSpool(reader, input.out, OutputOptionsSchema.parse({ format: 'csv' }));
await reader.close();
sendResult({ rows: saved.rows, totalMs: performance.now() - started, ...processStats() });
