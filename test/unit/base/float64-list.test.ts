import { describe, expect, it } from 'vitest';
import { Float64List } from '../../../electron/base/float64-list.ts';

describe('Float64List', () => {
  it('keeps every number in order as it grows, and truncates', () => {
    const list = new Float64List();
    const expected: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const triple = [i * 3 + 2 ** 40, i, -1];
      list.push(...triple);
      expected.push(...triple);
    }
    list.pushAll(Array.from({ length: 3000 }, (_, i) => i / 7));
    expected.push(...Array.from({ length: 3000 }, (_, i) => i / 7));
    expect(list.length).toBe(expected.length);
    expect(Array.from(list.view())).toEqual(expected);
    expect(list.at(3)).toBe(expected[3]);
    list.truncate(9);
    expect(Array.from(list.view())).toEqual(expected.slice(0, 9));
    list.truncate(100);
    expect(list.length).toBe(9);
  });
});
