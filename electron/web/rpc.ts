import { z } from 'zod';
import type { WebSocket, RawData } from 'ws';
import type { JobRecord } from '../../shared/jobs.ts';
import { RequestValidationError, toWireError } from '../app/requests.ts';
import type { Logger } from '../http/redact.ts';
import { zodMessage } from '../base/user-error.ts';
import type { ScheduleEvent } from '../schedules/feed.ts';

/** The part of AppService a transport (this socket, the desktop's IPC) needs; tests can stand in for it. */
export interface HandledApp {
  /** Validates the input against the contract and answers; a refused input throws a RequestValidationError. */
  handle(name: string, raw: unknown): Promise<unknown>;
  logger(): Logger;
}

const EnvelopeSchema = z
  .object({
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    method: z.string().min(1).max(100),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

function parseEnvelope(data: RawData, isBinary: boolean): z.infer<typeof EnvelopeSchema> {
  if (isBinary) throw new RequestValidationError('Requests are JSON text frames.');
  let raw: unknown;
  try {
    const bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RequestValidationError('The request is not valid JSON.');
  }
  const env = EnvelopeSchema.safeParse(raw);
  if (!env.success) {
    // Echo the id when there is a usable one, so the page can settle the matching call.
    const id = (raw as { id?: unknown } | null)?.id;
    const err = new RequestValidationError(`Malformed request: ${zodMessage(env.error)}`);
    throw Object.assign(err, { id: typeof id === 'number' && Number.isSafeInteger(id) ? id : null });
  }
  return env.data;
}

/** Serves the contract on one accepted socket: requests in, replies and job events out. */
export function serveSocket(
  ws: WebSocket,
  app: HandledApp & {
    runner: { on(listener: (r: JobRecord) => void): () => void };
    scheduleFeed?: {
      on(listener: (e: ScheduleEvent) => void, options?: { window?: boolean }): () => void;
    };
  },
): void {
  const send = (message: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const off = app.runner.on((job) => send({ event: 'job.updated', payload: job }));
  const offSchedules = app.scheduleFeed?.on(send, { window: true });
  ws.on('close', () => {
    off();
    offSchedules?.();
  });
  ws.on('error', () => ws.terminate());

  ws.on('message', (data, isBinary) => {
    let envelope: ReturnType<typeof parseEnvelope>;
    try {
      envelope = parseEnvelope(data, isBinary);
    } catch (err) {
      const id = (err as { id?: number | null }).id ?? null;
      send({ id, error: toWireError(err, app.logger(), '(malformed)') });
      return;
    }
    const { id, method, params } = envelope;
    void (async () => {
      try {
        const result = await app.handle(method, params);
        send({ id, result: result ?? null });
      } catch (err) {
        send({ id, error: toWireError(err, app.logger(), method) });
      }
    })();
  });
}
