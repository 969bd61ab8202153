/**
 * Electron's entry point (bundled to dist/electron/main.cjs): one instance, one window, the contract
 * served over IPC to that window's page.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, nativeTheme, session, shell, type WebContents } from 'electron';
import { desktopRelaunchArgs, RELAUNCHED_ENV } from './app/heap.ts';
import { APP_NAME } from './app/paths.ts';
import { AppService } from './app/service.ts';
import { installDialogHooks } from './shell/dialogs.ts';
import { forwardJobUpdates, forwardScheduleEvents, registerHandlers, trustedFrame } from './shell/ipc.ts';
import { installMenu } from './shell/menu.ts';
import { APP_ENTRY_URL, APP_ORIGIN, devServerUrl, originOf, sameOrigin } from './shell/origin.ts';
import { desktopNotifier, trackProgress } from './shell/progress.ts';
import { registerAppScheme, serveAppProtocol } from './shell/protocol.ts';
import { hardenWebContents, restrictPermissions } from './shell/web-security.ts';
import { createMainWindow } from './shell/window.ts';
import { ScheduleTray } from './shell/tray.ts';
import { startInAppScheduler } from './schedules/in-app.ts';
import type { Ticker } from './schedules/ticker.ts';

// Before anything reads userData: the name decides the data folder, which the CLI shares
// (electron/app/paths.ts). EXPORTDESK_HOME points both elsewhere, e.g. a test's own folder.
app.setName(APP_NAME);
if (process.env.EXPORTDESK_HOME) app.setPath('userData', path.resolve(process.env.EXPORTDESK_HOME));
app.enableSandbox();

const devUrl = devServerUrl(process.env, app.isPackaged);
const appOrigin = devUrl ? (originOf(devUrl) ?? APP_ORIGIN) : APP_ORIGIN;
// main.cjs, preload.cjs and renderer/ sit side by side in dist/.
const preload = path.join(__dirname, 'preload.cjs');
const rendererDir = path.join(__dirname, '..', 'renderer');

let mainWindow: BrowserWindow | undefined;
let service: AppService | undefined;
let scheduler: Ticker | undefined;
/** How many schedules exist: while any does, closing the window hides it to the tray. */
let scheduleCount = 0;

/** The tray's icon: beside the app's resources when packaged, in build/icons when run from the repository. */
function trayIcon(): string | undefined {
  const resources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  const candidates = [
    ...(resources ? [path.join(resources, 'tray-icon.png')] : []),
    path.join(__dirname, '..', '..', 'build', 'icons', '256x256.png'),
  ];
  return candidates.find((file) => existsSync(file));
}

const tray = new ScheduleTray({
  iconPath: trayIcon(),
  hasSchedules: () => scheduleCount > 0,
  open: () => focusWindow(),
  quit: () => app.quit(),
});

const current = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined);

function focusWindow(): void {
  const win = current();
  if (win?.isMinimized()) win.restore();
  // Hidden to the tray: shown again.
  if (win && !win.isVisible()) win.show();
  win?.focus();
}

async function openWindow(dataDir: string): Promise<void> {
  const win = await createMainWindow({ preload, appOrigin, dataDir });
  mainWindow = win;
  tray.follow(win);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  await win.loadURL(devUrl ?? APP_ENTRY_URL);
}

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  service = await AppService.open({ dataDir, version: app.getVersion(), resumeInterrupted: true });

  serveAppProtocol(rendererDir);
  restrictPermissions(session.defaultSession, appOrigin);
  registerHandlers(ipcMain, service, trustedFrame(appOrigin));
  // Job updates only ever go to our own page (navigation away is blocked; this holds even if it were not).
  const ourPage = () => {
    const contents = current()?.webContents;
    return contents && sameOrigin(contents.getURL(), appOrigin) ? [contents] : [];
  };
  forwardJobUpdates(service.runner, ourPage);
  forwardScheduleEvents(service.scheduleFeed, ourPage);
  installDialogHooks(service, current);
  // Native menus, dialogs and the window frame follow the theme chosen in Settings.
  service.hooks.settingsChanged = (s) => (nativeTheme.themeSource = s.theme);
  nativeTheme.themeSource = (await service.settings.get()).theme;
  const notify = desktopNotifier(focusWindow);
  trackProgress({ runner: service.runner, window: current, notify });
  // Each schedule's run that succeeded or failed, and missed runs caught up, as OS notifications too.
  service.scheduleFeed.on((e) => {
    if (e.event === 'schedules.updated') scheduleCount = e.payload.length;
    else notify(e.payload.title, e.payload.body);
  });
  scheduleCount = (await service.schedules.list().catch(() => [])).length;
  installMenu({
    platform: process.platform,
    isDev: !!devUrl,
    openDataFolder: () => void shell.openPath(dataDir),
  });
  await openWindow(dataDir);
  scheduler = startInAppScheduler(service);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openWindow(dataDir);
  });
}

// Exports run with a bounded heap (app/heap.ts); V8 takes the bound only at start-up, so a main process
// launched without it (the packaged app) starts itself again with it, once, before taking the lock.
const relaunchArgs = desktopRelaunchArgs(process.argv);
if (relaunchArgs) {
  process.env[RELAUNCHED_ENV] = '1';
  app.relaunch({ args: relaunchArgs });
  app.exit(0);
} else if (!app.requestSingleInstanceLock()) {
  // Another Export Desk is running (it shares the data folder): it comes to the front instead.
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', focusWindow);
  // Every WebContents, not just the main window's, gets the same limits.
  app.on('web-contents-created', (_event: unknown, contents: WebContents) =>
    hardenWebContents(contents, appOrigin),
  );
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => tray.quitting());
  app.on('will-quit', () => {
    void scheduler?.stop();
    tray.destroy();
    void service?.close();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Export Desk could not start:', error);
      dialog.showErrorBox(
        'Export Desk could not start',
        error instanceof Error ? error.message : String(error),
      );
      app.exit(1);
    });
}
