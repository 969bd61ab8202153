import { describe, expect, it } from 'vitest';
import { progressLine, ProgressReporter } from '../../../electron/cli/progress.ts';
import type { JobRecord, JobState } from '../../../shared/jobs.ts';
import { CSV_PRESETS } from '../../../shared/output.ts';
import { testIO } from '../../helpers/cli-io.ts';

const START = Date.UTC(2026, 0, 1, 9, 0, 0);

function job(counters: Partial<JobRecord['counters']> = {}, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id: '20260101T090000-abcdef12',
    recipe: {
      version: 1,
      connection: 'Acme',
      provider: 'omniq',
      query: { index: 'agents' },
      output: { format: 'csv', csv: CSV_PRESETS.standard },
    },
    connectionId: 'c1',
    state: 'downloading',
    createdAt: new Date(START).toISOString(),
    updatedAt: new Date(START).toISOString(),
    startedAt: new Date(START).toISOString(),
    remote: {},
    counters: { pages: 0, rows: 0, bytes: 0, ...counters },
    warnings: [],
    saves: [],
    ...extra,
  };
}

describe('progressLine', () => {
  it('shows a bar, the percentage, the rate and an ETA when the total is known', () => {
    // 2,500 of 10,000 rows in 10 s: 250 rows/s, 7,500 left -> 30 s.
    const line = progressLine(
      job({ rows: 2500, pages: 5, expectedRows: 10_000, expectedRelation: 'eq' }),
      START + 10_000,
      200,
    );
    expect(line).toBe(
      'downloading [#####---------------]  25% 2,500 / 10,000 rows · 5 pages · 250 rows/s · ETA 30s',
    );
  });

  it('writes longer ETAs in minutes and hours', () => {
    const minutes = progressLine(job({ rows: 100, expectedRows: 10_000 }), START + 10_000, 200);
    expect(minutes).toContain('ETA 16m30s'); // 9,900 rows at 10 rows/s
    const hours = progressLine(job({ rows: 10, expectedRows: 100_000 }), START + 10_000, 200);
    expect(hours).toContain('ETA 27h46m'); // 99,990 rows at 1 row/s
  });

  it('rounds an ETA to whole seconds before splitting it, never showing "60s"', () => {
    // 10 rows/s: 596 rows left is 59.6 s, 1,196 rows left is 119.6 s.
    expect(progressLine(job({ rows: 100, expectedRows: 696 }), START + 10_000, 200)).toMatch(/ETA 1m00s$/);
    expect(progressLine(job({ rows: 100, expectedRows: 1296 }), START + 10_000, 200)).toMatch(/ETA 2m00s$/);
    expect(progressLine(job({ rows: 100, expectedRows: 5996 }), START + 10_000, 200)).toMatch(/ETA 9m50s$/);
  });

  it('shows a full bar and no ETA once every expected row is in', () => {
    const line = progressLine(job({ rows: 500, pages: 1, expectedRows: 500 }), START + 1000, 200);
    expect(line).toContain('[####################] 100%');
    expect(line).not.toContain('ETA');
  });

  it('marks a lower bound with ≥ and draws no bar or ETA for it', () => {
    const line = progressLine(
      job({ rows: 4000, pages: 4, expectedRows: 10_000, expectedRelation: 'gte' }),
      START + 4000,
      200,
    );
    expect(line).toContain('4,000 / ≥10,000 rows');
    expect(line).not.toMatch(/[[\]%]/);
    expect(line).not.toContain('ETA');
  });

  it('shows only counts while the total is unknown', () => {
    const line = progressLine(job({ rows: 1234, pages: 3 }), START + 2000, 200);
    expect(line).toBe('downloading 1,234 rows · 3 pages · 617 rows/s');
  });

  it('says when the next check of a remote job is due', () => {
    const line = progressLine(
      job({}, { state: 'waiting', nextPollAt: new Date(START + 90_000).toISOString() }),
      START + 60_000,
      200,
    );
    expect(line).toMatch(/^waiting\s+0 rows .*next check in 30s$/);
  });

  it('says "now" once the check is due, and nothing of checks once the job no longer waits', () => {
    const due = new Date(START + 30_000).toISOString();
    const waiting = progressLine(job({}, { state: 'waiting', nextPollAt: due }), START + 31_000, 200);
    expect(waiting).toMatch(/ · checking now$/);
    for (const state of ['downloading', 'ready', 'failed', 'cancelled'] as const) {
      const line = progressLine(job({ rows: 10 }, { state, nextPollAt: due }), START + 31_000, 200);
      expect(line).not.toContain('check');
    }
  });

  it('names the vendor limit holding the export back, with its countdown, as the window does', () => {
    const rule = 'CXone allows one call per 30 s per tenant';
    const nextAt = new Date(START + 87_000).toISOString();
    const paced = progressLine(
      job({}, { state: 'submitting', wait: { kind: 'pace', rule, scope: 'tenant', nextAt } }),
      START + 60_000,
      200,
    );
    expect(paced).toMatch(/ · CXone allows one call per 30 s per tenant — next call in 27 s$/);
    const behind = progressLine(
      job({}, { state: 'waiting', nextPollAt: nextAt, wait: { kind: 'turn', rule, scope: 'tenant' } }),
      START + 60_000,
      200,
    );
    expect(behind).toContain("Waiting for the tenant's slot, behind another export on this tenant");
    expect(behind).not.toContain('next check');
    const done = progressLine(
      job({}, { state: 'failed', wait: { kind: 'pace', rule, scope: 'tenant' } }),
      START,
      200,
    );
    expect(done).not.toContain(rule);
  });

  it('in plain mode writes a line when a vendor limit starts holding the export back', () => {
    const clock = { now: START };
    const { io, progress } = reporter('plain', clock);
    const wait = { kind: 'pace' as const, rule: 'Omni allows 60 requests a minute per key', scope: 'key' };
    progress.job(job({ rows: 100 }, { state: 'downloading' }));
    clock.now += 100;
    progress.job(job({ rows: 100 }, { state: 'downloading', wait }));
    clock.now += 100;
    progress.job(job({ rows: 100 }, { state: 'downloading', wait }));
    clock.now += 100;
    progress.job(job({ rows: 200 }, { state: 'downloading' }));
    const lines = io.err.text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Omni allows 60 requests a minute per key — next call now');
    expect(lines[2]).not.toContain('Omni allows');
  });

  it('writes one page and one row in the singular', () => {
    const line = progressLine(job({ rows: 1, pages: 1 }), START + 1000, 200);
    expect(line).toBe('downloading 1 row · 1 page · 1 rows/s');
    expect(progressLine(job({ rows: 1, pages: 1, expectedRows: 5 }), START + 1000, 200)).toContain(
      '1 / 5 rows · 1 page ·',
    );
  });

  it('counts files, not pages, for vendors whose results come as files', () => {
    const recipe = (provider: string) => ({ ...job().recipe, provider });
    const files = (provider: string, pages: number) =>
      progressLine(job({ rows: 10, pages }, { recipe: recipe(provider) }), START + 1000, 200);
    expect(files('intelepeer', 3)).toContain(' · 3 files · ');
    expect(files('intelepeer', 1)).toContain(' · 1 file · ');
    expect(files('cxone', 2)).toContain(' · 2 files · ');
    expect(files('omni', 2)).toContain(' · 2 pages · ');
  });

  it('fits the terminal width, ending a cut line with …', () => {
    const j = job({ rows: 2500, pages: 5, expectedRows: 10_000 });
    const full = progressLine(j, START + 10_000, 500);
    expect(full.length).toBeGreaterThan(40);
    const cut = progressLine(j, START + 10_000, 40);
    expect(cut).toHaveLength(40);
    expect(cut.endsWith('…')).toBe(true);
    expect(full.startsWith(cut.slice(0, -1))).toBe(true);
    expect(progressLine(j, START + 10_000, full.length)).toBe(full);
  });
});

