import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { requests, type RequestName } from '../../shared/api.ts';
import { EVENT_CHANNEL, REQUEST_NAMES, requestChannel } from '../../shared/api-names.ts';
import type { JobRecord } from '../../shared/jobs.ts';
import { UserError, zodMessage } from '../base/user-error.ts';
import { ExportError } from '../jobs/errors.ts';
import { SaveError } from '../export/save.ts';
import type { Logger } from '../http/redact.ts';
import { sameOrigin } from './origin.ts';

/** How a failed request reaches the page: plain data, never a stack or an internal detail. */
export interface WireError {
  message: string;
  kind: 'validation' | 'user' | 'internal';
}

/** What every handler answers; the preload turns `ok: false` into a rejected promise. */
export type WireResult = { ok: true; result: unknown } | { ok: false; error: WireError };

/** The part of AppService the transport needs. */
export interface HandledApp {
  handle(name: string, input: unknown): Promise<unknown>;
  logger(): Logger;
}

export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong inside Export Desk. The details are in exportdesk.log in the data folder.';

/**
 * A request is answered only for the main frame of a page from our own origin: an iframe, a page the
 * window was somehow navigated to, or a frame that is gone gets nothing.
 */
export function trustedFrame(appOrigin: string): (frame: WebFrameMain | null) => boolean {
  return (frame) => !!frame && frame.parent === null && sameOrigin(frame.url, appOrigin);
}

export function toWireError(error: unknown, log?: Logger): WireError {
  if (error instanceof UserError || error instanceof SaveError)
    return { message: error.message, kind: 'user' };
  if (error instanceof ExportError)
    return { message: error.hint ? `${error.message} ${error.hint}` : error.message, kind: 'user' };
  // Anything else may carry a path, a URL or a library's internals: the log gets it (redacted), the page not.
  log?.error('request failed', {
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
  return { message: INTERNAL_ERROR_MESSAGE, kind: 'internal' };
}

/**
 * Registers `exportdesk:<name>` for every request in the contract, all through this one wrapper: the
 * sender frame is checked, the input validated against its zod schema, and errors become WireErrors.
 * Returns a function that removes the handlers.
 */
export function registerHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  app: HandledApp,
  isTrustedSender: (frame: WebFrameMain | null) => boolean,
): () => void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(requestChannel(name), (event: IpcMainInvokeEvent, input: unknown) =>
      answer(app, isTrustedSender, event, name, input),
    );
  }
  return () => {
    for (const name of REQUEST_NAMES) ipcMain.removeHandler(requestChannel(name));
  };
}

async function answer(
  app: HandledApp,
  isTrustedSender: (frame: WebFrameMain | null) => boolean,
  event: IpcMainInvokeEvent,
  name: RequestName,
  input: unknown,
): Promise<WireResult> {
  if (!isTrustedSender(event.senderFrame)) {
    app.logger().warn('refused a request from an untrusted frame', { request: name });
    return { ok: false, error: { message: 'Refused: this page may not talk to Export Desk.', kind: 'user' } };
  }
  // app.handle validates too; checking here first tells a malformed request apart from a refused one.
  const parsed = requests[name].input.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: { message: zodMessage(parsed.error), kind: 'validation' } };
  try {
    return { ok: true, result: await app.handle(name, input ?? {}) };
  } catch (error) {
    return { ok: false, error: toWireError(error, app.logger()) };
  }
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
