/**
 * A NICE CXone export file with bytes that are not UTF-8 (a Latin-1 "é") goes through the command line
 * into a file that is UTF-8 throughout: the bytes become U+FFFD and the export says so in its warnings.
 */
import { isUtf8 } from 'node:buffer';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { cxoneAdapter } from '../../faults/adapters/cxone.ts';
import { FaultProxy } from '../../faults/fault-proxy.ts';
import { drive } from '../../faults/run-cell.ts';

it('replaces the bytes of a CXone file that are not UTF-8 and warns, keeping every row', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-latin1-'));
  const clock = new FakeClock(Date.UTC(2025, 6, 1));
  const proxy = await FaultProxy.start(clock);
  const setup = await cxoneAdapter.start({ clock, proxy });
  const app = await AppService.open({
    dataDir: path.join(dir, 'data'),
    secrets: standInKeychain(),
    clock,
  });
  try {
    const addIO = testIO({ cwd: dir, stdin: setup.stdin ?? '' });
    expect(
      await main(['connections', 'add', 'Vendor', ...setup.connectionArgs], addIO, app),
      addIO.err.text,
    ).toBe(0);
    const recipe = path.join(dir, 'recipe.json');
    const output = { format: 'csv', csv: { formulaGuard: false } };
    writeFileSync(
      recipe,
      JSON.stringify({ version: 1, connection: 'Vendor', provider: 'cxone', query: setup.query, output }),
    );
    // The first "a" after the header becomes a Latin-1 "é" (0xE9), which is not UTF-8.
    proxy.inject((r) => r.path.startsWith('/s3/'), {
      kind: 'rewrite',
      run: (body) => {
        const copy = Buffer.from(body);
        copy[copy.indexOf('a', copy.indexOf('\r\n'))] = 0xe9;
        return copy;
      },
    });
    const io = testIO({ cwd: dir });
    const code = await drive(clock, proxy, main(['export', recipe, '--out', 'out.csv'], io, app));
    expect(code, io.err.text).toBe(0);
    expect(proxy.fired).toBe(1);
    const file = readFileSync(path.join(dir, 'out.csv'));
    expect(isUtf8(file)).toBe(true);
    const expected = setup.expected();
    const at = expected.indexOf('a', expected.indexOf('\r\n'));
    expect(file.toString('utf8')).toBe(`${expected.slice(0, at)}\uFFFD${expected.slice(at + 1)}`);
    const [job] = await app.jobs.list();
    expect(job?.warnings).toContain(
      `The vendor's file was not all UTF-8 text: 1 byte sequence was replaced by "\uFFFD".`,
    );
  } finally {
    await app.close();
    await setup.close();
    await proxy.close();
    removeTempDir(dir);
  }
});
