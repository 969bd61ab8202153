import { describe, expect, it, vi } from 'vitest';
import { ClientError } from '../../../renderer/api/client.ts';
import { methodName, type ExportDeskBridge } from '../../../shared/api-names.ts';
import { DesktopClient } from '../../../renderer/api/desktop-client.ts';
import { takeTokenFromLocation, WsClient } from '../../../renderer/api/ws-client.ts';
import { job } from './fake-client.ts';

/** Stands in for the browser's WebSocket: records what is sent, lets the test answer. */
class FakeSocket extends EventTarget {
  readonly sent: unknown[] = [];
  constructor(readonly url: string) {
    super();
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.dispatchEvent(new Event('close'));
  }
  open() {
    this.dispatchEvent(new Event('open'));
  }
  reply(msg: unknown) {
    const ev = new Event('message') as Event & { data: string };
    Object.defineProperty(ev, 'data', { value: JSON.stringify(msg) });
    this.dispatchEvent(ev);
  }
}

function wsClient() {
  const sockets: FakeSocket[] = [];
  const download = vi.fn();
  const client = new WsClient({
    url: 'ws://127.0.0.1:4100/api?token=tok',
    origin: 'http://127.0.0.1:4100',
    token: 'tok',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s as unknown as WebSocket;
    },
    download,
    reconnectDelayMs: 0,
  });
  return { client, sockets, download };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('browser-mode client', () => {
  it('sends {id, method, params} and matches each reply to its request', async () => {
    const { client, sockets } = wsClient();
    const a = client.call('connections.list', {});
    const b = client.call('jobs.get', { jobId: 'j1' });
    const socket = sockets[0]!;
    expect(socket.url).toBe('ws://127.0.0.1:4100/api?token=tok');
    socket.open();
    await tick();
    expect(socket.sent).toEqual([
      { id: 1, method: 'connections.list', params: {} },
      { id: 2, method: 'jobs.get', params: { jobId: 'j1' } },
    ]);
    socket.reply({ id: 2, error: { message: 'No export with id j1.', kind: 'user' } });
    socket.reply({ id: 1, result: [] });
    await expect(a).resolves.toEqual([]);
    const err = await b.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ message: 'No export with id j1.', kind: 'user' });
  });

  it('delivers job.updated events and rejects waiting calls when the socket closes', async () => {
    const { client, sockets } = wsClient();
    const seen: string[] = [];
    const off = client.on('job.updated', (j) => seen.push(j.state));
    const socket = sockets[0]!;
    socket.open();
    socket.reply({ event: 'job.updated', payload: job({ state: 'waiting' }) });
    expect(seen).toEqual(['waiting']);
    off();
    socket.reply({ event: 'job.updated', payload: job({ state: 'ready' }) });
    expect(seen).toEqual(['waiting']);

    const pending = client.call('app.info', {});
    await tick();
    socket.close();
    await expect(pending).rejects.toMatchObject({ kind: 'transport' });
  });

  it('saves by downloading the one-time URL, with the token', async () => {
    const { client, sockets, download } = wsClient();
    const saving = client.save('j1', {
      format: 'csv',
      csv: { delimiter: ',', bom: false, lineEnding: 'crlf', formulaGuard: true, header: true },
    });
    sockets[0]!.open();
    await tick();
    sockets[0]!.reply({ id: 1, result: { url: '/download/abc', fileName: 'omniq-agents-2025-05-19.csv' } });
    await expect(saving).resolves.toEqual({ saved: true, fileName: 'omniq-agents-2025-05-19.csv' });
    expect(download).toHaveBeenCalledWith(
      'http://127.0.0.1:4100/download/abc?token=tok',
      'omniq-agents-2025-05-19.csv',
    );
  });

  it('takes the token from the address and removes it from the address bar', () => {
    const replaceState = vi.fn();
    const token = takeTokenFromLocation(
      { href: 'http://127.0.0.1:4100/?token=abc_DEF-1#x' } as Location,
      {
        state: null,
        replaceState,
      } as unknown as History,
    );
    expect(token).toBe('abc_DEF-1');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/#x');
  });
});

describe('desktop client', () => {
  it('calls the named method of the bridge for each request', async () => {
    expect(methodName('connections.setSecret')).toBe('connectionsSetSecret');
    expect(methodName('app.info')).toBe('appInfo');
    const connectionsList = vi.fn(async () => []);
    const exportsSave = vi.fn(async () => ({ saved: true, path: '/home/a/x.csv', rows: 3 }));
    const bridge = {
      kind: 'desktop',
      on: vi.fn(),
      connectionsList,
      exportsSave,
    } as unknown as ExportDeskBridge;
    const client = new DesktopClient(bridge);
    await expect(client.call('connections.list', {})).resolves.toEqual([]);
    expect(connectionsList).toHaveBeenCalledWith({});
    const output = {
      format: 'json' as const,
      csv: {
        delimiter: ',' as const,
        bom: false,
        lineEnding: 'crlf' as const,
        formulaGuard: true,
        header: true,
      },
    };
    await expect(client.save('j1', output)).resolves.toEqual({ saved: true, path: '/home/a/x.csv', rows: 3 });
    expect(exportsSave).toHaveBeenCalledWith({ jobId: 'j1', output });
  });

  it('shows the main process message without the IPC wrapping', async () => {
    const jobsGet = vi.fn(async () => {
      throw new Error("Error invoking remote method 'exportdesk:jobs.get': UserError: No export with id j1.");
    });
    const client = new DesktopClient({
      kind: 'desktop',
      on: vi.fn(),
      jobsGet,
    } as unknown as ExportDeskBridge);
    await expect(client.call('jobs.get', { jobId: 'j1' })).rejects.toMatchObject({
      message: 'No export with id j1.',
    });
  });
});
