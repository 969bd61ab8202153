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

export function menuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin';
  const sep: MenuItemConstructorOptions = { type: 'separator' };
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: APP_NAME,
          submenu: [
            { role: 'about' },
            sep,
            { role: 'services' },
            sep,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            sep,
            { role: 'quit' },
          ],
        },
      ]
    : [];
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open Data Folder', click: opts.openDataFolder },
      sep,
      mac ? { role: 'close' } : { role: 'quit', label: 'E&xit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      sep,
      { role: 'selectAll' },
    ],
  };
  const dev: MenuItemConstructorOptions[] = opts.isDev
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, sep]
    : [];
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...dev,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
    ],
  };
  const window: MenuItemConstructorOptions = {
    label: '&Window',
    role: 'window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, sep, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: MenuItemConstructorOptions = { label: '&Help', role: 'help', submenu: vendorDocs() };
  return [...appMenu, file, edit, view, window, help];
}

export function installMenu(opts: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(opts)));
}
