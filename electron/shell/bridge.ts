import type { IpcRenderer, IpcRendererEvent } from 'electron';
import {
  EVENT_CHANNEL,
  EVENT_NAMES,
  REQUEST_NAMES,
  methodName,
  requestChannel,
} from '../../shared/api-names.ts';
import type { WireResult } from './ipc.ts';

/** A rejected request: the message is meant for the user. */
export class ExportDeskError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
    this.name = 'ExportDeskError';
  }
}

function unwrap(value: unknown): unknown {
  const envelope = value as WireResult | undefined;
  if (envelope?.ok === true) return envelope.result;
  if (envelope?.ok === false) throw new ExportDeskError(envelope.error.message, envelope.error.kind);
  throw new ExportDeskError('Export Desk sent an answer this window does not understand.', 'internal');
}

/**
 * The object the preload hands to the page: one named method per request of the contract, `on` for its
 * events, and nothing else. `ipcRenderer` itself never crosses the bridge; channels are fixed here, so the
 * page cannot name one.
 */
export function createBridge(
  ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
): Record<string, unknown> {
  const bridge: Record<string, unknown> = {};
  for (const name of REQUEST_NAMES) {
    const channel = requestChannel(name);
    bridge[methodName(name)] = async (input?: unknown) => unwrap(await ipc.invoke(channel, input ?? {}));
  }
  bridge.on = (event: unknown, callback: unknown): (() => void) => {
    if (!(EVENT_NAMES as readonly unknown[]).includes(event))
      throw new ExportDeskError(`Unknown event "${String(event)}".`, 'validation');
    if (typeof callback !== 'function')
      throw new ExportDeskError('on() needs a function to call.', 'validation');
    // The IPC event object (with its sender) stays here: the page gets the payload only.
    const listener = (
      _event: IpcRendererEvent,
      message: { event?: unknown; payload?: unknown } | undefined,
    ) => {
      if (message && message.event === event) callback(message.payload);
    };
    ipc.on(EVENT_CHANNEL, listener);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(EVENT_CHANNEL, listener);
    };
  };
  bridge.kind = 'desktop';
  return Object.freeze(bridge);
}
