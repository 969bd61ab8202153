import type {
  Connection,
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
} from '../../../shared/api.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import type { OutputOptions } from '../../../shared/output.ts';
import { ClientError, type ExportDeskClient, type SaveResult } from '../../../renderer/api/client.ts';

type Handlers = {
  [N in RequestName]?: (input: RequestInput<N>) => RequestOutput<N> | Promise<RequestOutput<N>>;
};

/** The contract without a server: each request answered by a handler the test sets, every call recorded. */
export class FakeClient implements ExportDeskClient {
  kind: 'desktop' | 'browser' = 'browser';
  readonly calls: { name: RequestName; input: unknown }[] = [];
  readonly saves: { jobId: string; output: OutputOptions }[] = [];
  readonly #listeners = new Set<(job: JobRecord) => void>();

  constructor(public handlers: Handlers = {}) {}

  async call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
    this.calls.push({ name, input });
    const handler = this.handlers[name] as ((i: RequestInput<N>) => RequestOutput<N>) | undefined;
    if (!handler) throw new ClientError(`The fake has no answer for ${name}.`, 'internal');
    return handler(input);
  }

  on<E extends EventName>(_event: E, cb: (payload: EventPayload<E>) => void): () => void {
    const listener = cb as (job: JobRecord) => void;
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(job: JobRecord): void {
    for (const cb of this.#listeners) cb(job);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  async save(jobId: string, output: OutputOptions): Promise<SaveResult> {
    this.saves.push({ jobId, output });
    return { saved: true, fileName: 'export.csv' };
  }

  async saveSummary(jobId: string, format: 'csv' | 'json'): Promise<SaveResult> {
    this.calls.push({ name: 'exports.summaryFile', input: { jobId, format } });
    return { saved: true, fileName: `totals.${format}` };
  }

  callsOf(name: RequestName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }
}

export function job(patch: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'job-1',
    recipe: {
      version: 1,
      connection: 'Main',
      provider: 'omniq',
      query: { index: 'communications' },
      output: {
        format: 'csv',
        csv: { delimiter: ',', bom: false, lineEnding: 'crlf', formulaGuard: true, header: true },
      },
    },
    connectionId: 'c1',
    state: 'downloading',
    createdAt: '2025-05-20T10:00:00.000Z',
    updatedAt: '2025-05-20T10:00:01.000Z',
    startedAt: '2025-05-20T10:00:00.000Z',
    remote: {},
    counters: { pages: 1, rows: 10, bytes: 1000 },
    warnings: [],
    saves: [],
    ...patch,
  };
}

export function connection(patch: Partial<Connection> = {}): Connection {
  return {
    id: 'c1',
    name: 'Main',
    provider: 'omniq',
    settings: { baseUrl: 'https://api.omniq.icq24.com', tenantId: 'ACME', pageSize: 500 },
    secrets: { apiKey: false },
    createdAt: '2025-05-20T10:00:00.000Z',
    updatedAt: '2025-05-20T10:00:00.000Z',
    ...patch,
  };
}
