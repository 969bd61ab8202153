import { spawn } from 'node:child_process';
import { withoutSecrets } from '../../shared/secret-env.ts';

/**
 * Opens an http(s) address in the system browser (a sign-in from a terminal, browser mode's page). Only a
 * parsed http(s) URL is passed, as one argument and without a shell, so nothing in it can run as a
 * command. Resolves false when the opener is missing or reports failure (no desktop session), so the
 * caller can say what to do instead.
 */
export function openBrowser(raw: string): Promise<boolean> {
  const url = URL.parse(raw);
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') return Promise.resolve(false);
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url.href]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url.href]]
        : ['xdg-open', [url.href]];
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args, { stdio: 'ignore', detached: true, env: withoutSecrets(process.env) });
      child.on('error', () => resolve(false));
      child.on('exit', (code) => resolve(code === 0));
      // An opener that stays with the browser must not keep the command running.
      child.unref();
    } catch {
      resolve(false);
    }
  });
}
