/**
 * Bench fixtures for the file downloads: a CXone-style extraction CSV of a given size written to disk by
 * the CXone simulator's own row generator, and a loopback server streaming a file from disk behind a
 * pre-signed-style link, as the simulator's S3 stand-in does (which builds files in memory and so cannot
 * serve a gigabyte).
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { columnsOf } from '../simulators/cxone/columns.ts';
import { CSV_BOM, csvLine } from '../simulators/cxone/csv.ts';
import { rowsForDay } from '../simulators/cxone/rows.ts';

const DAY_MS = 86_400_000;

/** Writes at least `bytes` of BOM, header and rows (whole days of 2000 rows); returns the rows written. */
export async function writeExtractionCsv(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  const entity = 'recording-interaction-metadata';
  let written = 0;
  let rows = 0;
  const write = async (text: string): Promise<void> => {
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(CSV_BOM + csvLine(columnsOf(entity)));
  for (let day = Date.UTC(2024, 0, 1); written < bytes; day += DAY_MS) {
    const batch = rowsForDay(1, entity, '12', day, 2000);
    await write(batch.map(csvLine).join(''));
    rows += batch.length;
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

export interface FileServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `file` at `${url}` (by default a signed-looking S3 path); anything else is 404. */
export async function serveFile(
  file: string,
  contentType = 'text/csv',
  path = '/s3/results-bucket/data-extraction/bench.csv',
): Promise<FileServer> {
  const size = (await stat(file)).size;
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith(path)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': contentType, 'content-length': size });
    pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), res).catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}?X-Amz-Expires=30&X-Amz-Signature=bench`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Writes `shards` gzip files of extraction CSV (each with its header, as a warehouse export's shards come)
 * into `dir`, about `gzBytes` compressed in all; returns their names and the data rows in all.
 */
export async function writeGzShards(
  dir: string,
  gzBytes: number,
  shards: number,
): Promise<{ names: string[]; rows: number }> {
  const entity = 'recording-interaction-metadata';
  const names: string[] = [];
  let rows = 0;
  let day = Date.UTC(2024, 0, 1);
  for (let s = 0; s < shards; s++) {
    const name = `bench_QueryExport_1767225600000__${String(s).padStart(12, '0')}.csv.gz`;
    names.push(name);
    const file = createWriteStream(join(dir, name));
    const gzip = createGzip();
    const done = pipeline(gzip, file);
    const write = async (text: string): Promise<void> => {
      if (!gzip.write(text)) await once(gzip, 'drain');
    };
    await write(csvLine(columnsOf(entity)));
    while (file.bytesWritten < gzBytes / shards) {
      const batch = rowsForDay(1, entity, '12', day, 2000);
      day += DAY_MS;
      await write(batch.map(csvLine).join(''));
      rows += batch.length;
    }
    gzip.end();
    await done;
  }
  return { names, rows };
}
