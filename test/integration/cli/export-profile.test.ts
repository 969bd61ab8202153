import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { SpoolProfileSchema } from '../../../shared/profile.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';

const PERIOD = { start: Date.UTC(2025, 4, 1), end: Date.UTC(2025, 4, 6) };
let sim: OmniqSimulator;
let dir: string;
let app: AppService;

beforeAll(async () => {
  sim = await startOmniqSimulator({
    counts: { communications: 3_000 },
    period: PERIOD,
    skipDays: ['2025-05-03'],
  });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-cli-'));
  app = await AppService.open({ dataDir: path.join(dir, 'data'), secrets: standInKeychain() });
  const io = testIO({ cwd: dir });
  const args = ['connections', 'add', 'Acme', '--provider', 'omniq', '--base-url', sim.url];
  const code = await main([...args, '--set', 'tenantId=ACME-TENANT01', '--set', 'pageSize=1000'], io, app);
  expect(code, io.err.text).toBe(0);
});
afterEach(async () => {
  await app.close();
  removeTempDir(dir);
});

function recipe(): string {
  const file = path.join(dir, 'recipe.json');
  const createdAt = { from: '2025-05-01T00:00:00.000Z', to: '2025-05-05T23:59:59.999Z' };
  const r = {
    version: 1,
    connection: 'Acme',
    provider: 'omniq',
    query: { index: 'communications', filterBy: { createdAt } },
  };
  writeFileSync(file, JSON.stringify(r));
  return file;
}

describe('exportdesk export: the profile of the data', () => {
  it("ends --json with the columns' profile and the rows per day, gap included", async () => {
    const rows = sim.records('communications');
    const io = testIO({ cwd: dir });
    const code = await main(['export', recipe(), '--out', 'out.csv', '--json'], io, app);
    expect(code, io.err.text).toBe(0);
    const events = io.out.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; profile?: unknown });
    const last = events.at(-1);
    expect(last?.event).toBe('saved');
    const profile = SpoolProfileSchema.parse(last?.profile);
    expect(profile.rowCount).toBe(rows.length);
    const byName = new Map(profile.columns.map((c) => [c.name, c]));

    const created = rows.map((r) => String(r.createdAt)).sort();
    expect(byName.get('createdAt')).toMatchObject({
      kind: 'timestamp',
      empty: 0,
      min: created[0],
      max: created.at(-1),
    });
    // Integers past 2^53 stay exact: min and max as their digits.
    const refs = rows.map((r) => r.externalRef as bigint).sort((a, b) => (a < b ? -1 : 1));
    expect(byName.get('externalRef')).toMatchObject({
      kind: 'bigint',
      min: String(refs[0]),
      max: String(refs.at(-1)),
    });
    expect(byName.get('isNewClient')).toMatchObject({ kind: 'boolean', distinct: 2 });
    const platforms = new Set(rows.map((r) => r.platform));
    expect(byName.get('platform')).toMatchObject({
      kind: 'text',
      distinct: platforms.size,
      distinctEstimated: false,
    });
    const withoutBot = rows.filter((r) => r.botModule === null || r.botModule === undefined).length;
    expect(byName.get('botModule')?.empty).toBe(withoutBot);
    const emails = rows.flatMap((r) => {
      const email = (r.workflow as { attrs?: { contact?: { email?: string } } } | undefined)?.attrs?.contact
        ?.email;
      return email === undefined ? [] : [email];
    });
    expect(byName.get('workflow.attrs.contact.email')).toMatchObject({
      distinct: new Set(emails).size,
      empty: rows.length - emails.length,
    });

    const timeline = profile.timelines[0];
    expect(timeline?.column).toBe('createdAt');
    expect(timeline?.unit).toBe('day');
    expect(timeline?.buckets.map(([day]) => day)).toEqual([
      '2025-05-01',
      '2025-05-02',
      '2025-05-04',
      '2025-05-05',
    ]);
    expect(timeline?.buckets.reduce((n, [, count]) => n + count, 0)).toBe(rows.length);
  });

  it('names the day without rows on the terminal', async () => {
    const io = testIO({ cwd: dir });
    const code = await main(['export', recipe(), '--out', 'out.csv'], io, app);
    expect(code, io.err.text).toBe(0);
    expect(io.err.text).toContain('Note: no rows on 2025-05-03 (by createdAt).');
  });
});
