/**
 * Everything the browser-mode server sends to the page, recorded for the suite-wide leak scan: when
 * `EXPORTDESK_RENDERER_FRAMES` names a folder (scripts/test.sh puts it in the scanned TMPDIR), each
 * message the page (Chromium in the end-to-end tests, the WebSocket client of the integration tests)
 * receives is appended to a file of this process there. Without the variable nothing is written.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';

export const RENDERER_FRAMES_ENV = 'EXPORTDESK_RENDERER_FRAMES';

/** Appends one received message (text or binary) to this process's log of messages to the renderer. */
export function recordFrame(data: string | Buffer | ArrayBuffer | Buffer[]): void {
  const dir = process.env[RENDERER_FRAMES_ENV];
  if (!dir) return;
  const bytes = Array.isArray(data)
    ? Buffer.concat(data)
    : typeof data === 'string'
      ? Buffer.from(data)
      : Buffer.from(data as ArrayBuffer);
  mkdirSync(dir, { recursive: true });
  appendFileSync(path.join(dir, `frames-${process.pid}.log`), Buffer.concat([bytes, Buffer.from('\n')]));
}

const watched = new WeakSet<object>();

function watchPage(page: Page): void {
  if (watched.has(page)) return;
  watched.add(page);
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => recordFrame(payload)));
}

/** Records what every page of `context` (present and future) receives over WebSockets. */
export function watchContext(context: BrowserContext): void {
  if (!process.env[RENDERER_FRAMES_ENV] || watched.has(context)) return;
  watched.add(context);
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
}
