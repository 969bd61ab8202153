/** The main window: secure by construction, remembers where it was, matches the OS theme while loading. */
import { app, BrowserWindow, nativeTheme, screen } from 'electron';
import { APP_NAME } from '../app/paths.ts';
import { hardenWebContents } from './web-security.ts';
import { initialBounds, loadWindowState, MIN_SIZE, saveWindowState } from './window-state.ts';

/** The page's background before React paints it, so a dark desktop gets no white flash. */
export const BACKGROUNDS = { light: '#ffffff', dark: '#242424' } as const;

export function backgroundColor(): string {
  return nativeTheme.shouldUseDarkColors ? BACKGROUNDS.dark : BACKGROUNDS.light;
}

export interface MainWindowOptions {
  preload: string;
  /** Origin the window may show: app://exportdesk, or the dev server in development. */
  appOrigin: string;
  dataDir: string;
}

export async function createMainWindow(opts: MainWindowOptions): Promise<BrowserWindow> {
  const saved = await loadWindowState(opts.dataDir);
  const { bounds, maximized } = initialBounds(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: APP_NAME,
    show: false,
    backgroundColor: backgroundColor(),
    // Written out here, not built by a helper, so a static checker (Electronegativity) sees every value.
    webPreferences: {
      preload: opts.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click opens links in new windows behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick',
      // A file dropped on the window must not replace the app with the file.
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  });
  hardenWebContents(win.webContents, opts.appOrigin);

  // The title bar says what the app is, whatever the page's <title>.
  win.on('page-title-updated', (event: { preventDefault(): void }) => event.preventDefault());
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });

  const followTheme = () => {
    if (!win.isDestroyed()) win.setBackgroundColor(backgroundColor());
  };
  nativeTheme.on('updated', followTheme);
  win.on('closed', () => nativeTheme.removeListener('updated', followTheme));

  rememberBounds(win, opts.dataDir);
  return win;
}

/**
 * Saves the bounds when the window closes. The close waits for the (small) write, so quitting right after
 * does not lose it; a failed write only costs the remembered position. Holding up the close cancels a
 * quit in progress, so the quit is asked for again once the file is written.
 */
function rememberBounds(win: BrowserWindow, dataDir: string): void {
  let saved = false;
  let quitting = false;
  const onQuit = () => {
    quitting = true;
  };
  app.on('before-quit', onQuit);
  win.on('closed', () => app.removeListener('before-quit', onQuit));
  win.on('close', (event: { preventDefault(): void }) => {
    if (saved) return;
    event.preventDefault();
    saved = true;
    const maximized = win.isMaximized() || win.isFullScreen();
    // Normal bounds: a maximized window reopens maximized, and un-maximizes to where it was.
    const b = maximized ? win.getNormalBounds() : win.getBounds();
    saveWindowState(dataDir, { x: b.x, y: b.y, width: b.width, height: b.height, maximized })
      .catch(() => undefined)
      .finally(() => {
        if (quitting) app.quit();
        else if (!win.isDestroyed()) win.close();
      });
  });
}
