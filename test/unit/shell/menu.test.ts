import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { fake, openedExternally, resetFake } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fake));

const { installMenu, menuTemplate } = await import('../../../electron/shell/menu.ts');

beforeEach(resetFake);

/** A template's submenu items (Electron's own types also allow a built Menu there; this app never uses one). */
function items(menu: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return Array.isArray(menu?.submenu) ? menu.submenu : [];
}

function roles(list: MenuItemConstructorOptions[]): string[] {
  return list.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(items(i))]);
}

const base = { platform: 'linux' as NodeJS.Platform, isDev: false, openDataFolder: () => undefined };

describe('application menu', () => {
  it('has the usual edit, view and window roles, and no developer tools in production', () => {
    const template = menuTemplate(base);
    expect(template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    const all = roles(template);
    for (const role of [
      'quit',
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
      'zoomIn',
      'togglefullscreen',
    ])
      expect(all).toContain(role);
    expect(all).not.toContain('toggleDevTools');
    expect(all).not.toContain('reload');
  });

  it('adds reload and developer tools in development, and the app menu on macOS', () => {
    expect(roles(menuTemplate({ ...base, isDev: true }))).toEqual(
      expect.arrayContaining(['reload', 'toggleDevTools']),
    );
    const mac = menuTemplate({ ...base, platform: 'darwin' });
    expect(mac[0]?.label).toBe('Export Desk');
    expect(roles(mac)).toEqual(expect.arrayContaining(['about', 'hide', 'quit', 'front']));
  });

  it('opens vendor documentation through the safe link helper', () => {
    const help = items(menuTemplate(base).at(-1));
    const click = help.find((i) => i.label === 'OmniQ API documentation')?.click as (() => void) | undefined;
    click?.();
    expect(openedExternally()).toEqual(['https://omniq-docs.pages.dev/']);
  });

  it('installs the menu', () => {
    installMenu(base);
    const built = fake.Menu.buildFromTemplate.mock.results[0]?.value as {
      template: MenuItemConstructorOptions[];
    };
    expect(built.template.map((m) => m.label)).toEqual(menuTemplate(base).map((m) => m.label));
    expect(fake.Menu.setApplicationMenu).toHaveBeenCalledWith(built);
  });
});
