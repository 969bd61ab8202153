/**
 * Draws the application icon (a calm blue rounded square with a white arrow dropping into a tray) and
 * writes it as PNG files. Procedural so it can be redrawn at any size without an image editor:
 *   node bin/run-ts.mjs build/icons/draw-icon.ts
 * Linux reads the icon set from this folder by the size in each file name; macOS and Windows convert
 * icon.png.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Point = readonly [number, number];

/** Geometry on a 512-unit canvas. */
const CANVAS = 512;
const TILE = { x0: 32, y0: 32, x1: 480, y1: 480, radius: 100 };
const TOP_COLOUR: readonly [number, number, number] = [0x4a, 0x90, 0xd0];
const BOTTOM_COLOUR: readonly [number, number, number] = [0x2b, 0x63, 0xa6];
const SHAFT = { from: [256, 128] as Point, to: [256, 236] as Point, radius: 30 };
const HEAD: readonly Point[] = [
  [160, 222],
  [352, 222],
  [256, 322],
];
const TRAY: readonly Point[] = [
  [140, 300],
  [140, 384],
  [372, 384],
  [372, 300],
];
const TRAY_RADIUS = 20;
const SAMPLES = 4; // per axis: 16 samples a pixel give smooth edges

function inTile(x: number, y: number): boolean {
  const { x0, y0, x1, y1, radius: r } = TILE;
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function segmentDistance(p: Point, a: Point, b: Point): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.min(1, Math.max(0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

function inTriangle(p: Point, [a, b, c]: readonly Point[]): boolean {
  if (!a || !b || !c) return false;
  const side = (u: Point, v: Point) => (v[0] - u[0]) * (p[1] - u[1]) - (v[1] - u[1]) * (p[0] - u[0]);
  const [s1, s2, s3] = [side(a, b), side(b, c), side(c, a)];
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
}

function inGlyph(p: Point): boolean {
  if (segmentDistance(p, SHAFT.from, SHAFT.to) <= SHAFT.radius) return true;
  if (inTriangle(p, HEAD)) return true;
  for (let i = 1; i < TRAY.length; i++) {
    const a = TRAY[i - 1];
    const b = TRAY[i];
    if (a && b && segmentDistance(p, a, b) <= TRAY_RADIUS) return true;
  }
  return false;
}

/** Straight (non-premultiplied) RGBA pixels, row by row. */
export function drawIcon(size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const unit = CANVAS / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let glyph = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const p: Point = [(px + (sx + 0.5) / SAMPLES) * unit, (py + (sy + 0.5) / SAMPLES) * unit];
          if (!inTile(p[0], p[1])) continue;
          tile++;
          if (inGlyph(p)) glyph++;
        }
      }
      if (tile === 0) continue;
      const t = (py * unit - TILE.y0) / (TILE.y1 - TILE.y0);
      const white = glyph / tile;
      const o = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) {
        const blue = (TOP_COLOUR[c] ?? 0) + ((BOTTOM_COLOUR[c] ?? 0) - (TOP_COLOUR[c] ?? 0)) * t;
        pixels[o + c] = Math.round(blue + (255 - blue) * white);
      }
      pixels[o + 3] = Math.round((255 * tile) / (SAMPLES * SAMPLES));
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes 8-bit RGBA pixels as a PNG (no filtering: the image is small and mostly flat). */
export function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const outputs: Array<[string, number]> = [
    ['icon.png', 512],
    ['512x512.png', 512],
    ['256x256.png', 256],
  ];
  for (const [name, size] of outputs) {
    writeFileSync(path.join(dir, name), encodePng(size, drawIcon(size)));
    console.log(`wrote build/icons/${name} (${size}x${size})`);
  }
}
