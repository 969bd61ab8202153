/**
 * What a person picks in the date-range control and what each vendor is sent: days as UTC days, times on
 * the user's own clock (a named zone, DST included), included ends at their last moment, and back again.
 */
import { describe, expect, it } from 'vitest';
import { fromWire, toWire, type DateRangeSpec } from '../../shared/date-range.ts';
import { cxoneProvider } from '../../shared/providers/cxone.ts';
import { intelepeerProvider } from '../../shared/providers/intelepeer.ts';
import { myreportsProvider } from '../../shared/providers/myreports.ts';
import { omniqProvider } from '../../shared/providers/omniq.ts';
import type { ProviderDefinition } from '../../shared/providers/types.ts';
import { instantOf, withOffset } from '../../shared/zoned-time.ts';

function specOf(p: ProviderDefinition): DateRangeSpec {
  const spec = p.queryFields.find((f) => f.kind === 'date-range')?.dateRange;
  if (!spec) throw new Error(`${p.name} has no date range`);
  return spec;
}
const omniq = specOf(omniqProvider);
const cxone = specOf(cxoneProvider);
const xarios = specOf(myreportsProvider);
const intelepeer = specOf(intelepeerProvider);

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

describe('times on the user’s clock', () => {
  it('are sent to OmniQ as UTC instants, the end at its minute’s last millisecond', () => {
    expect(toWire(omniq, '2025-09-01T00:00', false, BERLIN)).toBe('2025-08-31T22:00:00.000Z');
    expect(toWire(omniq, '2025-09-30T23:59', true, BERLIN)).toBe('2025-09-30T21:59:59.999Z');
    expect(toWire(omniq, '2025-01-15T09:30', false, NEW_YORK)).toBe('2025-01-15T14:30:00.000Z');
    expect(toWire(omniq, '2025-07-15T09:30', false, NEW_YORK)).toBe('2025-07-15T13:30:00.000Z');
  });

  it('are sent to IntelePeer to the second, the end at its minute’s last second', () => {
    expect(toWire(intelepeer, '2025-09-01T00:00', false, BERLIN)).toBe('2025-08-31T22:00:00Z');
    expect(toWire(intelepeer, '2025-09-01T00:00', true, BERLIN)).toBe('2025-08-31T22:00:59Z');
  });

  it('are sent to Xarios with the offset of the user’s zone on that day, the end not included', () => {
    expect(toWire(xarios, '2025-09-01T00:00', false, 'Europe/London')).toBe('2025-09-01T00:00:00+01:00');
    expect(toWire(xarios, '2025-12-01T00:00', true, 'Europe/London')).toBe('2025-12-01T00:00:00+00:00');
    expect(toWire(xarios, '2025-09-01T00:00', false, NEW_YORK)).toBe('2025-09-01T00:00:00-04:00');
    expect(toWire(xarios, '2025-09-01T00:00', false, 'UTC')).toBe('2025-09-01T00:00:00+00:00');
  });

  it('take a time that does not exist on a spring-forward night as far past the gap as it was into it', () => {
    // Berlin, 2025-03-30: 02:00 CET becomes 03:00 CEST.
    expect(toWire(omniq, '2025-03-30T01:59', false, BERLIN)).toBe('2025-03-30T00:59:00.000Z');
    expect(toWire(omniq, '2025-03-30T02:30', false, BERLIN)).toBe('2025-03-30T01:30:00.000Z');
    expect(toWire(omniq, '2025-03-30T03:00', false, BERLIN)).toBe('2025-03-30T01:00:00.000Z');
    // New York, 2025-03-09: 02:00 EST becomes 03:00 EDT.
    expect(toWire(xarios, '2025-03-09T02:30', false, NEW_YORK)).toBe('2025-03-09T03:30:00-04:00');
  });

  it('take a time that occurs twice on a fall-back night at its first occurrence', () => {
    // Berlin, 2025-10-26: 03:00 CEST becomes 02:00 CET; 02:30 happens at 00:30Z and again at 01:30Z.
    expect(toWire(omniq, '2025-10-26T02:30', false, BERLIN)).toBe('2025-10-26T00:30:00.000Z');
    expect(toWire(xarios, '2025-10-26T02:30', false, BERLIN)).toBe('2025-10-26T02:30:00+02:00');
    expect(toWire(omniq, '2025-10-26T03:00', false, BERLIN)).toBe('2025-10-26T02:00:00.000Z');
    // A range over the night is 25 hours long.
    const from = toWire(omniq, '2025-10-26T00:00', false, BERLIN) ?? '';
    const to = toWire(omniq, '2025-10-27T00:00', false, BERLIN) ?? '';
    expect((Date.parse(to) - Date.parse(from)) / 3_600_000).toBe(25);
  });

  it('refuse text that is no time, or a day that does not exist', () => {
    expect(toWire(omniq, '', false, BERLIN)).toBeUndefined();
    expect(toWire(omniq, '2025-02-30T10:00', false, BERLIN)).toBeUndefined();
    expect(toWire(omniq, '2025-02-01T24:00', false, BERLIN)).toBeUndefined();
    expect(fromWire(omniq, 'yesterday', false, BERLIN)).toBeUndefined();
  });
});

