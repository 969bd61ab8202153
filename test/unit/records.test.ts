import { describe, expect, it } from 'vitest';
import {
  cellText,
  ColumnTracker,
  flattenRow,
  guardFormula,
  jsonText,
  wouldGuard,
} from '../../shared/records.ts';

describe('flattenRow', () => {
  it('turns nested objects into dotted columns and keeps leaves as they are', () => {
    const flat = flattenRow({
      id: 7,
      workflow: { name: 'Sales', attrs: { contact: { email: 'a@b.io', vip: true } } },
      note: null,
    });
    expect({ ...flat }).toEqual({
      id: 7,
      'workflow.name': 'Sales',
      'workflow.attrs.contact.email': 'a@b.io',
      'workflow.attrs.contact.vip': true,
      note: null,
    });
    expect(Object.keys(flat)).toEqual([
      'id',
      'workflow.name',
      'workflow.attrs.contact.email',
      'workflow.attrs.contact.vip',
      'note',
    ]);
  });

  it('writes arrays as JSON text with bigints exact, and drops empty objects', () => {
    const flat = flattenRow({
      tags: ['a', { b: 1 }],
      ids: [12345678901234567890n, 1],
      empty: {},
      deep: { e: {} },
    });
    expect({ ...flat }).toEqual({ tags: '["a",{"b":1}]', ids: '[12345678901234567890,1]' });
  });

  it('joins the lists of names a provider names into one cell, and only those', () => {
    const row = {
      labels: ['Finance', 'R&D; Ops', 3],
      tags: ['a', 'b'],
      mixed: ['a', { b: 1 }],
      nested: { l: ['x', 'y'] },
    };
    const flat = flattenRow(row, ['labels', 'mixed', 'nested.l', 'absent']);
    expect({ ...flat }).toEqual({
      labels: 'Finance; R&D; Ops; 3',
      tags: '["a","b"]',
      mixed: '["a",{"b":1}]',
      'nested.l': 'x; y',
    });
  });

  it('keeps a bigint as a bigint and survives hostile key names', () => {
    const row = JSON.parse('{"__proto__": {"x": 1}, "constructor": "c", "n": 1}') as Record<string, unknown>;
    row.big = 12345678901234567890n;
    const flat = flattenRow(row);
    expect(flat['__proto__.x']).toBe(1);
    expect(flat.constructor).toBe('c');
    expect(flat.big).toBe(12345678901234567890n);
    expect(flat.toString).toBeUndefined();
  });
});

describe('jsonText', () => {
  it('matches JSON.stringify without bigints and writes bigints raw, nested and negative', () => {
    const plain = { a: [1, 'x', null, { b: undefined }], s: 'bigint~"quoted"' };
    expect(jsonText(plain)).toBe(JSON.stringify(plain));
    const value = {
      a: 12345678901234567890n,
      b: [-98765432109876543210n, { c: 1n }],
      s: '12345678901234567890',
    };
    expect(jsonText(value)).toBe(
      '{"a":12345678901234567890,"b":[-98765432109876543210,{"c":1}],"s":"12345678901234567890"}',
    );
    // Still exact for rows after the first bigint, with or without one.
    expect(jsonText(plain)).toBe(JSON.stringify(plain));
    expect(jsonText([2n ** 70n])).toBe('[1180591620717411303424]');
  });
});

describe('ColumnTracker', () => {
  it('keeps first-seen order with sparse rows: a key first seen late comes last', () => {
    const tracker = new ColumnTracker();
    const pages = [
      [{ id: 1, name: 'a' }, { id: 2 }],
      [
        { name: 'b', id: 3 },
        { id: 4, email: null },
      ],
      [{ zeta: 1, id: 5, name: 'c' }, { alpha: 2 }],
    ];
    const seen: string[][] = [];
    for (const page of pages) {
      for (const row of page) tracker.add(Object.keys(flattenRow(row)));
      seen.push([...tracker.columns]);
    }
    expect(seen).toEqual([
      ['id', 'name'],
      ['id', 'name', 'email'],
      ['id', 'name', 'email', 'zeta', 'alpha'],
    ]);
    expect(tracker.columns.length).toBe(5);
    expect(ColumnTracker.from(['b', 'a', 'b']).columns).toEqual(['b', 'a']);
  });
});

describe('cellText', () => {
  it('writes exact text for every cell type', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText(12345678901234567890n)).toBe('12345678901234567890');
    expect(cellText(-0.5)).toBe('-0.5');
    expect(cellText(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(cellText(true)).toBe('true');
    expect(cellText(false)).toBe('false');
    expect(cellText('x')).toBe('x');
  });
});

describe('guardFormula', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ["=cmd|' /C calc'!A0", `'=cmd|' /C calc'!A0`],
    ['-2+3', "'-2+3"],
    ['@SUM(1)', "'@SUM(1)"],
    ['+1 555 (call)', "'+1 555 (call)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['\0x', "'\0x"],
    ['+', "'+"],
    ['-', "'-"],
    ['\uFF1D1+1', "'\uFF1D1+1"],
    // LibreOffice with "Trim spaces" runs this one as a formula (test/unit/formula-guard.test.ts).
    [' =after a space', "' =after a space"],
  ])('guards %j', (input, guarded) => {
    expect(guardFormula(input)).toBe(guarded);
    expect(wouldGuard(input)).toBe(true);
  });

  it.each([
    '-12.5',
    '+15551234567',
    '1e5',
    '-1.5E-3',
    '+.5',
    'plain',
    '',
    'x =not at start',
    ' -12.5',
    'a=b',
    '12345678901234567890',
  ])('leaves %j readable', (input) => {
    expect(guardFormula(input)).toBe(input);
    expect(wouldGuard(input)).toBe(false);
  });
});
