import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ServerResponse } from 'node:http';

/** Content types of the files the window is built from, for browser mode and the desktop app:// protocol. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticLookup =
  | { kind: 'file'; file: string; size: number; contentType: string }
  | { kind: 'refused' }
  | { kind: 'missing' };

/**
 * Maps a request path to a file inside `root`, or refuses it. `rawPath` is the path as the client sent it,
 * before URL parsing folds `..` away: a request that tries to climb is refused outright rather than
 * quietly answered from somewhere else. Hidden files are never served; symlinks may not lead out of root.
 */
export async function lookupStatic(root: string, rawPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'refused' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/'))
    return { kind: 'refused' };
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'refused' };
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'missing' };
  const relative = segments.length === 0 ? 'index.html' : segments.join(path.sep);

  const realRoot = await realpath(root);
  const file = await realpath(path.join(realRoot, relative)).catch(() => undefined);
  if (!file) return { kind: 'missing' };
  if (!file.startsWith(realRoot + path.sep)) return { kind: 'refused' };
  const info = await stat(file);
  if (!info.isFile()) return { kind: 'missing' };
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return { kind: 'file', file, size: info.size, contentType };
}

export async function sendFile(
  res: ServerResponse,
  found: Extract<StaticLookup, { kind: 'file' }>,
  headOnly: boolean,
): Promise<void> {
  res.writeHead(200, { 'Content-Type': found.contentType, 'Content-Length': found.size });
  if (headOnly) {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(found.file), res);
  } catch {
    // The browser went away mid-file; nothing to tell it.
    res.destroy();
  }
}
