import { z } from 'zod';
import type { WebSocket, RawData } from 'ws';
import { requests, type RequestName } from '../../shared/api.ts';
import type { JobRecord } from '../../shared/jobs.ts';
import type { Logger } from '../http/redact.ts';
import { UserError, zodMessage } from '../base/user-error.ts';

/** The part of AppService the socket needs; tests and other transports can stand in for it. */
export interface RpcApp {
  handle(name: string, raw: unknown): Promise<unknown>;
  runner: { on(listener: (r: JobRecord) => void): () => void };
  logger(): Logger;
  paths: { log: string };
}

export type ErrorKind = 'validation' | 'user' | 'internal';
export interface RpcError {
  message: string;
  kind: ErrorKind;
}

/** A request that could not be matched to the contract: never reaches the app. */
class ValidationError extends Error {}

const EnvelopeSchema = z
  .object({
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    method: z.string().min(1).max(100),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/**
 * Turns anything thrown while answering into what the page may see. Messages meant for the user pass
 * through; anything else could carry paths, stack traces or vendor responses, so the page gets a plain
 * sentence and the details go to the app's log.
 */
export function toRpcError(err: unknown, app: Pick<RpcApp, 'logger' | 'paths'>, method: string): RpcError {
  if (err instanceof ValidationError) return { message: err.message, kind: 'validation' };
  if (err instanceof z.ZodError) return { message: zodMessage(err), kind: 'validation' };
  if (err instanceof UserError) return { message: err.message, kind: 'user' };
  app.logger().error(`browser request ${method} failed`, {
    error: err instanceof Error ? (err.stack ?? err.message) : String(err),
  });
  return {
    message: `Something went wrong inside Export Desk. The details are in the log: ${app.paths.log}`,
    kind: 'internal',
  };
}

/** Checks the request against the contract before the app sees it, so input errors say "validation". */
function validate(method: string, params: unknown): void {
  if (!Object.hasOwn(requests, method)) throw new ValidationError(`Unknown request "${method}".`);
  const parsed = (requests[method as RequestName].input as z.ZodType).safeParse(params ?? {});
  if (!parsed.success) throw new ValidationError(zodMessage(parsed.error));
}

function parseEnvelope(
  data: RawData,
  isBinary: boolean,
): { id: number | null; method: string; params: unknown } {
  if (isBinary) throw new ValidationError('Requests are JSON text frames.');
  let raw: unknown;
  try {
    const bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ValidationError('The request is not valid JSON.');
  }
  const env = EnvelopeSchema.safeParse(raw);
  if (!env.success) {
    // Echo the id when there is a usable one, so the page can settle the matching call.
    const id = (raw as { id?: unknown } | null)?.id;
    const err = new ValidationError(`Malformed request: ${zodMessage(env.error)}`);
    throw Object.assign(err, { id: typeof id === 'number' && Number.isSafeInteger(id) ? id : null });
  }
  return { id: env.data.id, method: env.data.method, params: env.data.params };
}

/** Serves the contract on one accepted socket: requests in, replies and job events out. */
export function serveSocket(ws: WebSocket, app: RpcApp): void {
  const send = (message: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const off = app.runner.on((job) => send({ event: 'job.updated', payload: job }));
  ws.on('close', off);
  ws.on('error', () => ws.terminate());

  ws.on('message', (data, isBinary) => {
    let envelope: ReturnType<typeof parseEnvelope>;
    try {
      envelope = parseEnvelope(data, isBinary);
    } catch (err) {
      const id = (err as { id?: number | null }).id ?? null;
      send({ id, error: toRpcError(err, app, '(malformed)') });
      return;
    }
    const { id, method, params } = envelope;
    void (async () => {
      try {
        validate(method, params);
        const result = await app.handle(method, params ?? {});
        send({ id, result: result ?? null });
      } catch (err) {
        send({ id, error: toRpcError(err, app, method) });
      }
    })();
  });
}
