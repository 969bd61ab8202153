import type { IpcMain, WebContents, WebFrameMain } from 'electron';
import { EVENT_CHANNEL, REQUEST_NAMES, requestChannel } from '../../shared/api-names.ts';
import type { JobRecord } from '../../shared/jobs.ts';
import { toWireError, type WireError } from '../app/requests.ts';
import type { ScheduleEvent } from '../schedules/feed.ts';
import type { HandledApp } from '../web/rpc.ts';
import { sameOrigin } from './origin.ts';

/** What every handler answers; the preload turns `ok: false` into a rejected promise. */
export type WireResult = { ok: true; result: unknown } | { ok: false; error: WireError };

const REFUSED = 'Refused: this page may not talk to Export Desk.';

/**
 * A request is answered only for the main frame of a page from our own origin: an iframe, a page the
 * window was somehow navigated to, or a frame that is gone gets nothing.
 */
export function trustedFrame(appOrigin: string): (frame: WebFrameMain | null) => boolean {
  return (frame) => !!frame && frame.parent === null && sameOrigin(frame.url, appOrigin);
}

/**
 * Registers `exportdesk:<name>` for every request in the contract, all through this one wrapper: the
 * sender frame is checked, the app validates the input against the contract, and errors become WireErrors.
 * Returns a function that removes the handlers.
 */
export function registerHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  app: HandledApp,
  isTrustedSender: (frame: WebFrameMain | null) => boolean,
): () => void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(requestChannel(name), async (event, input: unknown): Promise<WireResult> => {
      if (!isTrustedSender(event.senderFrame)) {
        app.logger().warn('refused a request from an untrusted frame', { request: name });
        return { ok: false, error: { message: REFUSED, kind: 'user' } };
      }
      try {
        return { ok: true, result: await app.handle(name, input) };
      } catch (error) {
        return { ok: false, error: toWireError(error, app.logger(), name) };
      }
    });
  }
  return () => {
    for (const name of REQUEST_NAMES) ipcMain.removeHandler(requestChannel(name));
  };
}

/** Sends every job update to the window as the contract's 'job.updated' event. Returns an unsubscribe. */
export function forwardJobUpdates(
  runner: { on(listener: (record: JobRecord) => void): () => void },
  targets: () => readonly WebContents[],
): () => void {
  return runner.on((payload) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, { event: 'job.updated', payload });
    }
  });
}

/** Sends the schedules' changes and notices to the window as 'schedules.updated' and 'schedules.notice'. */
export function forwardScheduleEvents(
  feed: { on(listener: (e: ScheduleEvent) => void, options?: { window?: boolean }): () => void },
  targets: () => readonly WebContents[],
): () => void {
  return feed.on((message) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, message);
    }
  });
}
