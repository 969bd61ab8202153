import { describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main.ts';
import type { ScheduleChange } from '../../../shared/schedules.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { DAY, scheduleFixture, sinceLastRun } from './setup.ts';

const START = Date.UTC(2025, 2, 1);
const badTenant = { kind: 'status', status: 400, body: '{"error":"bad tenant"}' } as const;
const fx = scheduleFixture(START, {
  counts: { communications: 300 },
  period: { start: START - DAY, end: START + 3 * DAY },
});

async function run(...args: string[]) {
  const io = testIO({ cwd: fx.dir });
  const code = await fx.clock.drive(main(args, io, fx.app));
  return { code, out: io.out.text, err: io.err.text };
}

describe('exportdesk schedule run --no-retry', () => {
  it('fails at the first failed try, without waiting, and records the run failed with its reason', async () => {
    await fx.app.schedules.save(sinceLastRun());
    const seen: ScheduleChange[] = [];
    fx.app.schedules.on((c) => seen.push(c));
    fx.sim.injectFaults(...Array.from({ length: 40 }, () => badTenant));
    const started = fx.clock.now();

    const r = await run('schedule', 'run', 'daily communications', '--no-retry');

    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Daily communications: failed after 1 try — OmniQ, /);
    expect(r.err).not.toContain('Trying again');
    // No wait on the clock: the failure is known as soon as the export fails.
    expect(fx.clock.now()).toBe(started);
    expect(seen.some((c) => c.type === 'run' && c.run.state === 'retrying')).toBe(false);
    const [last] = (await fx.app.schedules.get('Daily communications')).runs;
    expect(last).toMatchObject({ state: 'failed', attempts: 1, trigger: 'manual' });
    expect(last?.message).toMatch(/OmniQ/);
    expect(r.err).toContain(last?.message);
    expect(last?.jobId).toBeDefined();
    expect(last?.retryAt).toBeUndefined();
  });

  it('saves the file as a plain run does when the first try succeeds', async () => {
    await fx.app.schedules.save(sinceLastRun());
    const r = await run('schedule', 'run', 'Daily communications', '--no-retry');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Daily communications: saved [\d,]+ rows? to .+\.ndjson\n$/);
    const [last] = (await fx.app.schedules.get('Daily communications')).runs;
    expect(last).toMatchObject({ state: 'succeeded', attempts: 1 });
  });

  it('still tries again on the clock without the flag', async () => {
    await fx.app.schedules.save(sinceLastRun());
    fx.sim.injectFaults(...Array.from({ length: 40 }, () => badTenant));
    const started = fx.clock.now();
    const r = await run('schedule', 'run', 'Daily communications');
    expect(r.code).toBe(1);
    expect(r.err).toContain('Daily communications: try 1 failed — OmniQ');
    expect(r.err).toMatch(/failed after 4 tries — OmniQ/);
    expect(fx.clock.now() - started).toBe(21 * 60_000);
  });

  it('is in the command’s help', async () => {
    const r = await run('schedule', 'run', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: exportdesk schedule run NAME [--no-retry]');
    expect(r.out).toMatch(/^ {2}--no-retry +fail at the first failed try/m);
  });
});
