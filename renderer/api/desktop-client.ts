import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../shared/api.ts';
import type { OutputOptions } from '../../shared/output.ts';
import { ClientError, type ExportDeskClient, type SaveResult } from './client.ts';

/** 'connections.setSecret' -> 'connectionsSetSecret': the preload exposes one named method per request. */
type CamelName<N extends string> = N extends `${infer Head}.${infer Tail}`
  ? `${Head}${CamelName<Capitalize<Tail>>}`
  : N;

export type BridgeMethods = {
  [N in RequestName as CamelName<N>]: (input: RequestInput<N>) => Promise<RequestOutput<N>>;
};

/** What the preload script exposes as window.exportDesk. */
export type ExportDeskBridge = BridgeMethods & {
  kind: 'desktop';
  on(event: EventName, cb: (payload: unknown) => void): () => void;
};

declare global {
  interface Window {
    exportDesk?: ExportDeskBridge;
  }
}

export function methodName(name: string): string {
  return name
    .split('.')
    .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');
}

/** Electron wraps a handler's error as "Error invoking remote method 'channel': UserError: text". */
function userMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  return raw.replace(/^Error invoking remote method '[^']*': /, '').replace(/^(?:[A-Za-z]*Error): /, '');
}

/** The desktop window: the contract over the preload bridge. */
export class DesktopClient implements ExportDeskClient {
  readonly kind = 'desktop' as const;

  constructor(private readonly bridge: ExportDeskBridge) {}

  async call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
    const method = (this.bridge as unknown as Record<string, unknown>)[methodName(name)];
    if (typeof method !== 'function') throw new ClientError(`This window cannot ${name}.`, 'internal');
    try {
      return (await (method as (i: unknown) => Promise<unknown>).call(
        this.bridge,
        input,
      )) as RequestOutput<N>;
    } catch (e) {
      throw new ClientError(userMessage(e), 'user');
    }
  }

  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
    return this.bridge.on(event, cb as (payload: unknown) => void);
  }

  async save(jobId: string, output: OutputOptions): Promise<SaveResult> {
    const r = await this.call('exports.save', { jobId, output });
    return {
      saved: r.saved,
      ...(r.path !== undefined ? { path: r.path } : {}),
      ...(r.rows !== undefined ? { rows: r.rows } : {}),
    };
  }

  async saveSummary(jobId: string, format: 'csv' | 'json'): Promise<SaveResult> {
    const r = await this.call('exports.saveSummary', { jobId, format });
    return { saved: r.saved, ...(r.path !== undefined ? { path: r.path } : {}) };
  }
}
