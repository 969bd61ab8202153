/**
 * The least any Node.js program takes for measurement 2's download: the link's body through undici
 * straight into a file (fs.createWriteStream), fsynced, with nothing looked at, no spool and no save. It
 * shows what the runtime itself costs on this machine beside curl, against which Export Desk's own work
 * (the scan, the spool, the save) is then measured.
 */
import { open } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { processStats, readInput, sendResult } from './protocol.ts';

export interface NodeCopyInput {
  url: string;
  out: string;
}

const input = readInput<NodeCopyInput>();
const started = performance.now();
const res = await request(input.url);
if (res.statusCode !== 200) throw new Error(`The file link answered HTTP ${res.statusCode}`);
await pipeline(res.body, createWriteStream(input.out, { highWaterMark: 1024 * 1024 }));
const file = await open(input.out, 'r+');
await file.sync();
await file.close();
sendResult({ totalMs: performance.now() - started, ...processStats() });
