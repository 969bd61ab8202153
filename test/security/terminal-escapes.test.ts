/**
 * Terminal control sequences from outside, through the real command (bin/exportdesk.mjs): a hostile vendor
 * error, a recipe's connection name and a connection name given on the command line never reach the
 * terminal raw, so none can clear the screen and print a fake "Saved 1,000,000 rows".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../electron/base/clock.ts';
import { FaultProxy } from '../faults/fault-proxy.ts';
import { runBin, type BinRun } from '../helpers/run-bin.ts';
import { removeTempDir } from '../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../simulators/omniq.ts';

/** Clear the screen, go home, print a lie; then a C1 CSI (the one-byte form of ESC [) and a bell. */
const HOSTILE = '\u001b[2J\u001b[HSaved 1,000,000 rows\u009b31m\u0007';
/** Every character that drives a terminal, whatever the command prints. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const YEAR = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };

let dir: string;
let home: string;
let sim: OmniqSimulator;
let proxy: FaultProxy;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-escapes-'));
  home = path.join(dir, 'data');
  sim = await startOmniqSimulator({ counts: { agents: 10 } });
  proxy = await FaultProxy.start(systemClock);
  proxy.setTarget(sim.url);
  const add = await bin([
    'connections',
    'add',
    'Acme',
    ...['--provider', 'omniq', '--base-url', proxy.url, '--set', 'tenantId=ACME-TENANT01'],
  ]);
  expect(add.code, add.stderr).toBe(0);
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
  removeTempDir(dir);
});

const bin = (args: string[]) => runBin(args, { cwd: dir, home });

function recipe(connection: string): string {
  const file = path.join(dir, `recipe-${Math.random().toString(36).slice(2)}.json`);
  const query = { index: 'agents', filterBy: { createdAt: YEAR } };
  writeFileSync(file, JSON.stringify({ version: 1, connection, provider: 'omniq', query }));
  return file;
}

function expectNoRawControl(r: BinRun): void {
  expect(r.stderr).not.toMatch(RAW_CONTROL);
  expect(r.stdout).not.toMatch(RAW_CONTROL);
}

describe('control characters from outside', { timeout: 60_000 }, () => {
  it('a vendor error is printed with its escapes made visible', async () => {
    proxy.inject((r) => r.path.startsWith('/getmydata'), {
      kind: 'status',
      status: 400,
      body: JSON.stringify({ message: HOSTILE }),
    });
    const r = await bin(['export', recipe('Acme'), '--out', 'out.csv']);
    expect(proxy.fired).toBe(1);
    expect(r.code, r.stderr).toBe(1);
    expectNoRawControl(r);
    expect(r.stderr).toContain('\\u001b[2J\\u001b[HSaved 1,000,000 rows\\u009b31m\\u0007');
  });

  it('a recipe naming a connection with escapes: the error shows them, it does not run them', async () => {
    const r = await bin(['export', recipe(`Acme${HOSTILE}`), '--out', 'out.csv']);
    expect(r.code, r.stderr).toBe(2);
    expectNoRawControl(r);
    expect(r.stderr).toContain('No connection named "Acme\\u001b[2J');
  });

  it('a connection name with control characters is refused, and nothing is stored', async () => {
    const r = await bin([
      'connections',
      'add',
      `Evil${HOSTILE}`,
      ...['--provider', 'omniq', '--base-url', proxy.url, '--set', 'tenantId=ACME-TENANT01'],
    ]);
    expect(r.code, r.stderr).toBe(2);
    expectNoRawControl(r);
    expect(r.stderr).toContain('A connection name cannot hold control characters');
    const list = await bin(['connections', 'list', '--json']);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((c) => c.name)).toEqual(['Acme']);
  });
});
