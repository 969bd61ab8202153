import { describe, expect, it } from 'vitest';
import { cursorPages, offsetPages } from '../../../electron/http/paginators.ts';

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

describe('cursorPages', () => {
  it('follows the cursor until the vendor gives none', async () => {
    const asked: Array<string | undefined> = [];
    const next: Record<string, string | undefined> = { start: 'b', b: 'c', c: undefined };
    const pages = await all(
      cursorPages(
        async (cursor) => {
          asked.push(cursor);
          return { page: cursor ?? 'start', next: next[cursor ?? 'start'] };
        },
        () => new Error('stuck'),
      ),
    );
    expect(pages).toEqual(['start', 'b', 'c']);
    expect(asked).toEqual([undefined, 'b', 'c']);
  });

  it('fails instead of looping when "more" comes with an empty or repeated cursor', async () => {
    const stuck = (n: number): Error => new Error(`stuck after page ${n}`);
    await expect(all(cursorPages(async () => ({ page: 1, next: '' }), stuck))).rejects.toThrow(
      'stuck after page 1',
    );
    await expect(all(cursorPages(async () => ({ page: 1, next: 'same' }), stuck))).rejects.toThrow(
      'stuck after page 2',
    );
  });
});

describe('offsetPages', () => {
  const items = Array.from({ length: 23 }, (_, i) => i);
  const fetch = (says: { more?: boolean; total?: number } = {}) => {
    const asked: Array<[number, number]> = [];
    const f = async (from: number, size: number) => {
      asked.push([from, size]);
      const page = items.slice(from, from + size);
      return { page, count: page.length, ...says };
    };
    return { f, asked };
  };

  it('moves on by what each page held and stops at a short page', async () => {
    const { f, asked } = fetch();
    const pages = await all(offsetPages(f, { size: 10 }));
    expect(pages.flat()).toEqual(items);
    expect(asked).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
    ]);
  });

  it('stops at the total the vendor gave, and from a start other than 0', async () => {
    const { f, asked } = fetch({ total: 20 });
    await all(offsetPages(f, { size: 10, start: 1 }));
    expect(asked).toEqual([
      [1, 10],
      [11, 10],
    ]);
  });

  it('stops on an empty page even when the vendor says more', async () => {
    const { f, asked } = fetch({ more: true });
    await all(offsetPages(f, { size: 10, start: 30 }));
    expect(asked).toEqual([[30, 10]]);
  });
});
