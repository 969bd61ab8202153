/** The window's size and position, kept in window-state.json in the data folder between runs. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Rectangle } from 'electron';
import { z } from 'zod';
import { writeFileAtomic } from '../base/atomic-file.ts';

const coordinate = z.number().int().min(-99_999).max(99_999);
const WindowStateSchema = z.object({
  x: coordinate,
  y: coordinate,
  width: coordinate,
  height: coordinate,
  maximized: z.unknown().transform((v) => v === true),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_SIZE = { width: 1280, height: 800 };
export const MIN_SIZE = { width: 960, height: 640 };
/** How much of the window must be on a screen to be reachable: enough of the title bar to grab. */
const MIN_VISIBLE = { width: 120, height: 40 };

const stateFile = (dataDir: string) => path.join(dataDir, 'window-state.json');

export async function loadWindowState(dataDir: string): Promise<WindowState | undefined> {
  try {
    return WindowStateSchema.parse(JSON.parse(await readFile(stateFile(dataDir), 'utf8')));
  } catch {
    // Missing or damaged: the window opens at its default size, which is no reason to fail.
    return undefined;
  }
}

export async function saveWindowState(dataDir: string, state: WindowState): Promise<void> {
  // Rewritten on every close and rebuildable: fsync is not worth the wait.
  await writeFileAtomic(stateFile(dataDir), `${JSON.stringify(state)}\n`, { fsync: false });
}

/** A remembered position is used only if enough of it is on a screen that is still attached. */
function isOnVisibleDisplay(b: Rectangle, workAreas: readonly Rectangle[]): boolean {
  return workAreas.some(
    (a) =>
      Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) >= MIN_VISIBLE.width &&
      Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) >= MIN_VISIBLE.height,
  );
}

/** The bounds to open with: the remembered ones if still visible, otherwise the default size, centred. */
export function initialBounds(
  saved: WindowState | undefined,
  workAreas: readonly Rectangle[],
): { bounds: Partial<Rectangle> & { width: number; height: number }; maximized: boolean } {
  if (!saved) return { bounds: { ...DEFAULT_SIZE }, maximized: false };
  const size = {
    width: Math.max(saved.width, MIN_SIZE.width),
    height: Math.max(saved.height, MIN_SIZE.height),
  };
  if (isOnVisibleDisplay({ x: saved.x, y: saved.y, ...size }, workAreas))
    return { bounds: { x: saved.x, y: saved.y, ...size }, maximized: saved.maximized };
  // The screen it was on is gone (a laptop off its dock): keep the size, let the OS place it.
  return { bounds: size, maximized: saved.maximized };
}
