/**
 * How a vendor's pages follow one another, apart from what is in them: by cursor (Omni), or by offset
 * (OmniQ's from/size, SCIM's startIndex/count). Each yields the vendor's pages in order and stops where the
 * vendor says the last one is; a vendor that says "more" but gives no way to get it is an error, not a loop.
 */

export interface CursorStep<P> {
  page: P;
  /** The cursor of the next page; undefined when this page is the last. */
  next: string | undefined;
}

/**
 * Pages by cursor. `fetch(cursor)` gets one page and says the next cursor; a "next" cursor that is empty
 * or the same as the one just used would repeat the page forever, so it fails with `stuck()`.
 */
export async function* cursorPages<P>(
  fetch: (cursor: string | undefined, n: number) => Promise<CursorStep<P>>,
  stuck: (n: number) => Error,
): AsyncGenerator<P> {
  let cursor: string | undefined;
  for (let n = 1; ; n++) {
    const { page, next } = await fetch(cursor, n);
    yield page;
    if (next === undefined) return;
    if (next === '' || next === cursor) throw stuck(n);
    cursor = next;
  }
}

export interface OffsetStep<P> {
  page: P;
  /** Items on the page. */
  count: number;
  /** Whether the vendor says more follow (default: a full page means more). */
  more?: boolean;
}

/**
 * Pages by offset: `fetch(from, size)` from `start`, moving on by the items each page held, until a page
 * says it is the last, comes back empty, or `total` is reached.
 */
export async function* offsetPages<P>(
  fetch: (from: number, size: number) => Promise<OffsetStep<P> & { total?: number }>,
  opts: { size: number; start?: number },
): AsyncGenerator<P> {
  let total: number | undefined;
  for (let from = opts.start ?? 0; ;) {
    const step = await fetch(from, opts.size);
    total ??= step.total;
    yield step.page;
    from += step.count;
    const more = step.more ?? step.count >= opts.size;
    if (!more || step.count === 0 || (total !== undefined && from - (opts.start ?? 0) >= total)) return;
  }
}
