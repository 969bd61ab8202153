import { createStore } from 'zustand/vanilla';
import type { RequestOutput, Settings } from '../../shared/api.ts';
import { errorMessage, type ExportDeskClient } from '../api/index.ts';

export type View = 'connections' | 'new-export' | 'exports' | 'recipes' | 'schedules' | 'settings';
/** Where the window is: a page, and on Exports the export shown (none shows the list). */
export interface Place {
  view: View;
  jobId: string | undefined;
}
export type AppInfo = RequestOutput<'app.info'>;

export interface AppState {
  info: AppInfo | undefined;
  settings: Settings | undefined;
  loadError: string | undefined;
  view: View;
  /** The export shown in the Exports view; none shows the list. */
  jobId: string | undefined;
  load(): Promise<void>;
  /** Saves a change; on a refusal returns the server's message (for the field that caused it). */
  saveSettings(patch: Partial<Settings>): Promise<{ ok: true } | { ok: false; message: string }>;
  /** Tries the proxy at that address (not saved) and says how it went. Never throws. */
  testProxy(proxyUrl: string): Promise<{ ok: boolean; message: string }>;
  /** Whether a CA file is chosen in the main process's open dialog (desktop) or read in the page (browser). */
  caFilePicker: 'dialog' | 'page';
  /**
   * The CA file the user chose: through the open dialog, or the file the page read (browser mode), checked
   * and kept by the main process. `path` undefined when the dialog was cancelled.
   */
  chooseCaFile(file?: File): Promise<{ ok: true; path?: string } | { ok: false; message: string }>;
  navigate(view: View, jobId?: string): void;
}

/** As the main process allows (electron/app/ca-file.ts). */
const MAX_CA_BYTES = 1024 * 1024;

export function createAppStore(client: ExportDeskClient) {
  return createStore<AppState>()((set) => ({
    info: undefined,
    settings: undefined,
    loadError: undefined,
    view: 'exports',
    jobId: undefined,
    async load() {
      try {
        const [info, settings] = await Promise.all([
          client.call('app.info', {}),
          client.call('settings.get', {}),
        ]);
        set({ info, settings, loadError: undefined });
      } catch (e) {
        set({ loadError: errorMessage(e) });
      }
    },
    async saveSettings(patch) {
      try {
        const settings = await client.call('settings.set', patch);
        set({ settings });
        return { ok: true };
      } catch (e) {
        return { ok: false, message: errorMessage(e) };
      }
    },
    testProxy(proxyUrl) {
      return client.call('settings.testProxy', { proxyUrl }).then(
        (r) => r,
        (e: unknown) => ({ ok: false, message: errorMessage(e) }),
      );
    },
    caFilePicker: client.kind === 'desktop' ? 'dialog' : 'page',
    async chooseCaFile(file) {
      try {
        if (!file) return { ok: true, ...(await client.call('settings.chooseCaFile', {})) };
        if (file.size > MAX_CA_BYTES)
          return { ok: false, message: `${file.name} is larger than 1 MB; it is not a CA certificate file.` };
        const kept = await client.call('settings.keepCaFile', { name: file.name, text: await file.text() });
        return { ok: true, path: kept.path };
      } catch (e) {
        return { ok: false, message: errorMessage(e) };
      }
    },
    navigate(view, jobId) {
      set({ view, jobId });
    },
  }));
}
