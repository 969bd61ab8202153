import { describe, expect, it } from 'vitest';
import {
  MAX_ROWS_HEIGHT,
  realOffset,
  rowScale,
  scrollTopFor,
  shownHeight,
} from '../../../renderer/features/preview/row-scale.ts';

const ROW = 30;
const VIEW = 600;

describe('row scale', () => {
  it('leaves rows up to the cap at their height', () => {
    const total = Math.floor(MAX_ROWS_HEIGHT / ROW);
    expect(rowScale(total, ROW)).toBe(1);
    expect(shownHeight(total, ROW)).toBe(total * ROW);
    expect(realOffset(12_345, total, ROW, VIEW)).toBe(12_345);
    expect(scrollTopFor(12_345, total, ROW, VIEW)).toBe(12_345);
  });

  it('caps the height past it and maps the scroll range onto every row, both ends included', () => {
    for (const total of [1_250_000, 10_000_000, 100_000_000]) {
      const shown = shownHeight(total, ROW);
      expect(shown).toBe(MAX_ROWS_HEIGHT);
      expect(rowScale(total, ROW)).toBeCloseTo(MAX_ROWS_HEIGHT / (total * ROW), 12);
      const bottom = shown - VIEW;
      expect(realOffset(0, total, ROW, VIEW)).toBe(0);
      // At the bottom, the view's top is one view above the last row's end: the last row is in view.
      expect(realOffset(bottom, total, ROW, VIEW)).toBeCloseTo(total * ROW - VIEW, 3);
      expect(realOffset(bottom / 2, total, ROW, VIEW) / ROW).toBeCloseTo((total * ROW - VIEW) / 2 / ROW, 3);
      // Past either end (an overscroll) stays at that end.
      expect(realOffset(-50, total, ROW, VIEW)).toBe(0);
      expect(realOffset(bottom + 50, total, ROW, VIEW)).toBeCloseTo(total * ROW - VIEW, 3);
    }
  });

  it('finds the scroll position for any row, the inverse of the mapping', () => {
    const total = 10_000_000;
    for (const row of [0, 1, 999_999, 5_000_000, total - 20]) {
      const top = scrollTopFor(row * ROW, total, ROW, VIEW);
      expect(realOffset(top, total, ROW, VIEW)).toBeCloseTo(row * ROW, 3);
    }
    // One scroll pixel moves the view by less than a row at ten million rows.
    const step = realOffset(1001, total, ROW, VIEW) - realOffset(1000, total, ROW, VIEW);
    expect(step).toBeLessThan(ROW);
  });

  it('never shows a negative offset for a view taller than the rows', () => {
    expect(realOffset(0, 3, ROW, VIEW)).toBe(0);
    expect(scrollTopFor(100, 3, ROW, VIEW)).toBe(100);
  });
});
