/**
 * The part of Electron's API this app uses, for the type check where the `electron` package (an optional
 * dependency whose binary download may fail) is not installed. The signatures are copied, narrowed, from
 * Electron 45's own electron.d.ts.
 *
 * Where the real package is installed, its `declare module 'electron' { export = ... }` takes over: an
 * ambient module with an export assignment exposes only that assignment, so these declarations are ignored
 * (both files are declarations, which `skipLibCheck` does not check against each other).
 */
declare module 'electron' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- what Electron's own signatures take and give
  type AnyValue = any;
  type Listener = (...args: AnyValue[]) => void;

  interface EventEmitterLike {
    on(event: string, listener: Listener): this;
    once(event: string, listener: Listener): this;
    removeListener(event: string, listener: Listener): this;
  }

  export interface Event {
    preventDefault(): void;
    readonly defaultPrevented: boolean;
  }

  export interface Rectangle {
    x: number;
    y: number;
    width: number;
    height: number;
  }

  export interface Display {
    id: number;
    bounds: Rectangle;
    workArea: Rectangle;
  }

  export interface WebFrameMain {
    readonly url: string;
    readonly origin: string;
    readonly parent: WebFrameMain | null;
    readonly top: WebFrameMain | null;
  }

  export interface HandlerDetails {
    url: string;
    frameName: string;
    disposition: string;
  }

  export interface WindowOpenHandlerResponse {
    action: 'deny' | 'allow';
  }

  export type PermissionRequestHandler = (
    webContents: WebContents,
    permission: string,
    callback: (permissionGranted: boolean) => void,
    details: { requestingUrl?: string },
  ) => void;

  export type PermissionCheckHandler = (
    webContents: WebContents | null,
    permission: string,
    requestingOrigin: string,
    details: { requestingUrl?: string },
  ) => boolean;

  export interface Session {
    setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
    setPermissionCheckHandler(handler: PermissionCheckHandler | null): void;
  }

  export interface WebPreferences {
    preload?: string;
    sandbox?: boolean;
    contextIsolation?: boolean;
    nodeIntegration?: boolean;
    nodeIntegrationInSubFrames?: boolean;
    nodeIntegrationInWorker?: boolean;
    webviewTag?: boolean;
    webSecurity?: boolean;
    allowRunningInsecureContent?: boolean;
    experimentalFeatures?: boolean;
    enableBlinkFeatures?: string;
    disableBlinkFeatures?: string;
    navigateOnDragDrop?: boolean;
    spellcheck?: boolean;
    devTools?: boolean;
    safeDialogs?: boolean;
  }

  export interface BrowserWindowConstructorOptions {
    width?: number;
    height?: number;
    x?: number;
    y?: number;
    minWidth?: number;
    minHeight?: number;
    show?: boolean;
    title?: string;
    icon?: string;
    backgroundColor?: string;
    webPreferences?: WebPreferences;
  }

  export interface WebContents extends EventEmitterLike {
    readonly id: number;
    readonly session: Session;
    readonly mainFrame: WebFrameMain;
    send(channel: string, ...args: unknown[]): void;
    setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
    isDestroyed(): boolean;
    getURL(): string;
    toggleDevTools(): void;
  }

  export interface ProgressBarOptions {
    mode?: 'none' | 'normal' | 'indeterminate' | 'error' | 'paused';
  }

  export class BrowserWindow implements EventEmitterLike {
    constructor(options?: BrowserWindowConstructorOptions);
    static getAllWindows(): BrowserWindow[];
    readonly webContents: WebContents;
    on(event: string, listener: Listener): this;
    once(event: string, listener: Listener): this;
    removeListener(event: string, listener: Listener): this;
    loadURL(url: string): Promise<void>;
    show(): void;
    hide(): void;
    isVisible(): boolean;
    focus(): void;
    close(): void;
    restore(): void;
    maximize(): void;
    isMinimized(): boolean;
    isMaximized(): boolean;
    isFullScreen(): boolean;
    isFocused(): boolean;
    isDestroyed(): boolean;
    getBounds(): Rectangle;
    getNormalBounds(): Rectangle;
    getTitle(): string;
    setTitle(title: string): void;
    setBackgroundColor(color: string): void;
    setProgressBar(progress: number, options?: ProgressBarOptions): void;
  }

  export interface IpcMainInvokeEvent {
    readonly sender: WebContents;
    readonly senderFrame: WebFrameMain | null;
  }

  export interface IpcMain {
    handle(
      channel: string,
      listener: (event: IpcMainInvokeEvent, ...args: AnyValue[]) => Promise<AnyValue> | AnyValue,
    ): void;
    removeHandler(channel: string): void;
  }
  export const ipcMain: IpcMain;

  export interface IpcRendererEvent {
    readonly sender: IpcRenderer;
  }

  export interface IpcRenderer {
    invoke(channel: string, ...args: AnyValue[]): Promise<AnyValue>;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: AnyValue[]) => void): this;
    removeListener(channel: string, listener: (...args: AnyValue[]) => void): this;
  }
  export const ipcRenderer: IpcRenderer;

  export const contextBridge: {
    exposeInMainWorld(apiKey: string, api: AnyValue): void;
  };

  export const shell: {
    openExternal(url: string, options?: { activate?: boolean }): Promise<void>;
    showItemInFolder(fullPath: string): void;
    openPath(path: string): Promise<string>;
  };

  export interface FileFilter {
    name: string;
    extensions: string[];
  }

  export interface SaveDialogOptions {
    title?: string;
    defaultPath?: string;
    buttonLabel?: string;
    filters?: FileFilter[];
    properties?: Array<
      'showHiddenFiles' | 'createDirectory' | 'treatPackageAsDirectory' | 'showOverwriteConfirmation'
    >;
  }

  export interface SaveDialogReturnValue {
    canceled: boolean;
    filePath: string;
  }

  export interface OpenDialogOptions {
    title?: string;
    defaultPath?: string;
    buttonLabel?: string;
    filters?: FileFilter[];
    properties?: Array<
      'openFile' | 'openDirectory' | 'multiSelections' | 'showHiddenFiles' | 'createDirectory'
    >;
  }

  export interface OpenDialogReturnValue {
    canceled: boolean;
    filePaths: string[];
  }

  export const dialog: {
    showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
    showSaveDialog(options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
    showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
    showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
    showErrorBox(title: string, content: string): void;
  };

  export interface CustomScheme {
    scheme: string;
    privileges?: {
      standard?: boolean;
      secure?: boolean;
      supportFetchAPI?: boolean;
      corsEnabled?: boolean;
      stream?: boolean;
      bypassCSP?: boolean;
      allowServiceWorkers?: boolean;
      codeCache?: boolean;
    };
  }

  export const protocol: {
    registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };

  export const session: { readonly defaultSession: Session };

  export const nativeTheme: EventEmitterLike & {
    readonly shouldUseDarkColors: boolean;
    themeSource: 'system' | 'light' | 'dark';
  };

  export const screen: { getAllDisplays(): Display[] };

  export interface MenuItemConstructorOptions {
    label?: string;
    role?:
      | 'undo'
      | 'redo'
      | 'cut'
      | 'copy'
      | 'paste'
      | 'pasteAndMatchStyle'
      | 'delete'
      | 'selectAll'
      | 'reload'
      | 'forceReload'
      | 'toggleDevTools'
      | 'resetZoom'
      | 'zoomIn'
      | 'zoomOut'
      | 'togglefullscreen'
      | 'window'
      | 'minimize'
      | 'close'
      | 'help'
      | 'about'
      | 'services'
      | 'hide'
      | 'hideOthers'
      | 'unhide'
      | 'quit'
      | 'zoom'
      | 'front'
      | 'appMenu'
      | 'fileMenu'
      | 'editMenu'
      | 'viewMenu'
      | 'windowMenu';
    type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
    accelerator?: string;
    enabled?: boolean;
    visible?: boolean;
    click?: () => void;
    submenu?: MenuItemConstructorOptions[];
  }

  export class Menu {
    static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
    static setApplicationMenu(menu: Menu | null): void;
  }

  export class Tray implements EventEmitterLike {
    constructor(image: string);
    setToolTip(toolTip: string): void;
    setContextMenu(menu: Menu | null): void;
    destroy(): void;
    isDestroyed(): boolean;
    on(event: string, listener: Listener): this;
    once(event: string, listener: Listener): this;
    removeListener(event: string, listener: Listener): this;
  }

  export class Notification implements EventEmitterLike {
    constructor(options?: { title?: string; body?: string; silent?: boolean });
    static isSupported(): boolean;
    show(): void;
    on(event: string, listener: Listener): this;
    once(event: string, listener: Listener): this;
    removeListener(event: string, listener: Listener): this;
  }

  export const app: EventEmitterLike & {
    readonly isPackaged: boolean;
    whenReady(): Promise<void>;
    requestSingleInstanceLock(): boolean;
    quit(): void;
    exit(exitCode?: number): void;
    relaunch(options?: { args?: string[]; execPath?: string }): void;
    enableSandbox(): void;
    getName(): string;
    setName(name: string): void;
    getVersion(): string;
    getPath(name: 'home' | 'appData' | 'userData' | 'downloads' | 'documents' | 'temp' | 'logs'): string;
    setPath(name: 'userData' | 'sessionData' | 'logs', path: string): void;
    setAppUserModelId(id: string): void;
  };
}
