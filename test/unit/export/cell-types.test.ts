import { describe, expect, it } from 'vitest';
import {
  ColumnKinds,
  isIdentifierColumn,
  mergeKinds,
  parseTime,
  valueKind,
} from '../../../electron/export/cell-types.ts';

describe('valueKind', () => {
  it('takes a JSON value’s own type, and looks in its strings only for dates and times', () => {
    expect(valueKind(42, false)).toBe('integer');
    expect(valueKind(4.5, false)).toBe('number');
    expect(valueKind(true, false)).toBe('boolean');
    expect(valueKind(null, false)).toBe('empty');
    expect(valueKind(undefined, false)).toBe('empty');
    expect(valueKind(2n ** 60n, false)).toBe('bigint');
    expect(valueKind(2n ** 64n, false)).toBe('text');
    expect(valueKind('42', false)).toBe('text');
    expect(valueKind('true', false)).toBe('text');
    expect(valueKind('2025-05-03', false)).toBe('date');
    expect(valueKind('2025-05-03T10:00:00.123Z', false)).toBe('timestamp');
  });

  it('reads CSV text as a number, boolean, date or time only where nothing is lost', () => {
    expect(valueKind('42', true)).toBe('integer');
    expect(valueKind('-17', true)).toBe('integer');
    expect(valueKind('3.25', true)).toBe('number');
    expect(valueKind('1e3', true)).toBe('number');
    expect(valueKind('9007199254740993', true)).toBe('bigint');
    expect(valueKind('99999999999999999999', true)).toBe('text');
    expect(valueKind('007', true)).toBe('text');
    expect(valueKind('0.12345678901234567', true)).toBe('text');
    expect(valueKind('+44 20 7946 0000', true)).toBe('text');
    expect(valueKind('true', true)).toBe('boolean');
    expect(valueKind('Yes', true)).toBe('text');
    expect(valueKind('', true)).toBe('empty');
    expect(valueKind('2025-02-29', true)).toBe('text');
    expect(valueKind('2024-02-29', true)).toBe('date');
    expect(valueKind('2025-09-01 08:30:00', true)).toBe('timestamp');
    expect(valueKind('2025-09-01T08:30:00+02:00', true)).toBe('timestamp');
    expect(valueKind('2025-09-01T24:30:00', true)).toBe('text');
    expect(valueKind('=1+1', true)).toBe('text');
  });
});

describe('a column’s kind', () => {
  it('widens integers to numbers or bigints and dates to times, and is text when kinds mix', () => {
    expect(mergeKinds('integer', 'number')).toBe('number');
    expect(mergeKinds('integer', 'bigint')).toBe('bigint');
    expect(mergeKinds('bigint', 'number')).toBe('text');
    expect(mergeKinds('date', 'timestamp')).toBe('timestamp');
    expect(mergeKinds('integer', 'text')).toBe('text');
    expect(mergeKinds('boolean', 'integer')).toBe('text');
    expect(mergeKinds('empty', 'date')).toBe('date');
    expect(mergeKinds('date', 'empty')).toBe('date');
  });

  it('folds every value, empty cells aside, and keeps identifier columns as text', () => {
    const kinds = new ColumnKinds(true);
    for (const [duration, id, when] of [
      ['12', '1001', '2025-09-01'],
      ['', '1002', '2025-09-01 10:00:00'],
      ['7.5', '1003', ''],
    ]) {
      kinds.add('duration', duration);
      kinds.add('contactId', id);
      kinds.add('startedAt', when);
    }
    expect(kinds.kindOf('duration')).toBe('number');
    expect(kinds.kindOf('contactId')).toBe('text');
    expect(kinds.kindOf('startedAt')).toBe('timestamp');
    expect(kinds.kindOf('never.seen')).toBe('empty');
  });

  it('knows identifier and phone columns by name, not amounts that happen to end alike', () => {
    for (const name of [
      'id',
      'contactId',
      'agent_id',
      'agent.id',
      'ANI',
      'dnis',
      'phoneNumber',
      'zip',
      'callerID',
    ])
      expect(isIdentifierColumn(name), name).toBe(true);
    for (const name of ['paid', 'valid', 'duration', 'handleTime', 'android', 'casino', 'total'])
      expect(isIdentifierColumn(name), name).toBe(false);
  });
});

describe('parseTime', () => {
  it('keeps the written wall clock and its offset apart', () => {
    expect(parseTime('2025-05-03')).toEqual({
      wallMs: Date.UTC(2025, 4, 3),
      micros: 0,
      offsetMinutes: undefined,
    });
    expect(parseTime('2025-05-03T10:20:30.123456+05:30')).toEqual({
      wallMs: Date.UTC(2025, 4, 3, 10, 20, 30, 123),
      micros: 456,
      offsetMinutes: 330,
    });
    expect(parseTime('2025-05-03 10:20Z')?.offsetMinutes).toBe(0);
    expect(parseTime('2025-05-03T10:20:30-0800')?.offsetMinutes).toBe(-480);
    // Years before 100 are not taken as 19xx.
    expect(parseTime('0099-01-01')?.wallMs).toBe(new Date('0099-01-01T00:00:00Z').getTime());
    expect(parseTime('yesterday')).toBeUndefined();
  });
});
