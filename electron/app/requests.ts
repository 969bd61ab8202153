/**
 * The contract (shared/api.ts) as the main process serves it: one handler per request, typed by the
 * request's schemas; the input validated once, here; one mapping of errors for every transport.
 */
import { z } from 'zod';
import { requests, type RequestName, type RequestOutput, type Settings } from '../../shared/api.ts';
import type { OutputOptions } from '../../shared/output.ts';
import { UserError, zodMessage } from '../base/user-error.ts';
import { SaveError } from '../export/save.ts';
import type { Logger } from '../http/redact.ts';
import { ExportError } from '../jobs/errors.ts';

/** A request's input as its schema parsed it (defaults filled in). */
export type RequestArgs<N extends RequestName> = z.output<(typeof requests)[N]['input']>;

export type Handlers = {
  [N in RequestName]: (input: RequestArgs<N>) => Promise<RequestOutput<N>>;
};

/** What a transport adds: the desktop shell asks with dialogs, browser mode answers with downloads. */
/** What a file is opened for: a CA certificate for the settings, or a recipe to import. */
export type OpenPurpose = 'ca-file' | 'recipe';

export interface TransportHooks {
  /** Asks the user where to save; undefined when they cancel. */
  chooseSavePath?(suggestedName: string, format: OutputOptions['format']): Promise<string | undefined>;
  revealInFolder?(path: string): void;
  /** Asks the user for a file to read (the open dialog); undefined when they cancel. */
  chooseOpenPath?(purpose: OpenPurpose): Promise<string | undefined>;
  /** Asks the user for a folder (a schedule's), with the folder dialog; undefined when they cancel. */
  chooseFolder?(): Promise<string | undefined>;
  prepareDownload?(
    jobId: string,
    output: OutputOptions,
    fileName: string,
    metadata?: Record<string, unknown>,
    /** Excel workbooks: the data sheet's name (the export's object). */
    sheetTitle?: string,
  ): { url: string };
  /** Opens a vendor's sign-in page in the system browser; false when it would not (the page opens it). */
  openSignInPage?(url: string): boolean;
  /** After settings changed (the desktop shell follows the theme choice in native menus and dialogs). */
  settingsChanged?(settings: Settings): void;
}

/** A request the contract refuses (unknown name, malformed input): it never reaches a handler. */
export class RequestValidationError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'RequestValidationError';
  }
}

/** Validates the input against the request's schema, then carries the request out. */
export async function handleRequest(handlers: Handlers, name: string, raw: unknown): Promise<unknown> {
  if (!Object.hasOwn(requests, name)) throw new RequestValidationError(`Unknown request "${name}".`);
  const parsed = (requests[name as RequestName].input as z.ZodType).safeParse(raw ?? {});
  if (!parsed.success) throw new RequestValidationError(zodMessage(parsed.error));
  // The schema of `name` parsed the input, so it is that handler's argument.
  return (handlers[name as RequestName] as (input: unknown) => Promise<unknown>)(parsed.data);
}

/** How a failed request reaches the page: plain data, never a stack or an internal detail. */
export interface WireError {
  message: string;
  kind: 'validation' | 'user' | 'internal';
}

export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong inside Export Desk. The details are in exportdesk.log in the data folder.';

/**
 * Turns anything thrown while answering `request` into what the page may see. Messages meant for the user
 * pass through; anything else may carry a path, a URL or a library's internals: the log gets it
 * (redacted), the page a plain sentence.
 */
export function toWireError(error: unknown, log: Logger, request: string): WireError {
  if (error instanceof RequestValidationError) return { message: error.message, kind: 'validation' };
  if (error instanceof z.ZodError) return { message: zodMessage(error), kind: 'validation' };
  if (error instanceof UserError || error instanceof SaveError)
    return { message: error.message, kind: 'user' };
  if (error instanceof ExportError)
    return { message: error.hint ? `${error.message} ${error.hint}` : error.message, kind: 'user' };
  log.error(`request ${request} failed`, {
    error: error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error),
  });
  return { message: INTERNAL_ERROR_MESSAGE, kind: 'internal' };
}
