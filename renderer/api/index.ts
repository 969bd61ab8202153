import type { ExportDeskClient } from './client.ts';
import { DesktopClient } from './desktop-client.ts';
import { createWsClient } from './ws-client.ts';

export type { ExportDeskClient, SaveResult } from './client.ts';
export { ClientError, errorMessage } from './client.ts';
export { downloadText, triggerDownload } from './download.ts';

/** The desktop bridge when the preload exposed one, otherwise browser mode over the local socket. */
export function createClient(): ExportDeskClient {
  return window.exportDesk ? new DesktopClient(window.exportDesk) : createWsClient();
}
