import { describe, expect, it } from 'vitest';
import type { JobRecord, JobState } from '../../../shared/jobs.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { createLogger } from '../../../electron/http/redact.ts';
import {
  runAsyncJobs,
  type AsyncJobRepository,
  type RemotePart,
  type RemoteStatus,
} from '../../../electron/jobs/async-job.ts';
import { ExportError } from '../../../electron/jobs/errors.ts';
import type { RunContext } from '../../../electron/jobs/provider.ts';

/** The parts of a RunContext the engine uses, recording what it told the job. */
function context(clock: FakeClock, resume?: JobRecord['remote']) {
  const seen = {
    states: [] as Array<[JobState, string | undefined]>,
    remote: {} as JobRecord['remote'],
    statuses: [] as string[],
    warnings: [] as string[],
    discards: 0,
  };
  const ctx = {
    clock,
    signal: new AbortController().signal,
    logger: createLogger({ level: 'error', sink: () => {}, secrets: () => [] }),
    ...(resume ? { resume } : {}),
    setState: (s: JobState, m?: string) => seen.states.push([s, m]),
    setRemote: (r: JobRecord['remote']) => {
      seen.remote = { ...seen.remote, ...r };
      if (r.status) seen.statuses.push(r.status);
    },
    warn: (m: string) => seen.warnings.push(m),
    discardRows: async () => void seen.discards++,
  } as unknown as RunContext<unknown, unknown>;
  return { ctx, seen };
}

/** A vendor whose jobs answer the given statuses in turn (the last repeats). */
function vendor(
  clock: FakeClock,
  statuses: Array<RemoteStatus<string>>,
  more: Partial<AsyncJobRepository<string>> = {},
) {
  const calls: string[] = [];
  let n = 0;
  const repo: AsyncJobRepository<string> = {
    vendor: 'Acme',
    describe: (p, i, count) => (count > 1 ? `job ${i + 1} of ${count} (${p.from})` : 'the report'),
    start: async (p) => (calls.push(`start ${p.from}`), `id-${p.from}`),
    status: async (id) => {
      calls.push(`status ${id} @${clock.now()}`);
      return statuses[Math.min(n++, statuses.length - 1)] as RemoteStatus<string>;
    },
    fetch: async (id, result) => void calls.push(`fetch ${id} ${result}`),
    pollMs: [1_000, 5_000],
    deadlineMs: 60_000,
    ...more,
  };
  return { repo, calls };
}

const running = (raw = 'RUNNING'): RemoteStatus<string> => ({ state: 'running', raw });
const done = (result = 'file'): RemoteStatus<string> => ({ state: 'done', raw: 'DONE', result });
const part = (from: string): RemotePart => ({ from, to: from });

