/**
 * Browsers lay out no element taller than about 33.5 million px (Chromium: 2^25), so a grid of 30 px rows
 * cannot hold more than about 1.1 million of them at their height: the rest would be out of reach. Beyond
 * MAX_ROWS_HEIGHT the grid's scroll height is capped and the scroll position is mapped onto the rows: the top of
 * the scroll range shows the first row, its bottom the last, and each position in between the rows in
 * proportion. Rows are still drawn at their height; only the scrollbar moves further per pixel.
 */

/**
 * The tallest the rows may make the grid's content (about 533 000 rows of 30 px). Half the browser's
 * limit: past 2^24 px the compositor's single-precision positions drift, and Chromium painted rows near
 * the bottom of a 32-million-px grid a few pixels above the grid's top edge.
 */
export const MAX_ROWS_HEIGHT = 16_000_000;

/** The rows' height in the DOM: their real height, or the cap. */
export function shownHeight(total: number, rowHeight: number): number {
  return Math.min(total * rowHeight, MAX_ROWS_HEIGHT);
}

/** DOM pixels per real pixel of the rows: 1 up to the cap, less beyond it. */
export function rowScale(total: number, rowHeight: number): number {
  const real = total * rowHeight;
  return real > MAX_ROWS_HEIGHT ? MAX_ROWS_HEIGHT / real : 1;
}

/**
 * Where the view's top is in the rows at their real height (px), for a scroll position of the grid
 * (`viewHeight`: the rows' part of the view, below the header). Linear over the scroll range, so its
 * two ends are the rows' two ends.
 */
export function realOffset(scrollTop: number, total: number, rowHeight: number, viewHeight: number): number {
  const real = total * rowHeight;
  const shown = shownHeight(total, rowHeight);
  if (real === shown) return Math.max(0, scrollTop);
  const range = shown - viewHeight;
  if (range <= 0) return 0;
  return (Math.min(Math.max(scrollTop, 0), range) * (real - viewHeight)) / range;
}

/** The scroll position showing the rows from `offset` (real px) at the view's top: realOffset's inverse. */
export function scrollTopFor(offset: number, total: number, rowHeight: number, viewHeight: number): number {
  const real = total * rowHeight;
  const shown = shownHeight(total, rowHeight);
  if (real === shown) return Math.max(0, offset);
  const realRange = real - viewHeight;
  if (realRange <= 0) return 0;
  return (Math.min(Math.max(offset, 0), realRange) * (shown - viewHeight)) / realRange;
}
