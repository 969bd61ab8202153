import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { OutputFormat, OutputOptions } from '../../shared/output.ts';
import { SpoolReader } from '../export/spool.ts';
import { spoolToOutput } from '../export/csv-copy.ts';
import type { Logger } from '../http/redact.ts';

/** How long a prepared download waits for the browser to ask for it. */
export const DOWNLOAD_TTL_MS = 60_000;

export interface DownloadTicket {
  jobId: string;
  output: OutputOptions;
  fileName: string;
  expiresAt: number;
  metadata?: Record<string, unknown>;
  /** Excel workbooks: the data sheet's name (the export's object). */
  sheetTitle?: string | undefined;
}

/**
 * One-time download ids. The page asks for a download with the options it chose; the browser then fetches
 * the id once. Used or stale ids are gone, so a URL that leaks (history, a log) is worth nothing.
 */
export class DownloadTickets {
  readonly #tickets = new Map<string, DownloadTicket>();

  constructor(
    private readonly ttlMs: number = DOWNLOAD_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(ticket: Omit<DownloadTicket, 'expiresAt'>): string {
    this.#prune();
    const id = randomBytes(24).toString('base64url');
    this.#tickets.set(id, { ...ticket, expiresAt: this.now() + this.ttlMs });
    return id;
  }

  /** The ticket for `id`, removed so it can never be used again; undefined when unknown or expired. */
  take(id: string): DownloadTicket | undefined {
    const ticket = this.#tickets.get(id);
    this.#tickets.delete(id);
    if (!ticket || ticket.expiresAt <= this.now()) return undefined;
    return ticket;
  }

  #prune(): void {
    const now = this.now();
    for (const [id, t] of this.#tickets) if (t.expiresAt <= now) this.#tickets.delete(id);
  }
}

const CONTENT_TYPES: Record<OutputFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
};

/** `attachment` with an ASCII fallback for old clients and the exact UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Streams a finished export to the browser with the same writer a save to disk uses, so a download and a
 * saved file of the same options are byte for byte the same. Stops reading the spool as soon as the
 * browser goes away (cancelled download, closed tab).
 */
export async function streamDownload(
  res: ServerResponse,
  ticket: DownloadTicket,
  spoolDir: string,
  logger: Logger,
  /** Runs once the whole file went out: the export counts as saved (history, since-last-run). */
  onComplete?: (rows: number, bytes: number) => Promise<unknown>,
): Promise<void> {
  const reader = await SpoolReader.open(spoolDir).catch((err: unknown) => {
    logger.error('download: the export could not be read', { error: String(err) });
  });
  if (!reader) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('This export is no longer available.');
    return;
  }
  const abort = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) abort.abort(new DOMException('The download was cancelled.', 'AbortError'));
  };
  res.on('close', onClose);
  try {
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[ticket.output.format],
      'Content-Disposition': contentDisposition(ticket.fileName),
    });
    const written = await spoolToOutput(reader, ticket.output, res, {
      signal: abort.signal,
      ...(ticket.metadata ? { metadata: ticket.metadata } : {}),
      ...(ticket.sheetTitle ? { sheetTitle: ticket.sheetTitle } : {}),
    });
    res.end();
    await onComplete?.(written.rows, written.bytes).catch((err: unknown) =>
      logger.error('download: could not record the save', { error: String(err) }),
    );
  } catch (err) {
    if (!abort.signal.aborted) logger.error('download failed', { error: String(err) });
    // The headers are out: the only honest way to say "incomplete" is to cut the connection.
    res.destroy();
  } finally {
    res.off('close', onClose);
    await reader.close();
  }
}
