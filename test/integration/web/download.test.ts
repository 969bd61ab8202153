import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../shared/jobs.ts';
import { suggestFileName } from '../../../shared/filenames.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { contentDisposition } from '../../../electron/web/downloads.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import {
  finished,
  openClient,
  rawGet,
  startHarness,
  startOmniqExport,
  type Harness,
  type RpcClient,
} from './harness.ts';

let sim: OmniqSimulator;
let h: Harness;
let client: RpcClient;
let job: JobRecord;
let now = 1_000_000;

beforeAll(async () => {
  sim = await startOmniqSimulator({ counts: { communications: 3_000 } });
  h = await startHarness({ now: () => now });
  client = await openClient(h);
  job = await finished(client, (await startOmniqExport(client, sim.url)).id);
  expect(job.state).toBe('ready');
});
afterAll(async () => {
  client.ws.close();
  await h.close();
  await sim.close();
});

async function prepare(output: Record<string, unknown>): Promise<{ url: string; fileName: string }> {
  return client.ok('exports.prepareDownload', { jobId: job.id, output });
}

function get(url: string) {
  return rawGet(h.server.port, url);
}

describe('browser mode: downloads', () => {
  it('streams the same bytes a save to disk writes, with the suggested file name, once', async () => {
    const columns = ['id', 'channel', 'createdAt', 'workflow.attrs.contact.email'];
    for (const output of [
      { format: 'csv', columns, csv: { delimiter: ';', bom: true, lineEnding: 'lf' } },
      { format: 'json' },
      { format: 'ndjson' },
      { format: 'parquet', columns },
    ]) {
      const { url, fileName } = await prepare(output);
      expect(url).toMatch(/^\/download\/[A-Za-z0-9_-]{32}\?token=/);
      const parsed = OutputOptionsSchema.parse(output);
      expect(fileName).toBe(suggestFileName(job, parsed.format));

      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      );
      const target = path.join(h.dir, `saved-${fileName}`);
      await h.app.saves.saveTo(job.id, target, parsed);
      const saved = readFileSync(target);
      expect(saved.length).toBeGreaterThan(10_000);
      expect(res.body.equals(saved), `${parsed.format} download differs from the saved file`).toBe(true);

      const again = await get(url);
      expect(again.status).toBe(404);
      expect(again.body.toString()).toContain('used or has expired');
    }
  });

  it('sends the content type of each format', async () => {
    const types: Record<string, string> = {
      csv: 'text/csv; charset=utf-8',
      json: 'application/json; charset=utf-8',
      ndjson: 'application/x-ndjson; charset=utf-8',
      parquet: 'application/vnd.apache.parquet',
    };
    for (const [format, type] of Object.entries(types)) {
      const res = await get((await prepare({ format })).url);
      expect(res.headers['content-type']).toBe(type);
    }
  });

  it('refuses a link after 60 seconds, and honours it until then', async () => {
    const late = await prepare({ format: 'csv' });
    const inTime = await prepare({ format: 'csv' });
    now += 59_999;
    expect((await get(inTime.url)).status).toBe(200);
    now += 1;
    expect((await get(late.url)).status).toBe(404);
  });

  it('needs the token as well as the id, and a refused request does not use the link up', async () => {
    const { url } = await prepare({ format: 'csv' });
    const bare = url.split('?')[0] ?? '';
    expect((await get(bare)).status).toBe(403);
    expect((await get(`${bare}?token=wrong`)).status).toBe(403);
    expect((await rawGet(h.server.port, url, { host: 'evil.example' })).status).toBe(403);
    expect((await get(url)).status).toBe(200);
  });

  it('stops writing when the browser cancels the download, and keeps serving', async () => {
    const { url } = await prepare({ format: 'json' });
    const firstChunk = await new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: h.server.port, path: url }, (res) => {
        res.once('data', (chunk: Buffer) => {
          req.destroy();
          resolve(chunk.length);
        });
      });
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
    });
    expect(firstChunk).toBeGreaterThan(0);
    expect(await client.ok('jobs.get', { jobId: job.id })).toMatchObject({ id: job.id });
    const res = await get((await prepare({ format: 'csv' })).url);
    expect(res.status).toBe(200);
    expect(readFileSync(h.app.paths.log, { encoding: 'utf8', flag: 'a+' })).not.toContain('download failed');
  });

  it('refuses a download for an export that has not finished', async () => {
    const reply = await client.call('exports.prepareDownload', {
      jobId: 'missing',
      output: { format: 'csv' },
    });
    expect(reply.error?.kind).toBe('user');
  });
});

describe('Content-Disposition', () => {
  it('keeps a non-ASCII name exact in filename* and gives old clients a safe ASCII one', () => {
    expect(contentDisposition('Relatório "Q1" (100%).csv')).toBe(
      `attachment; filename="Relat_rio _Q1_ (100_).csv"; filename*=UTF-8''Relat%C3%B3rio%20%22Q1%22%20%28100%25%29.csv`,
    );
  });
});
