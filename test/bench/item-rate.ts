/**
 * Measurement 9, rate-limit efficiency: how close Export Desk's limiters come to the rate a vendor allows
 * without ever exceeding it. A FakeClock runs minutes of vendor time in moments; every call records when it
 * started, and an independent check of those times counts violations of the vendor's rule.
 * - Omni-style: 60 requests per minute per key, the engine's SharedWindowLimiter (file-backed, shared
 *   across processes, as Omni exports use it), several callers at once;
 * - CXone-style: one call per 30 s per tenant, the engine's TenantGate (file-backed, shared across
 *   processes), two exports of one tenant at once.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { FakeClock } from '../helpers/fake-clock.ts';
import { SharedWindowLimiter } from '../../electron/http/shared-window.ts';
import { TenantGate } from '../../electron/http/tenant-gate.ts';
import { scaled } from './args.ts';
import { fixed, int, runsText, type BenchItem } from './items.ts';
import { series } from './stats.ts';

const TARGET = 0.95;

/** Calls that started less than `windowMs` after the call `limit` places earlier: each breaks the rule. */
export function windowViolations(starts: readonly number[], limit: number, windowMs: number): number {
  const t = [...starts].sort((a, b) => a - b);
  let n = 0;
  for (let i = limit; i < t.length; i++) if ((t[i] as number) - (t[i - limit] as number) < windowMs) n++;
  return n;
}

/**
 * Achieved ÷ allowed rate. In `span` from the first start to the last, a client at the allowed rate starts
 * `limit` calls per window, the last batch at the end of the span: (span / windowMs + 1) × limit calls.
 */
export function efficiency(starts: readonly number[], limit: number, windowMs: number): number {
  const t = [...starts].sort((a, b) => a - b);
  const span = (t[t.length - 1] as number) - (t[0] as number);
  const allowed = Math.floor(span / windowMs + 1) * limit;
  return t.length / allowed;
}

interface Case {
  name: string;
  calls: number;
  limit: number;
  windowMs: number;
  callers: number;
  latencyMs: number;
  run: (clock: FakeClock, call: () => Promise<void>, dir: string) => Promise<() => Promise<void>>;
}

async function measure(
  c: Case,
  dir: string,
): Promise<{ starts: number[]; efficiency: number; violations: number }> {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const starts: number[] = [];
  const call = async (): Promise<void> => {
    starts.push(clock.now());
    await clock.sleep(c.latencyMs);
  };
  const one = await c.run(clock, call, dir);
  let left = c.calls;
  const caller = async (): Promise<void> => {
    while (left > 0) {
      left--;
      await one();
    }
  };
  await clock.drive(Promise.all(Array.from({ length: c.callers }, caller)), 1_000_000);
  return {
    starts,
    efficiency: efficiency(starts, c.limit, c.windowMs),
    violations: windowViolations(starts, c.limit, c.windowMs),
  };
}

export const rateItem: BenchItem = {
  n: 9,
  key: 'rate',
  title: 'Rate-limit efficiency',
  async run({ opts, workDir, log }) {
    const cases: Case[] = [
      {
        name: 'Omni-style, 60 requests/min per key',
        calls: scaled(opts, 1200, 180),
        limit: 60,
        windowMs: 60_000,
        callers: 4,
        latencyMs: 250,
        run: async (clock, call, dir) => {
          const limiter = new SharedWindowLimiter({
            dir,
            name: 'omni',
            identity: 'BENCH',
            limit: 60,
            windowMs: 60_000,
            clock,
          });
          return () => limiter.run(call);
        },
      },
      {
        name: 'CXone-style, one call per 30 s per tenant',
        calls: scaled(opts, 120, 20),
        limit: 1,
        windowMs: 30_000,
        callers: 2,
        latencyMs: 1500,
        run: async (clock, call, dir) => {
          await mkdir(dir, { recursive: true });
          const gate = new TenantGate({ dir, key: 'cxone:BENCH', intervalMs: 30_000, clock });
          return () => gate.run(call);
        },
      },
    ];
    const results = [];
    for (const c of cases) {
      const runs = [];
      for (let i = 0; i < opts.runs; i++) {
        runs.push(await measure(c, path.join(workDir, `gate-${results.length}-${i}`)));
      }
      const eff = series(runs.map((r) => r.efficiency));
      const violations = Math.max(...runs.map((r) => r.violations));
      log(`  ${c.name}: ${fixed(eff.median, 3)} of the allowed rate, ${violations} violations`);
      results.push({
        ...c,
        run: undefined,
        efficiency: eff,
        violations,
        fakeMinutes: runs.map((r) => span(r.starts) / 60_000),
      });
    }
    return {
      data: results,
      tables: [
        {
          title: `9. Rate limits under a fast clock, median of ${opts.runs}`,
          header: ['', 'calls', 'callers', 'vendor minutes', 'achieved ÷ allowed', 'runs', 'violations'],
          rows: results.map((r) => [
            r.name,
            int(r.calls),
            int(r.callers),
            fixed(series(r.fakeMinutes).median, 1),
            fixed(r.efficiency.median, 3),
            runsText(r.efficiency.runs, 3),
            int(r.violations),
          ]),
          leftColumns: 1,
        },
      ],
      verdicts: results.flatMap((r) => [
        {
          what: `9. ${r.name}, achieved ÷ allowed`,
          figure: fixed(r.efficiency.median, 3),
          target: `≥ ${TARGET}`,
          met: r.efficiency.median >= TARGET,
        },
        { what: `9. ${r.name}, violations`, figure: int(r.violations), target: '0', met: r.violations === 0 },
      ]),
    };
  },
};

function span(starts: readonly number[]): number {
  return Math.max(...starts) - Math.min(...starts);
}
