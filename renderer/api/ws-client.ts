import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../shared/api.ts';
import type { OutputOptions } from '../../shared/output.ts';
import { ClientError, type ErrorKind, type ExportDeskClient, type SaveResult } from './client.ts';
import { downloadText, triggerDownload } from './download.ts';

type Listener = (payload: unknown) => void;

const LOST = 'The connection to Export Desk was lost. Is it still running? Reload the page to reconnect.';

interface ServerMessage {
  id?: number;
  result?: unknown;
  error?: { message?: string; kind?: ErrorKind };
  event?: string;
  payload?: unknown;
}

export interface WsClientOptions {
  /** ws://host:port/api?token=... */
  url: string;
  /** Base for download URLs handed out by the server (the page's own origin). */
  origin: string;
  token: string;
  createSocket?: (url: string) => WebSocket;
  download?: (url: string, fileName: string) => void;
  /** Delay before reconnecting after the socket closed, so live updates resume (ms). */
  reconnectDelayMs?: number;
}

/** Browser mode: the contract over one WebSocket to the local server that served this page. */
export class WsClient implements ExportDeskClient {
  readonly kind = 'browser' as const;
  #socket: WebSocket | undefined;
  #opened: Promise<WebSocket> | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #opts: WsClientOptions;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(opts: WsClientOptions) {
    this.#opts = opts;
  }

  #connect(): Promise<WebSocket> {
    if (this.#opened) return this.#opened;
    const create = this.#opts.createSocket ?? ((url: string) => new WebSocket(url));
    const socket = create(this.#opts.url);
    this.#socket = socket;
    this.#opened = new Promise<WebSocket>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(socket), { once: true });
      socket.addEventListener('error', () => reject(new ClientError(LOST, 'transport')), {
        once: true,
      });
    });
    // An unobserved rejection here is reported through the calls that wait on it.
    this.#opened.catch(() => undefined);
    socket.addEventListener('message', (ev: MessageEvent) => this.#onMessage(ev.data));
    socket.addEventListener('close', () => this.#onClose(socket));
    return this.#opened;
  }

  #onClose(socket: WebSocket): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    this.#opened = undefined;
    for (const p of this.#pending.values()) p.reject(new ClientError(LOST, 'transport'));
    this.#pending.clear();
    const wantsEvents = [...this.#listeners.values()].some((s) => s.size > 0);
    if (wantsEvents && this.#reconnectTimer === undefined) {
      this.#reconnectTimer = setTimeout(() => {
        this.#reconnectTimer = undefined;
        this.#connect().catch(() => undefined);
      }, this.#opts.reconnectDelayMs ?? 2000);
    }
  }

  #onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (typeof msg.event === 'string') {
      for (const cb of this.#listeners.get(msg.event) ?? []) cb(msg.payload);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const pending = this.#pending.get(msg.id);
    if (!pending) return;
    this.#pending.delete(msg.id);
    if (!msg.error) return pending.resolve(msg.result);
    pending.reject(new ClientError(msg.error.message ?? 'The request failed.', msg.error.kind ?? 'internal'));
  }

  async call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
    const socket = await this.#connect();
    const id = this.#nextId++;
    return new Promise<RequestOutput<N>>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method: name, params: input }));
    });
  }

  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    const listener = cb as Listener;
    set.add(listener);
    // Events flow only over an open socket.
    this.#connect().catch(() => undefined);
    return () => {
      set.delete(listener);
    };
  }

  async save(jobId: string, output: OutputOptions): Promise<SaveResult> {
    const { url, fileName } = await this.call('exports.prepareDownload', { jobId, output });
    const target = new URL(url, this.#opts.origin);
    // The token authorizes the download too; it stays in memory, never in the address bar.
    if (!target.searchParams.has('token')) target.searchParams.set('token', this.#opts.token);
    (this.#opts.download ?? triggerDownload)(target.toString(), fileName);
    return { saved: true, fileName };
  }

  async saveSummary(jobId: string, format: 'csv' | 'json'): Promise<SaveResult> {
    const { fileName, text } = await this.call('exports.summaryFile', { jobId, format });
    downloadText(text, fileName, format === 'csv' ? 'text/csv' : 'application/json');
    return { saved: true, fileName };
  }
}

/**
 * Reads the per-launch token from the page address and removes it from the address bar (and history), so
 * it is not bookmarked, shared in a screenshot or sent as a referrer.
 */
export function takeTokenFromLocation(
  loc: Location = window.location,
  hist: History = window.history,
): string {
  const url = new URL(loc.href);
  const token = url.searchParams.get('token') ?? '';
  if (token) {
    url.searchParams.delete('token');
    hist.replaceState(hist.state, '', url.pathname + url.search + url.hash);
  }
  return token;
}

export function createWsClient(loc: Location = window.location): WsClient {
  const token = takeTokenFromLocation(loc);
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WsClient({
    url: `${scheme}//${loc.host}/api?token=${encodeURIComponent(token)}`,
    origin: loc.origin,
    token,
  });
}