function reporter(mode: 'tty' | 'plain' | 'json', clock: { now: number }) {
  const io = testIO({ cwd: '/' });
  return { io, progress: new ProgressReporter(io, mode, () => clock.now) };
}

describe('ProgressReporter', () => {
  it('in plain mode writes a line when the state changes, not on every update', () => {
    const clock = { now: START };
    const { io, progress } = reporter('plain', clock);
    const update = (state: JobState, rows: number) => {
      progress.job(job({ rows, pages: rows / 100 }, { state }));
      clock.now += 100;
    };
    update('queued', 0);
    for (let rows = 100; rows <= 2000; rows += 100) update('downloading', rows);
    update('ready', 2000);
    const lines = io.err.text.trimEnd().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['queued', 'downloading', 'ready']);
    expect(lines[1]).toContain('100 rows');
    expect(io.out.text).toBe('');
  });

  it('in plain mode repeats the line every 5 seconds while the state stays the same', () => {
    const clock = { now: START };
    const { io, progress } = reporter('plain', clock);
    for (let s = 0; s <= 12; s++) {
      progress.job(job({ rows: s * 10 }));
      clock.now += 1000;
    }
    // At 0 s, 5 s and 10 s.
    expect(
      io.err.text
        .trimEnd()
        .split('\n')
        .map((l) => /(\d+) rows/.exec(l)?.[1]),
    ).toEqual(['0', '50', '100']);
  });

  it('on a terminal redraws one line in place and ends it before a message', () => {
    const clock = { now: START + 1000 };
    const { io, progress } = reporter('tty', clock);
    io.stderr.columns = 30;
    progress.job(job({ rows: 10 }));
    progress.job(job({ rows: 20 }));
    progress.say('Saved 20 rows');
    const draws = io.err.text.split('\r\x1b[2K').slice(1);
    expect(draws).toHaveLength(2);
    expect(draws[0]).toHaveLength(29);
    expect(draws[1]).toMatch(/…\nSaved 20 rows\n$/);
  });

  it('in json mode writes one JSON object per line on stdout and nothing for people', () => {
    const clock = { now: START };
    const { io, progress } = reporter('json', clock);
    progress.job(job({ rows: 0 }, { state: 'queued' }));
    progress.job(job({ rows: 500, pages: 1, expectedRows: 1000, expectedRelation: 'eq' }));
    progress.job(job({ rows: 600, pages: 2, expectedRows: 1000, expectedRelation: 'eq' }));
    progress.say('Saved 1,000 rows');
    progress.event({ event: 'saved', id: 'x', rows: 1000 });
    expect(io.err.text).toBe('');
    const lines = io.out.text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events[0]).toMatchObject({ event: 'job', state: 'queued', counters: { rows: 0 } });
    expect(events[2]).toMatchObject({
      event: 'job',
      state: 'downloading',
      counters: { rows: 600, pages: 2, expectedRows: 1000 },
    });
    expect(events[3]).toEqual({ event: 'saved', id: 'x', rows: 1000 });
  });

  it('picks json with --json, a terminal redraw on a TTY and plain lines otherwise', () => {
    const io = testIO({ cwd: '/' });
    ProgressReporter.for(io, true).job(job());
    expect(io.out.text).toMatch(/^\{"event":"job"/);
    ProgressReporter.for(io, false).job(job());
    expect(io.err.text).toMatch(/^downloading .*\n$/);
    io.stderr.isTTY = true;
    ProgressReporter.for(io, false).job(job());
    expect(io.err.text).toContain('\r\x1b[2K');
  });
});
