import { describe, expect, it } from 'vitest';
import { whenInWords } from '../../../renderer/features/schedules/schedule-words.ts';
import { nextRunAt } from '../../../shared/schedule-timing.ts';

describe('a schedule’s first run in words', () => {
  const now = Date.parse('2026-12-02T10:00:00Z'); // a Wednesday

  it('a daily run at a time that has passed today is tomorrow, on the zone’s clock', () => {
    const at = nextRunAt({ every: 'day', at: '06:00' }, 'Europe/Paris', now);
    expect(new Date(at).toISOString()).toBe('2026-12-03T05:00:00.000Z');
    expect(whenInWords(at, 'Europe/Paris', now)).toBe('Thursday 3 December at 06:00 (Europe/Paris)');
  });

  it('a daily run later today is today', () => {
    const at = nextRunAt({ every: 'day', at: '18:30' }, 'America/New_York', now);
    expect(new Date(at).toISOString()).toBe('2026-12-02T23:30:00.000Z');
  });

  it('a weekly run is on its day', () => {
    const at = nextRunAt({ every: 'week', on: 'mon', at: '07:15' }, 'UTC', now);
    expect(whenInWords(at, 'UTC', now)).toBe('Monday 7 December at 07:15 (UTC)');
  });

  it('an hourly run is at its minute of the next hour that has one left', () => {
    expect(new Date(nextRunAt({ every: 'hour', minute: 15 }, 'UTC', now)).toISOString()).toBe(
      '2026-12-02T10:15:00.000Z',
    );
    expect(new Date(nextRunAt({ every: 'hour', minute: 0 }, 'Asia/Kolkata', now)).toISOString()).toBe(
      '2026-12-02T10:30:00.000Z',
    );
  });

  it('a wall time that does not exist on a spring-forward night runs at the end of the gap, as the scheduler runs it', () => {
    const before = Date.parse('2027-03-27T12:00:00Z');
    const at = nextRunAt({ every: 'day', at: '02:30' }, 'Europe/Paris', before);
    expect(new Date(at).toISOString()).toBe('2027-03-28T01:00:00.000Z');
    expect(whenInWords(at, 'Europe/Paris', now)).toBe('Sunday 28 March 2027 at 03:00 (Europe/Paris)');
  });

  it('says the year when it is not this one', () => {
    const at = nextRunAt({ every: 'day', at: '06:00' }, 'UTC', Date.parse('2026-12-31T12:00:00Z'));
    expect(whenInWords(at, 'UTC', now)).toBe('Friday 1 January 2027 at 06:00 (UTC)');
  });
});
