/** The application menu: the usual roles and shortcuts, developer items only in development. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import { APP_NAME } from '../app/paths.ts';
import { PROVIDERS } from '../../shared/providers/index.ts';
import { openExternalSafely } from './external-links.ts';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Development build: adds reload and the developer tools. */
  isDev: boolean;
  /** Opens the data folder (connections, jobs, the log) in the file manager. */
  openDataFolder: () => void;
}

/** Each provider's first external host is its documentation site. */
function vendorDocs(): MenuItemConstructorOptions[] {
  return PROVIDERS.flatMap((p) => {
    const host = p.externalHosts[0];
    return host
      ? [{ label: `${p.name} API documentation`, click: () => openExternalSafely(`https://${host}/`) }]
      : [];
  });
}

type Role = NonNullable<MenuItemConstructorOptions['role']>;

/** Items for Electron's built-in roles, in order; '-' is a separator. */
function roles(...names: (Role | '-')[]): MenuItemConstructorOptions[] {
  return names.map((role) => (role === '-' ? { type: 'separator' } : { role }));
}

export function menuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin';
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: APP_NAME,
          submenu: roles('about', '-', 'services', '-', 'hide', 'hideOthers', 'unhide', '-', 'quit'),
        },
      ]
    : [];
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open Data Folder', click: opts.openDataFolder },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', label: 'E&xit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: roles('undo', 'redo', '-', 'cut', 'copy', 'paste', 'delete', '-', 'selectAll'),
  };
  const dev = opts.isDev ? roles('reload', 'forceReload', 'toggleDevTools', '-') : [];
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [...dev, ...roles('resetZoom', 'zoomIn', 'zoomOut', '-', 'togglefullscreen')],
  };
  const window: MenuItemConstructorOptions = {
    label: '&Window',
    role: 'window',
    submenu: mac ? roles('minimize', 'zoom', '-', 'front') : roles('minimize', 'close'),
  };
  const help: MenuItemConstructorOptions = { label: '&Help', role: 'help', submenu: vendorDocs() };
  return [...appMenu, file, edit, view, window, help];
}

export function installMenu(opts: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(opts)));
}
