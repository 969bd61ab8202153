/**
 * The one interface the rest of the renderer talks to. Two implementations: the desktop bridge
 * (window.exportDesk, named methods) and the browser-mode WebSocket. Nothing outside renderer/api/ touches
 * either transport.
 */
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../shared/api.ts';
import type { OutputOptions } from '../../shared/output.ts';

export type { EventName, EventPayload, RequestInput, RequestName, RequestOutput };

export type ErrorKind = 'validation' | 'user' | 'internal' | 'transport';

/** A failed request; `message` is meant for the user. */
export class ClientError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

export interface SaveResult {
  saved: boolean;
  /** Desktop only: where the file was written. */
  path?: string;
  /** Browser mode: the name the download was offered under. */
  fileName?: string;
  rows?: number;
}

export interface ExportDeskClient {
  readonly kind: 'desktop' | 'browser';
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
  /** Desktop: the save dialog, then the write. Browser: a one-time download URL, then the download. */
  save(jobId: string, output: OutputOptions): Promise<SaveResult>;
  /** The vendor's report totals as a file of their own: the save dialog (desktop) or a download (browser). */
  saveSummary(jobId: string, format: 'csv' | 'json'): Promise<SaveResult>;
}

/** The message of anything thrown, for showing next to the control that caused it. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
