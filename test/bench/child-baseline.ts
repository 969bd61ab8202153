/**
 * The baseline: what a short hand-written script does for the same export. It pages through OmniQ with
 * Node's own `http` module (a GET with a JSON body), parses each page with JSON.parse, flattens the nested
 * records into the given columns and appends the page to a CSV file with csv-stringify, one page at a time.
 * It knows the columns up front (a script written for one known schema would), keeps nothing on disk but
 * the CSV, and does none of Export Desk's extra work: no exact big integers (JSON.parse rounds them), no
 * formula guard, no spool, no preview index, no fsync or atomic rename.
 */
import { readFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import http from 'node:http';
import { stringify } from 'csv-stringify/sync';
import { flattenToCells } from './flatten.ts';
import { processStats, readInput, sendResult } from './protocol.ts';

export interface BaselineInput {
  url: string;
  tenantId: string;
  index: string;
  pageSize: number;
  out: string;
  /** A JSON file holding the dotted column names, in order. */
  columnsFile: string;
}

interface OmniqPage {
  results: { document: Record<string, unknown> }[];
  pagination: { hasMore: boolean };
}

const input = readInput<BaselineInput>();
const columns = JSON.parse(readFileSync(input.columnsFile, 'utf8')) as string[];
const agent = new http.Agent({ keepAlive: true });
const csvOptions = { cast: { boolean: (v: boolean) => String(v) } };

function getPage(from: number): Promise<OmniqPage> {
  const body = JSON.stringify({ index: input.index, from, size: input.pageSize });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${input.url}/getmydata`,
      {
        method: 'GET',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-tenant-id': input.tenantId,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          else resolve(JSON.parse(text) as OmniqPage);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const started = performance.now();
const file = createWriteStream(input.out);
const write = async (text: string): Promise<void> => {
  if (!file.write(text)) await once(file, 'drain');
};
await write(stringify([columns], csvOptions));
let rows = 0;
let pages = 0;
for (let from = 0; ;) {
  const page = await getPage(from);
  pages++;
  const cells = page.results.map(({ document }) => flattenToCells(document, columns));
  await write(stringify(cells, csvOptions));
  rows += cells.length;
  from += cells.length;
  if (!page.pagination.hasMore || cells.length === 0) break;
}
file.end();
await once(file, 'finish');
const finished = performance.now();
agent.destroy();

sendResult({ rows, pages, totalMs: finished - started, ...processStats() });
