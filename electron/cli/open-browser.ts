import { spawn } from 'node:child_process';
import { withoutSecrets } from '../../shared/secret-env.ts';

/**
 * Opens an http(s) address in the system browser from a terminal. Only a parsed http(s) URL is passed,
 * as one argument and without a shell, so nothing in it can run as a command. Failures are quiet: the
 * address is printed for the user anyway.
 */
export function openBrowser(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return;
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url.href]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url.href]]
        : ['xdg-open', [url.href]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true, env: withoutSecrets(process.env) });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // the address is on screen
  }
}