describe('UTC days', () => {
  it('are sent to CXone as they are picked, in any zone', () => {
    for (const zone of ['UTC', BERLIN, NEW_YORK, 'Pacific/Kiritimati']) {
      expect(toWire(cxone, '2025-09-01', false, zone)).toBe('2025-09-01');
      expect(toWire(cxone, '2025-09-30', true, zone)).toBe('2025-09-30');
    }
    expect(toWire(cxone, '2025-02-29', false, 'UTC')).toBeUndefined();
  });

  it('end the day after the last one picked where the tenant reads endDate as the first day not extracted', () => {
    const q = { endDateMeaning: 'exclusive' };
    expect(toWire(cxone, '2025-09-30', true, 'UTC', q)).toBe('2025-10-01');
    expect(fromWire(cxone, '2025-10-01', true, 'UTC', q)).toBe('2025-09-30');
    expect(toWire(cxone, '2025-09-01', false, 'UTC', q)).toBe('2025-09-01');
  });
});

describe('what the control shows converts back to the same value', () => {
  const cases: Array<[string, DateRangeSpec, string, boolean]> = [
    ['an OmniQ start', omniq, '2025-05-20T00:00:00.000Z', false],
    ['an OmniQ end of day', omniq, '2025-05-31T23:59:59.999Z', true],
    ['an OmniQ end on the hour', omniq, '2025-05-31T00:00:00.000Z', true],
    ['an OmniQ start with seconds', omniq, '2025-05-20T10:00:30.000Z', false],
    ['an OmniQ start with milliseconds', omniq, '2025-05-20T10:00:30.250Z', false],
    ['an IntelePeer start', intelepeer, '2019-11-25T00:00:00Z', false],
    ['an IntelePeer end on the hour', intelepeer, '2019-11-26T00:00:00Z', true],
    ['an IntelePeer end of minute', intelepeer, '2019-11-26T00:00:59Z', true],
    ['a CXone day', cxone, '2025-05-22', false],
    ['a CXone end day', cxone, '2025-05-29', true],
    ['an OmniQ end at the fall-back hour', omniq, '2025-10-26T00:30:59.999Z', true],
  ];
  for (const zone of ['UTC', BERLIN, NEW_YORK]) {
    for (const [what, spec, wire, end] of cases) {
      it(`${what}, in ${zone}`, () => {
        const shown = fromWire(spec, wire, end, zone);
        expect(shown).toBeDefined();
        expect(toWire(spec, shown ?? '', end, zone)).toBe(wire);
      });
    }
  }

  it('a UTC recipe shows the times a Berlin clock shows', () => {
    expect(fromWire(omniq, '2025-05-20T00:00:00.000Z', false, BERLIN)).toBe('2025-05-20T02:00');
    expect(fromWire(omniq, '2025-05-31T23:59:59.999Z', true, BERLIN)).toBe('2025-06-01T01:59');
    expect(fromWire(omniq, '2025-05-31T23:59:59.999Z', true, 'UTC')).toBe('2025-05-31T23:59');
  });

  it('a Xarios time keeps its instant, written with the user’s offset', () => {
    const wire = '2025-09-01T00:00:00+01:00';
    const shown = fromWire(xarios, wire, false, BERLIN);
    expect(shown).toBe('2025-09-01T01:00');
    const back = toWire(xarios, shown ?? '', false, BERLIN) ?? '';
    expect(back).toBe('2025-09-01T01:00:00+02:00');
    expect(Date.parse(back)).toBe(Date.parse(wire));
    // In the zone it was written in, the same text comes back.
    expect(toWire(xarios, fromWire(xarios, wire, false, 'Europe/London') ?? '', false, 'Europe/London')).toBe(
      wire,
    );
  });
});

describe('zone arithmetic', () => {
  it('gives each wall-clock time of a year in Berlin back as written', () => {
    for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2026, 0, 1); ms += 3_600_000 * 7) {
      const text = withOffset(ms, BERLIN);
      const m = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)/.exec(text);
      if (!m) throw new Error(text);
      const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as number[];
      const back = instantOf(
        { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second!, ms: 0 },
        BERLIN,
      );
      // Only the repeated hour of the fall-back night has two answers; the first is taken.
      if (back !== ms) expect(ms - back).toBe(3_600_000);
      expect(Date.parse(text)).toBe(ms);
    }
  });
});
