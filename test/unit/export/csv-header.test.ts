import { describe, expect, it } from 'vitest';
import { headerMismatch, uniqueColumnNames } from '../../../electron/export/csv-header.ts';

describe('a CSV header', () => {
  it('makes repeated column names unique without hiding a column', () => {
    expect(uniqueColumnNames(['Name', 'Name', 'Name (2)', 'Name'])).toEqual([
      'Name',
      'Name (3)',
      'Name (2)',
      'Name (4)',
    ]);
    expect(uniqueColumnNames(['a', 'a', 'a'])).toEqual(['a', 'a (2)', 'a (3)']);
  });

  it("names where a later file's header differs from the first file's", () => {
    expect(headerMismatch(['Id', 'Name'], ['Id', 'FullName']).message).toMatch(
      /columns differ from the first file's.*column 2 is "FullName"/,
    );
    expect(headerMismatch(['Id', 'Name'], ['Id', 'Name', 'Age']).message).toMatch(
      /3 columns where the first file has 2/,
    );
  });
});
