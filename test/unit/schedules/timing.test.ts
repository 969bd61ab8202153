import { describe, expect, it } from 'vitest';
import type { ScheduleTiming } from '../../../shared/schedules.ts';
import { latestSlotAtOrBefore, nextRunAt } from '../../../shared/schedule-timing.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

/** The next `n` slots after `from`, each found from the one before. */
function slots(timing: ScheduleTiming, zone: string, from: string, n: number): string[] {
  const out: string[] = [];
  let t = at(from);
  for (let i = 0; i < n; i++) {
    t = nextRunAt(timing, zone, t);
    out.push(iso(t));
  }
  return out;
}

describe('nextRunAt in UTC', () => {
  it('runs an hourly schedule at its minute past each hour, strictly after the given instant', () => {
    const hourly = { every: 'hour', minute: 15 } as const;
    expect(slots(hourly, 'UTC', '2026-12-04T23:15:00.000Z', 3)).toEqual([
      '2026-12-05T00:15:00.000Z',
      '2026-12-05T01:15:00.000Z',
      '2026-12-05T02:15:00.000Z',
    ]);
    expect(iso(nextRunAt(hourly, 'UTC', at('2026-12-04T23:14:59.999Z')))).toBe('2026-12-04T23:15:00.000Z');
  });

  it('runs a daily schedule at its time each day', () => {
    expect(slots({ every: 'day', at: '06:00' }, 'UTC', '2026-12-31T06:00:00.000Z', 2)).toEqual([
      '2027-01-01T06:00:00.000Z',
      '2027-01-02T06:00:00.000Z',
    ]);
  });

  it('runs a weekly schedule on its day only', () => {
    // 2026-12-04 is a Friday.
    expect(slots({ every: 'week', on: 'mon', at: '06:00' }, 'UTC', '2026-12-04T00:00:00.000Z', 3)).toEqual([
      '2026-12-07T06:00:00.000Z',
      '2026-12-14T06:00:00.000Z',
      '2026-12-21T06:00:00.000Z',
    ]);
    expect(
      iso(nextRunAt({ every: 'week', on: 'fri', at: '06:00' }, 'UTC', at('2026-12-04T05:00:00.000Z'))),
    ).toBe('2026-12-04T06:00:00.000Z');
  });

  it('finds the latest slot at or before an instant, that instant included', () => {
    const daily = { every: 'day', at: '06:00' } as const;
    expect(iso(latestSlotAtOrBefore(daily, 'UTC', at('2026-12-04T06:00:00.000Z')))).toBe(
      '2026-12-04T06:00:00.000Z',
    );
    expect(iso(latestSlotAtOrBefore(daily, 'UTC', at('2026-12-04T05:59:59.999Z')))).toBe(
      '2026-12-03T06:00:00.000Z',
    );
    const weekly = { every: 'week', on: 'sun', at: '23:30' } as const;
    expect(iso(latestSlotAtOrBefore(weekly, 'UTC', at('2026-12-04T12:00:00.000Z')))).toBe(
      '2026-11-29T23:30:00.000Z',
    );
  });
});

describe('nextRunAt in zones with daylight saving time', () => {
  it('keeps a daily time on the wall clock of Europe/Paris across both changes', () => {
    // 06:00 is 05:00Z in winter, 04:00Z in summer; the clocks go forward on 2026-03-29.
    expect(slots({ every: 'day', at: '06:00' }, 'Europe/Paris', '2026-03-28T00:00:00.000Z', 3)).toEqual([
      '2026-03-28T05:00:00.000Z',
      '2026-03-29T04:00:00.000Z',
      '2026-03-30T04:00:00.000Z',
    ]);
    expect(slots({ every: 'day', at: '06:00' }, 'Europe/Paris', '2026-10-24T00:00:00.000Z', 2)).toEqual([
      '2026-10-24T04:00:00.000Z',
      '2026-10-25T05:00:00.000Z',
    ]);
  });

  it('runs a time the clocks skip at the first instant after the gap (Europe/Paris)', () => {
    // 02:30 does not exist on 2026-03-29: the clocks go from 02:00 CET to 03:00 CEST (01:00Z).
    expect(slots({ every: 'day', at: '02:30' }, 'Europe/Paris', '2026-03-28T12:00:00.000Z', 2)).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('runs a time the clocks show twice once, at the first (Europe/Paris)', () => {
    // 02:30 happens at 00:30Z (summer time) and again at 01:30Z (winter time) on 2026-10-25.
    expect(slots({ every: 'day', at: '02:30' }, 'Europe/Paris', '2026-10-24T12:00:00.000Z', 2)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('runs an hourly schedule once in the repeated hour and at the gap in the skipped one (America/New_York)', () => {
    const hourly = { every: 'hour', minute: 30 } as const;
    // 2026-11-01: 01:00-01:59 EDT (05:00Z-05:59Z) is followed by 01:00-01:59 EST (06:00Z-06:59Z).
    expect(slots(hourly, 'America/New_York', '2026-11-01T04:00:00.000Z', 3)).toEqual([
      '2026-11-01T04:30:00.000Z', // 00:30 EDT
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, the first of the two
      '2026-11-01T07:30:00.000Z', // 02:30 EST
    ]);
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z); 02:30 runs at 03:00.
    expect(slots(hourly, 'America/New_York', '2026-03-08T06:00:00.000Z', 3)).toEqual([
      '2026-03-08T06:30:00.000Z', // 01:30 EST
      '2026-03-08T07:00:00.000Z', // the gap's end, for 02:30
      '2026-03-08T07:30:00.000Z', // 03:30 EDT
    ]);
  });

  it('finds the latest slot across a change of offset (America/New_York)', () => {
    const weekly = { every: 'week', on: 'sun', at: '02:30' } as const;
    expect(iso(latestSlotAtOrBefore(weekly, 'America/New_York', at('2026-03-08T12:00:00.000Z')))).toBe(
      '2026-03-08T07:00:00.000Z',
    );
    expect(iso(latestSlotAtOrBefore(weekly, 'America/New_York', at('2026-03-08T06:59:59.999Z')))).toBe(
      '2026-03-01T07:30:00.000Z',
    );
  });
});
