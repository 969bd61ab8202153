/**
 * Where the OS has a tray and at least one schedule exists, closing the window hides it to the tray, so
 * schedules keep running; the tray's menu opens the window again or quits. Quitting from the app menu (or
 * the tray) quits for real. Without a tray (none on this desktop, or no icon), the window closes as usual.
 */
import { Menu, Tray, type BrowserWindow, type Event } from 'electron';

export interface TrayOptions {
  /** The tray's icon; none: no tray. */
  iconPath: string | undefined;
  /** Whether any schedule exists (kept up to date by the caller). */
  hasSchedules(): boolean;
  open(): void;
  quit(): void;
}

export class ScheduleTray {
  #tray: Tray | undefined;
  #quitting = false;

  constructor(private readonly opts: TrayOptions) {}

  /** Called when the app is quitting: windows close for real from then on. */
  quitting(): void {
    this.#quitting = true;
  }

  /** Makes the window hide to the tray on close while schedules exist. */
  follow(win: BrowserWindow): void {
    win.on('close', (event: Event) => {
      if (this.#quitting || !this.opts.hasSchedules() || !this.#ensureTray()) return;
      event.preventDefault();
      win.hide();
    });
  }

  destroy(): void {
    if (this.#tray && !this.#tray.isDestroyed()) this.#tray.destroy();
    this.#tray = undefined;
  }

  #ensureTray(): boolean {
    if (this.#tray && !this.#tray.isDestroyed()) return true;
    if (!this.opts.iconPath) return false;
    try {
      const tray = new Tray(this.opts.iconPath);
      tray.setToolTip('Export Desk: schedules keep running');
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label: 'Open Export Desk', click: () => this.opts.open() },
          { type: 'separator' },
          {
            label: 'Quit',
            click: () => {
              this.#quitting = true;
              this.opts.quit();
            },
          },
        ]),
      );
      tray.on('click', () => this.opts.open());
      this.#tray = tray;
      return true;
    } catch {
      // This desktop has no tray (or cannot show the icon): the window closes as it always did.
      return false;
    }
  }
}
