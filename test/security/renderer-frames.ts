/**
 * Everything the browser-mode server sends to the page, recorded for the suite-wide leak scan: when
 * `EXPORTDESK_RENDERER_FRAMES` names a folder (scripts/test.sh puts it in the scanned TMPDIR), each
 * message the page (Chromium in the end-to-end tests, the WebSocket client of the integration tests)
 * receives, and in Chromium each document and fetched answer, is appended to a file there named after
 * the test (setFramesLabel) and the process. Without the variable nothing is written.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';

export const RENDERER_FRAMES_ENV = 'EXPORTDESK_RENDERER_FRAMES';

let label = '';

/** Names the file the next messages go to after the test that receives them (e.g. its file and title). */
export function setFramesLabel(name: string): void {
  label = name
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
}

/** Appends one received message (text or binary) to the log of messages to the renderer. */
export function recordFrame(data: string | Buffer | ArrayBuffer | Buffer[]): void {
  const dir = process.env[RENDERER_FRAMES_ENV];
  if (!dir) return;
  const bytes = Array.isArray(data)
    ? Buffer.concat(data)
    : typeof data === 'string'
      ? Buffer.from(data)
      : Buffer.from(data as ArrayBuffer);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `frames-${label || 'unlabelled'}-${process.pid}.log`);
  appendFileSync(file, Buffer.concat([bytes, Buffer.from('\n')]));
}

const watched = new WeakSet<object>();

function watchPage(page: Page): void {
  if (watched.has(page)) return;
  watched.add(page);
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => recordFrame(payload)));
  // Pages and fetched answers too (e.g. the page the sign-in redirect lands on); not scripts, styles or
  // downloads, whose bodies are the built renderer and the export files the scan reads where they are saved.
  page.on('response', (response) => {
    if (!['document', 'fetch', 'xhr'].includes(response.request().resourceType())) return;
    response.body().then(recordFrame, () => undefined);
  });
}

/** Records what every page of `context` (present and future) receives over WebSockets. */
export function watchContext(context: BrowserContext): void {
  if (!process.env[RENDERER_FRAMES_ENV] || watched.has(context)) return;
  watched.add(context);
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
}
