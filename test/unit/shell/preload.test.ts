import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, REQUEST_NAMES, methodName } from '../../../shared/api-names.ts';
import { fake, fakeEvent, resetFake } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fake));

type Bridge = Record<string, unknown> & {
  on(event: string, cb: (payload: unknown) => void): () => void;
};
let bridge: Bridge;

beforeAll(async () => {
  resetFake();
  await import('../../../electron/preload.ts');
  bridge = fake.contextBridge.exposed.get('exportDesk') as Bridge;
});

beforeEach(() => {
  fake.ipcRenderer.removeAllListeners();
  fake.ipcRenderer.invoke.mockReset();
});

describe('preload', () => {
  it('exposes window.exportDesk with one named method per request, on() and kind, and nothing else', () => {
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['exportDesk']);
    const expected = [...REQUEST_NAMES.map(methodName), 'on', 'kind'].sort();
    expect(Object.keys(bridge).sort()).toEqual(expected);
    expect(bridge.kind).toBe('desktop');
    expect(typeof bridge.connectionsList).toBe('function');
    expect(Object.values(bridge)).not.toContain(fake.ipcRenderer);
    expect(bridge).not.toHaveProperty('invoke');
    expect(bridge).not.toHaveProperty('send');
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends a request on its own channel and resolves with the result', async () => {
    fake.ipcRenderer.invoke.mockResolvedValue({ ok: true, result: [{ id: 'c1' }] });
    const list = bridge.connectionsList as (input: unknown) => Promise<unknown>;
    await expect(list({})).resolves.toEqual([{ id: 'c1' }]);
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledWith('exportdesk:connections.list', {});
  });

  it('rejects with the user-facing message of a failed request', async () => {
    fake.ipcRenderer.invoke.mockResolvedValue({
      ok: false,
      error: { message: 'id: Too small', kind: 'validation' },
    });
    const remove = bridge.connectionsRemove as (input: unknown) => Promise<unknown>;
    await expect(remove({ id: '' })).rejects.toMatchObject({ message: 'id: Too small', kind: 'validation' });
  });

  it('on() passes only the payload of the named event, and its unsubscribe stops delivery', () => {
    const seen: unknown[] = [];
    const off = bridge.on('job.updated', (payload) => seen.push(payload));
    const ipcEvent = { sender: fake.ipcRenderer, ...fakeEvent() };
    fake.ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, { event: 'job.updated', payload: { id: 'j1' } });
    fake.ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, { event: 'something.else', payload: { id: 'x' } });
    expect(seen).toEqual([{ id: 'j1' }]);
    off();
    off();
    fake.ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, { event: 'job.updated', payload: { id: 'j2' } });
    expect(seen).toEqual([{ id: 'j1' }]);
    expect(fake.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
  });

  it('on() refuses events outside the contract', () => {
    expect(() => bridge.on('exportdesk:connections.list', () => undefined)).toThrow(/Unknown event/);
    expect(fake.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
  });
});
