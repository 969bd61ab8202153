/**
 * Runs sandboxed before the page: exposes the contract as `window.exportDesk` (see electron/shell/bridge.ts)
 * and nothing more. A sandboxed preload may require only 'electron', so this file and what it imports stay
 * free of Node and of zod.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './shell/bridge.ts';

contextBridge.exposeInMainWorld('exportDesk', createBridge(ipcRenderer));
