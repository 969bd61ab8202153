import { methodName, type ExportDeskBridge } from '../../shared/api-names.ts';
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../shared/api.ts';
import type { OutputOptions } from '../../shared/output.ts';
import { ClientError, type ExportDeskClient, type SaveResult } from './client.ts';

declare global {
  interface Window {
    exportDesk?: ExportDeskBridge;
  }
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
      return (await method.call(this.bridge, input)) as RequestOutput<N>;
    } catch (e) {
      throw new ClientError(userMessage(e), 'user');
    }
  }

  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
    return this.bridge.on(event, cb);
  }

  save(jobId: string, output: OutputOptions): Promise<SaveResult> {
    return this.call('exports.save', { jobId, output });
  }

  saveSummary(jobId: string, format: 'csv' | 'json'): Promise<SaveResult> {
    return this.call('exports.saveSummary', { jobId, format });
  }
}
