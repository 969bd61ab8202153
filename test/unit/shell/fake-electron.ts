/**
 * A small stand-in for the 'electron' module: records what the shell asks of Electron, so its glue can be
 * tested in plain Node. Use with `vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fake))`
 * and call `resetFake()` before each test.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export interface FakeEvent {
  preventDefault(): void;
  readonly defaultPrevented: boolean;
  url?: string;
}

export function fakeEvent(extra: Record<string, unknown> = {}): FakeEvent {
  let prevented = false;
  return {
    ...extra,
    preventDefault() {
      prevented = true;
    },
    get defaultPrevented() {
      return prevented;
    },
  };
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

export function mainFrame(url: string): FakeFrame {
  return { url, parent: null };
}

export function subFrame(url: string, parentUrl = 'app://exportdesk/index.html'): FakeFrame {
  return { url, parent: mainFrame(parentUrl) };
}

type WindowOpenHandler = (details: { url: string; frameName: string; disposition: string }) => {
  action: string;
};

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: WindowOpenHandler | undefined;
  readonly sent: Array<[string, ...unknown[]]> = [];
  destroyed = false;
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** What the page's `window.open(url)` would get. */
  openWindow(url: string): { action: string } | undefined {
    return this.windowOpenHandler?.({ url, frameName: '', disposition: 'new-window' });
  }
  /** Emits `name` as Electron does (event, url) and tells whether a listener prevented it. */
  navigate(name: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', url: string): boolean {
    const event = fakeEvent({ url });
    this.emit(name, event, url);
    return event.defaultPrevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((w) => !w.destroyed);
  }

  readonly webContents = new FakeWebContents();
  readonly progress: number[] = [];
  bounds: { x: number; y: number; width: number; height: number };
  normalBounds: { x: number; y: number; width: number; height: number } | undefined;
  maximized = false;
  fullScreen = false;
  destroyed = false;
  shown = false;
  backgroundColor: string | undefined;
  title: string;
  readonly loadURL = vi.fn(async (_url: string) => undefined);

  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    this.bounds = {
      x: typeof options.x === 'number' ? options.x : 100,
      y: typeof options.y === 'number' ? options.y : 100,
      width: Number(options.width ?? 800),
      height: Number(options.height ?? 600),
    };
    this.backgroundColor = options.backgroundColor as string | undefined;
    this.title = String(options.title ?? '');
    FakeBrowserWindow.instances.push(this);
  }

  /** Like a user closing the window: a listener may hold the close up. */
  close(): void {
    if (this.destroyed) return;
    const event = fakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.emit('closed');
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {}
  restore(): void {}
  maximize(): void {
    this.maximized = true;
  }
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  isFocused(): boolean {
    return true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getBounds() {
    return { ...this.bounds };
  }
  getNormalBounds() {
    return { ...(this.normalBounds ?? this.bounds) };
  }
  getTitle(): string {
    return this.title;
  }
  setTitle(title: string): void {
    this.title = title;
  }
  setBackgroundColor(color: string): void {
    this.backgroundColor = color;
  }
  setProgressBar(value: number): void {
    this.progress.push(value);
  }
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    // Electron refuses a second handler for a channel; so does the fake.
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke(channel, input) from `frame` would get. */
  async invoke(channel: string, frame: FakeFrame | null, input?: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: frame, sender: new FakeWebContents() }, input);
  }
}

class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn(async (_channel: string, _input?: unknown): Promise<unknown> => ({
    ok: true,
    result: undefined,
  }));
}

export class FakeNotification extends EventEmitter {
  static readonly shown: FakeNotification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  constructor(readonly options: { title?: string; body?: string } = {}) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

class FakeNativeTheme extends EventEmitter {
  shouldUseDarkColors = false;
  themeSource: 'system' | 'light' | 'dark' = 'system';
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  readonly paths: Record<string, string> = { downloads: '/home/analyst/Downloads', userData: '/tmp/none' };
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  whenReady = async () => undefined;
  requestSingleInstanceLock = () => true;
  enableSandbox(): void {}
  getName = () => 'Export Desk';
  setName(_name: string): void {}
  getVersion = () => '0.0.0-test';
  getPath = (name: string) => this.paths[name] ?? `/tmp/${name}`;
  setPath(name: string, value: string): void {
    this.paths[name] = value;
  }
  setAppUserModelId(_id: string): void {}
}

function createFake() {
  return {
    app: new FakeApp(),
    BrowserWindow: FakeBrowserWindow,
    ipcMain: new FakeIpcMain(),
    ipcRenderer: new FakeIpcRenderer(),
    contextBridge: {
      exposed: new Map<string, unknown>(),
      exposeInMainWorld(key: string, api: unknown) {
        this.exposed.set(key, api);
      },
    },
    shell: {
      openExternal: vi.fn(async (_url: string) => undefined),
      showItemInFolder: vi.fn((_path: string) => undefined),
      openPath: vi.fn(async (_path: string) => ''),
    },
    dialog: {
      showSaveDialog: vi.fn(
        async (..._args: unknown[]): Promise<{ canceled: boolean; filePath: string }> => ({
          canceled: true,
          filePath: '',
        }),
      ),
      showErrorBox: vi.fn(),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: vi.fn(),
    },
    session: {
      defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
    },
    nativeTheme: new FakeNativeTheme(),
    screen: {
      getAllDisplays: vi.fn(() => [
        {
          id: 1,
          bounds: { x: 0, y: 0, width: 1920, height: 1080 },
          workArea: { x: 0, y: 0, width: 1920, height: 1040 },
        },
      ]),
    },
    Menu: {
      buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
      setApplicationMenu: vi.fn(),
    },
    Notification: FakeNotification,
  };
}

/** The module object handed to vi.mock; resetFake() resets it in place, so imports of it stay valid. */
export const fake = createFake();

export function resetFake(): void {
  FakeBrowserWindow.instances = [];
  FakeNotification.shown.length = 0;
  FakeNotification.supported = true;
  fake.ipcMain.handlers.clear();
  fake.ipcRenderer.removeAllListeners();
  fake.contextBridge.exposed.clear();
  fake.nativeTheme.removeAllListeners();
  fake.nativeTheme.shouldUseDarkColors = false;
  fake.app.removeAllListeners();
  fake.app.isPackaged = false;
  const fresh = createFake();
  Object.assign(fake.app.paths, fresh.app.paths);
  // Vitest's mockReset puts back the implementation each vi.fn was created with.
  for (const group of Object.values(fake) as unknown[]) {
    if (!group || typeof group !== 'object') continue;
    for (const member of Object.values(group)) if (vi.isMockFunction(member)) member.mockReset();
  }
  for (const member of Object.values(fake.session.defaultSession)) member.mockReset();
}

/** URLs handed to the system browser. Only the safe-link helper may call openExternal; tests observe it. */
export function openedExternally(): string[] {
  // eslint-disable-next-line no-restricted-properties -- observing the fake, not opening anything
  return fake.shell.openExternal.mock.calls.map(([url]) => url);
}
