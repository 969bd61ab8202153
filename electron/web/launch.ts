/**
 * What `npm start` and `npm run demo` share in browser mode: build the page if needed, serve it with the
 * app, print the address, open the browser, and shut everything down cleanly on Ctrl-C.
 */
import type { AppService } from '../app/service.ts';
import { openBrowser } from '../cli/open-browser.ts';
import { startInAppScheduler } from '../schedules/in-app.ts';
import { ensureRendererBuilt } from './renderer-build.ts';
import { startWebServer, type WebServer } from './server.ts';

export interface LaunchOptions {
  /** The repository root: where renderer/ and dist/renderer live. */
  root: string;
  app: AppService;
  /** Printed under the address, e.g. what the demo set up. */
  notes?: string[];
  /** Runs after the server and the app are closed (the demo stops its simulators here). */
  onStop?: () => Promise<void>;
}

/** Serves the app until Ctrl-C (or SIGTERM), then closes the server, the app and whatever `onStop` holds. */
export async function launchBrowserMode(opts: LaunchOptions): Promise<WebServer> {
  const log = (line: string) => console.log(line);
  const staticDir = await ensureRendererBuilt(opts.root, log);
  const server = await startWebServer({ app: opts.app, staticDir, host: '127.0.0.1' });
  // Schedules run while this server does; missed ones run once now. Their notices are printed too, for
  // when no page is open to show them.
  opts.app.scheduleFeed.on((e) => {
    if (e.event === 'schedules.notice') log(`${e.payload.title}: ${e.payload.body}`);
  });
  const scheduler = startInAppScheduler(opts.app);
  log(`\nExport Desk is running in your browser at:\n\n  ${server.url}\n`);
  for (const note of opts.notes ?? []) log(note);
  log('The address holds a one-time key for this run: keep it to yourself. Press Ctrl-C to stop.');
  // Not in CI or with EXPORTDESK_NO_BROWSER=1: a test run or a headless box has no one to look.
  if (process.env.EXPORTDESK_NO_BROWSER !== '1' && !process.env.CI) void openBrowser(server.url);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    log('\nStopping Export Desk…');
    // A run under way is not waited for: its export is resumed or marked interrupted at the next start.
    void scheduler.stop();
    void server
      .close()
      .then(() => opts.app.close())
      .then(() => opts.onStop?.())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`Export Desk did not stop cleanly: ${String(err)}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
