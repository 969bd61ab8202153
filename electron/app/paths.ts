import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Export Desk';

/**
 * The data folder the desktop app uses (Electron's `userData`), so the window and the CLI share
 * connections, jobs and spools. `EXPORTDESK_HOME` points it elsewhere.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.EXPORTDESK_HOME) return path.resolve(env.EXPORTDESK_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

export type DataPaths = ReturnType<typeof dataPaths>;

export function dataPaths(root: string) {
  return {
    root,
    connections: path.join(root, 'connections.json'),
    settings: path.join(root, 'settings.json'),
    recipeState: path.join(root, 'recipe-state.json'),
    jobs: path.join(root, 'jobs'),
    /** Recipes saved or imported in the window, one JSON file each. */
    recipes: path.join(root, 'recipes'),
    /** The schedules, and the folder their runs save to unless a schedule names its own. */
    schedules: path.join(root, 'schedules.json'),
    scheduled: path.join(root, 'scheduled'),
    /** One lock file per schedule while it runs, so no two runs of one schedule overlap. */
    scheduleLocks: path.join(root, 'schedule-locks'),
    log: path.join(root, 'exportdesk.log'),
  };
}
