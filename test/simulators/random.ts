/** Deterministic randomness for the simulators' generated data: the same rows on every run and platform. */

/** mulberry32: tiny, fast and the same on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts, mixed with the seed. */
export function hashSeed(seed: number, ...parts: string[]): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const ch of parts.join('\u0000')) {
    h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  }
  return h;
}

export interface Picker {
  rnd: () => number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  uuid(): string;
  digits(n: number): string;
}

export function picker(rnd: () => number): Picker {
  const int = (min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));
  const hex = (n: number): string => Array.from({ length: n }, () => int(0, 15).toString(16)).join('');
  return {
    rnd,
    int,
    pick: <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T,
    chance: (p) => rnd() < p,
    // Shaped like a version 4 UUID, which is how the vendors write their ids.
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`,
    digits: (n) => Array.from({ length: n }, (_, i) => int(i === 0 ? 1 : 0, 9)).join(''),
  };
}