describe('runAsyncJobs', () => {
  it('submits each part once, polls on the schedule, and fetches the result', async () => {
    const clock = new FakeClock(0);
    const { ctx, seen } = context(clock);
    const { repo, calls } = vendor(clock, [running(), running(), done()]);
    await clock.drive(runAsyncJobs(ctx, repo, { parts: [part('a'), part('b')], recordParts: true }));
    expect(calls).toEqual([
      'start a',
      'status id-a @0',
      'status id-a @1000',
      'status id-a @6000',
      'fetch id-a file',
      'start b',
      'status id-b @6000',
      'fetch id-b file',
    ]);
    expect(seen.remote.parts?.map((p) => p.jobId)).toEqual(['id-a', 'id-b']);
  });

  it('after a crash polls the remote ids it had, and submits only the parts that had none', async () => {
    const clock = new FakeClock(0);
    const { ctx } = context(clock, { parts: [{ ...part('a'), jobId: 'old-a' }, part('b')] });
    const { repo, calls } = vendor(clock, [done()]);
    await clock.drive(runAsyncJobs(ctx, repo, { parts: [part('x')], recordParts: true }));
    expect(calls.filter((c) => c.startsWith('start'))).toEqual(['start b']);
    expect(calls[0]).toBe('status old-a @0');
  });

  it('keeps waiting on a status it does not know, shows it as sent, and stops at the deadline naming it', async () => {
    const clock = new FakeClock(0);
    const { ctx, seen } = context(clock);
    const { repo } = vendor(clock, [running('7'), running('Reticulating')]);
    const failed = clock.drive(runAsyncJobs(ctx, repo, { parts: [part('a')], recordParts: false }));
    await expect(failed).rejects.toThrow(/the report was still "Reticulating" at Acme after 5\d s/i);
    expect(seen.statuses).toContain('7');
    expect(seen.states.some(([, m]) => m?.includes('Acme says "Reticulating"'))).toBe(true);
    expect(clock.now()).toBeLessThanOrEqual(60_000);
  });

  it('stops at the deadline with the vendor’s own error, given the status, time waited and job id', async () => {
    const clock = new FakeClock(0);
    const { ctx } = context(clock);
    const stops: Array<{ jobId?: string; label: string; status: string; waitedMs: number }> = [];
    const { repo } = vendor(clock, [running('Busy')], {
      deadline: (p, label, status, waitedMs) => {
        stops.push({ ...(p.jobId ? { jobId: p.jobId } : {}), label, status, waitedMs });
        return new Error(`gave up on ${p.jobId} (${status})`);
      },
    });
    const failed = clock.drive(runAsyncJobs(ctx, repo, { parts: [part('a')], recordParts: false }));
    await expect(failed).rejects.toThrow('gave up on id-a (Busy)');
    expect(stops).toEqual([expect.objectContaining({ jobId: 'id-a', label: 'the report', status: 'Busy' })]);
    expect(stops[0]?.waitedMs).toBeLessThanOrEqual(60_000);
  });

  it('fails with the reason of a failed job', async () => {
    const clock = new FakeClock(0);
    const { ctx } = context(clock);
    const { repo } = vendor(clock, [{ state: 'failed', raw: 'FAILED', reason: 'Bad entity.' }]);
    const e = await runAsyncJobs(ctx, repo, { parts: [part('a')], recordParts: false }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ExportError);
    expect((e as ExportError).message).toBe('Bad entity.');
  });

  it('treats an empty ending as a result with no rows, with a notice', async () => {
    const clock = new FakeClock(0);
    const { ctx, seen } = context(clock);
    const { repo, calls } = vendor(clock, [{ state: 'empty', raw: 'Failed', notice: 'No data that day.' }]);
    await runAsyncJobs(ctx, repo, { parts: [part('a')], recordParts: false });
    expect(seen.warnings).toEqual(['No data that day.']);
    expect(calls.some((c) => c.startsWith('fetch'))).toBe(false);
  });

  it('reads a damaged result again whole, dropping the rows taken, up to its attempts', async () => {
    const clock = new FakeClock(0);
    const { ctx, seen } = context(clock);
    let reads = 0;
    const { repo } = vendor(clock, [done()], {
      fetch: async () => {
        if (++reads < 3) throw new Error('cut');
      },
      damaged: (e) => (e as Error).message === 'cut',
    });
    await runAsyncJobs(ctx, repo, { parts: [part('a')], recordParts: false });
    expect([reads, seen.discards]).toEqual([3, 2]);
    reads = -10;
    const failing = runAsyncJobs(context(clock).ctx, repo, { parts: [part('a')], recordParts: false });
    await expect(failing).rejects.toThrow('cut');
  });

  it('asks for the status again when a link went stale, until the vendor limit says stop', async () => {
    const clock = new FakeClock(0);
    const { ctx } = context(clock);
    const { repo, calls } = vendor(clock, [done('link')], {
      fetch: async () => ({ again: 'expired' }),
      againLimit: (reason, times) => (times >= 3 ? new Error(`${reason} ${times} times`) : undefined),
    });
    const failed = clock.drive(runAsyncJobs(ctx, repo, { parts: [part('a')], recordParts: false }));
    await expect(failed).rejects.toThrow('expired 3 times');
    expect(calls.filter((c) => c.startsWith('status'))).toHaveLength(3);
  });

  it('holds a slot while submitting and running, gives it back while the vendor says not now', async () => {
    const clock = new FakeClock(0);
    const { ctx, seen } = context(clock);
    const log: string[] = [];
    let tries = 0;
    const { repo } = vendor(clock, [done()], {
      hold: async (state) => {
        log.push(`hold ${state}`);
        return { release: async () => void log.push('release') };
      },
      start: async () => (++tries < 2 ? { later: 30_000, message: 'Acme is busy' } : 'id'),
      fetch: async () => void log.push('fetch'),
    });
    await clock.drive(runAsyncJobs(ctx, repo, { parts: [part('a')], recordParts: false }));
    expect(log).toEqual(['hold queued', 'release', 'hold submitting', 'release', 'fetch']);
    expect(seen.states).toContainEqual(['submitting', 'Acme is busy']);
  });
});
