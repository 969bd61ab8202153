/**
 * Runs one cell of the fault matrix: a fresh data folder, simulator and proxy; one export through the CLI
 * (and so the app service and engine) with the fault armed; then a verdict on what the user got.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppService } from '../../electron/app/service.ts';
import { main } from '../../electron/cli/main.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { standInKeychain } from '../helpers/stand-in-keychain.ts';
import { testIO } from '../helpers/cli-io.ts';
import { FaultProxy } from './fault-proxy.ts';
import type { FaultId, ProviderAdapter, ProviderSetup } from './types.ts';
import { removeTempDir } from '../helpers/temp-dir.ts';
import { CONTROL_CHARS } from '../../shared/text.ts';

export type Verdict = 'recovered' | 'failed clearly' | 'WRONG' | 'n/a';

export interface CellResult {
  verdict: Verdict;
  /** What the user saw (the first line of the error), or why the cell is WRONG. */
  detail: string;
  /** The exported file, when the export succeeded. */
  output?: string;
  /** Connections and requests that reached the vendor's front door. */
  traffic?: { connections: number; paths: string[] };
}

/** The app's timeout for a silent vendor, in real time: long enough for a trickle, short for a hang. */
export const HTTP_TIMEOUT_MS = 500;
/** The slowest pace a body may keep, in real time: an answer that never ends is given up within a second. */
export const HTTP_STALL = { windowMs: 1_000, minBytes: 1024 };
/** Real time a cell may take before it counts as a hang. */
const HANG_MS = 20_000;

/**
 * Settles `work`, moving the clock whenever everything is asleep; the proxy hears about each move first,
 * so a refusal ends at the right time. Undefined when the work neither finished nor slept: a hang.
 */
export async function drive<T>(
  clock: FakeClock,
  proxy: FaultProxy,
  work: Promise<T>,
): Promise<T | undefined> {
  let done = false;
  const finished = work.then(
    () => (done = true),
    () => (done = true),
  );
  const deadline = Date.now() + HANG_MS;
  for (let steps = 0; steps < 5_000 && Date.now() < deadline; steps++) {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadline - Date.now())));
    await Promise.race([finished, clock.untilSleeping(1), gaveUp]);
    clearTimeout(timer);
    if (done) return work;
    const next = clock.nextWakeAt();
    if (next !== undefined) {
      await proxy.beforeTime(next);
      await clock.advance(next - clock.now());
    }
  }
  return undefined;
}

function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.includes('.partial') || f.startsWith('.out.csv'));
}

export async function runCell(
  adapter: ProviderAdapter,
  fault: FaultId | undefined,
  /** Runs on the app before the connection is added, e.g. to set a proxy. */
  prepare?: (app: AppService) => Promise<void>,
): Promise<CellResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `exportdesk-fault-${adapter.id}-`));
  const clock = new FakeClock(Date.UTC(2025, 6, 1));
  const proxy = await FaultProxy.start(clock);
  const setup = await adapter.start({ clock, proxy });
  const app = await AppService.open({
    dataDir: path.join(dir, 'data'),
    secrets: standInKeychain(),
    clock,
    httpTimeoutMs: HTTP_TIMEOUT_MS,
    httpStall: HTTP_STALL,
  });
  try {
    if (fault && !setup.faults[fault]) return { verdict: 'n/a', detail: 'does not apply to this vendor' };
    await prepare?.(app);
    const addIO = testIO({ cwd: dir, stdin: setup.stdin ?? '' });
    const added = await main(['connections', 'add', 'Vendor', ...setup.connectionArgs], addIO, app);
    if (added !== 0) return { verdict: 'WRONG', detail: `could not add the connection: ${addIO.err.text}` };
    for (const [key, value] of Object.entries(setup.secrets ?? {}))
      await app.connections.setSecret('Vendor', key, value);
    const recipe = path.join(dir, 'recipe.json');
    writeFileSync(
      recipe,
      JSON.stringify({
        version: 1,
        connection: 'Vendor',
        provider: adapter.id,
        query: setup.query,
        output: { format: 'csv', csv: { formulaGuard: false } },
      }),
    );
    if (fault) setup.faults[fault]?.();
    const io = testIO({ cwd: dir });
    const code = await drive(clock, proxy, main(['export', recipe, '--out', 'out.csv'], io, app));
    const verdict = await judge({
      adapter,
      fault,
      code,
      stderr: io.err.text,
      dir,
      app,
      proxy,
      setup,
    });
    return { ...verdict, traffic: { connections: proxy.connections, paths: proxy.seen.map((r) => r.path) } };
  } finally {
    await app.close();
    await setup.close();
    await proxy.close();
    removeTempDir(dir);
  }
}

async function judge(c: {
  adapter: ProviderAdapter;
  fault: FaultId | undefined;
  code: number | undefined;
  stderr: string;
  dir: string;
  app: AppService;
  proxy: FaultProxy;
  setup: Pick<ProviderSetup, 'violations' | 'expected' | 'faults' | 'outside'>;
}): Promise<CellResult> {
  const wrong = (detail: string): CellResult => ({ verdict: 'WRONG', detail });
  if (c.code === undefined) return wrong('the export neither finished nor failed (a hang)');
  // Whatever the vendor sends, nothing printed may drive the terminal (clear it, move the cursor).
  const control = new RegExp(CONTROL_CHARS.source, 'u').exec(c.stderr);
  if (control)
    return wrong(
      `a raw control character (U+${control[0].codePointAt(0)?.toString(16).padStart(4, '0')}) was printed`,
    );
  const outside = c.setup.outside;
  const fired = c.proxy.fired + (outside?.fired() ?? 0);
  const pending = c.proxy.pending() + (outside ? outside.armed() - outside.fired() : 0);
  if (c.fault && fired === 0) return wrong('the fault never reached the client');
  if (pending > 0) return wrong(`${pending} planned fault(s) never reached the client`);
  if (c.setup.violations() > 0) return wrong(`${c.setup.violations()} call(s) broke the vendor's rate limit`);
  const stray = leftovers(c.dir);
  if (stray.length > 0) return wrong(`temporary files left beside the target: ${stray.join(', ')}`);
  const target = path.join(c.dir, 'out.csv');
  if (c.code === 0) {
    const output = readFileSync(target, 'utf8');
    // The fault-free run proved the engine writes exactly `expected()`; a cell's own simulator says what
    // this run must write (some vendors put their own address, which changes per cell, in the data).
    const [job] = await c.app.jobs.list();
    const reference = c.setup.expected(job?.remote.jobId);
    if (output !== reference) return wrong('exported, but the file differs from the fault-free run');
    return { verdict: 'recovered', detail: '', output };
  }
  if (existsSync(target)) return wrong('failed, but left a file at the target');
  const [job] = await c.app.jobs.list();
  const err = job?.error;
  if (c.code !== 1 || !err) return wrong(`exit code ${c.code} without a job error: ${c.stderr.trim()}`);
  if (err.vendor !== c.adapter.vendor) return wrong(`the message names "${err.vendor}", not the vendor`);
  if (!err.step || !err.hint) return wrong('the message lacks the step or what to do');
  if (!c.stderr.includes(c.adapter.vendor) || !c.stderr.includes(err.step) || !c.stderr.includes(err.hint))
    return wrong(`the command's message lacks the vendor, step or hint: ${c.stderr.trim()}`);
  return { verdict: 'failed clearly', detail: `${err.step}: ${err.message} — ${err.hint}` };
}
