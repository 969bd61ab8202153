/**
 * The preview's sort and filter through the app's request handler, as the window asks for them: over
 * every row of an export, paged, kept while the user scrolls, replaced (and stopped) when they type on.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PreviewPage, PreviewView } from '../../../shared/api.ts';
import { AppService } from '../../../electron/app/service.ts';
import { PreviewViews, VIEW_REPLACED } from '../../../electron/app/preview-views.ts';
import { SpoolReader } from '../../../electron/export/spool-reader.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import { writeReadyExport } from '../../helpers/ready-export.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';

const ROWS = 30_000;
let dir: string;
let app: AppService;
let jobId: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-view-'));
  app = await AppService.open({ dataDir: dir, secrets: new MemorySecretStore('test') });
  jobId = await writeReadyExport(app, {
    name: 'Calls',
    rows: ROWS,
    row: (n) => ({
      n,
      agent: n % 10_000 === 7 ? 'Zed' : `Agent ${n % 40}`,
      // The longest call is the 29,001st row; a big id that only exact integers can order.
      duration: n === 29_001 ? 86_400 : n % 3_600,
      id: 10n ** 20n + BigInt(ROWS - n),
    }),
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await app.close();
  removeTempDir(dir);
});

function page(offset: number, limit: number, view?: PreviewView): Promise<PreviewPage> {
  return app.handle('preview.page', {
    jobId,
    offset,
    limit,
    ...(view ? { view } : {}),
  }) as Promise<PreviewPage>;
}

describe('preview.page with a view', () => {
  it('filters every row of the export and says each row’s number in it', async () => {
    const zed = await page(0, 100, { filter: { text: 'zed', columns: ['agent'] } });
    expect(zed.total).toBe(3);
    expect(zed.exportRows).toBe(ROWS);
    expect(zed.rowNumbers).toEqual([6, 10_006, 20_006]);
    expect(zed.rows.map((r) => r[0])).toEqual([7, 10_007, 20_007]);
    // Without a view the page is the spool's, as before.
    const plain = await page(10_006, 1);
    expect(plain.total).toBe(ROWS);
    expect(plain.rowNumbers).toBeUndefined();
    expect(plain.rows[0]?.[0]).toBe(10_007);
  });

  it('sorts every row: the longest call first, big ids exactly, and pages through the whole order', async () => {
    const longest = await page(0, 2, { sort: { column: 'duration', direction: 'desc' } });
    expect(longest.rowNumbers?.[0]).toBe(29_000);
    expect(longest.rows[0]?.[2]).toBe(86_400);
    // Ids descend as rows ascend, 10^20 + k: sorted ascending, the last row of the export comes first.
    const byId = { sort: { column: 'id', direction: 'asc' } } as const;
    const first = await page(0, 3, byId);
    expect(first.rowNumbers).toEqual([ROWS - 1, ROWS - 2, ROWS - 3]);
    expect(first.rows[0]?.[3]).toBe('100000000000000000000');
    const last = await page(ROWS - 2, 1000, byId);
    expect(last.rowNumbers).toEqual([1, 0]);
  });

  it('keeps the view while the user pages through it and builds another when the view changes', async () => {
    const passes = vi.spyOn(SpoolReader.prototype, 'rowsBetween');
    const view: PreviewView = { filter: { text: 'agent 1' }, sort: { column: 'n', direction: 'desc' } };
    const a = await page(0, 200, view);
    const b = await page(200, 200, view);
    expect(passes).toHaveBeenCalledTimes(1);
    expect(a.total).toBe(b.total);
    expect(b.rows[0]?.[0]).toBeLessThan(a.rows.at(-1)?.[0] as number);
    await page(0, 200, { ...view, sort: { column: 'n', direction: 'asc' } });
    expect(passes).toHaveBeenCalledTimes(2);
  });

  it('stops the build of a view the user typed past, and answers the newer one', async () => {
    // The older view's pass over the rows waits until the newer view has been asked for.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const rowsBetween = SpoolReader.prototype.rowsBetween;
    vi.spyOn(SpoolReader.prototype, 'rowsBetween').mockImplementation(async function* (
      this: SpoolReader,
      ...args: Parameters<SpoolReader['rowsBetween']>
    ) {
      await gate;
      yield* rowsBetween.apply(this, args);
    });
    const views = vi.spyOn(app.views, 'get');
    const stale = page(0, 100, { filter: { text: 'agent' } });
    await vi.waitFor(() => expect(views).toHaveBeenCalledTimes(1));
    const current = page(0, 100, { filter: { text: 'agent 3' } });
    await vi.waitFor(() => expect(views).toHaveBeenCalledTimes(2));
    release();
    await expect(stale).rejects.toThrow(VIEW_REPLACED);
    // Agent 3 and Agent 30 to Agent 39.
    expect((await current).total).toBe((ROWS / 40) * 11);
  });

  it('answers a request for an older view that arrives after a newer one as replaced', async () => {
    const older = page(0, 100, { filter: { text: 'agent' } });
    const newer = page(0, 100, { filter: { text: 'agent 3' } });
    await expect(older).rejects.toThrow(VIEW_REPLACED);
    expect((await newer).total).toBe((ROWS / 40) * 11);
  });

  it('forgets the view of an export that is removed', async () => {
    await page(0, 10, { filter: { text: 'zed' } });
    expect(app.views.keptFor).toBe(jobId);
    await app.handle('jobs.remove', { jobId });
    expect(app.views.keptFor).toBeUndefined();
  });

  it('refuses a view it does not know, and bounds a page', async () => {
    await expect(
      page(0, 10, { filter: { text: 'x', regex: true } } as unknown as PreviewView),
    ).rejects.toThrow();
    await expect(
      page(0, 10, { sort: { column: 'n', direction: 'up' } } as unknown as PreviewView),
    ).rejects.toThrow();
    await expect(page(0, 5000, { filter: { text: 'zed' } })).rejects.toThrow();
  });

  it('says plainly when the sort keys would not fit in the memory set aside', async () => {
    const views = new PreviewViews(256 * 1024);
    const reader = await SpoolReader.open(app.jobs.spoolDir(jobId));
    try {
      await expect(
        views.get(jobId, app.jobs.spoolDir(jobId), reader.rowCount, {
          sort: { column: 'agent', direction: 'asc' },
        }),
      ).rejects.toThrow(/Sorting 30,000 rows by “agent” needs more than the 1 MB of memory set aside/);
    } finally {
      await reader.close();
    }
  });
});
