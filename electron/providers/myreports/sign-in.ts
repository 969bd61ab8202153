/**
 * The desktop sign-in (OAuth2 authorization code with PKCE, RFC 8252): a one-shot listener on 127.0.0.1
 * receives the browser's redirect, shows the user a plain page, and trades the code for tokens. Only a
 * request carrying this sign-in's `state` is taken as the answer: any other program or page may reach a
 * loopback port, and its requests must neither end nor decide the sign-in. The refresh token is handed back to be stored in the keychain; nothing is written to disk.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MyreportsConnection } from '../../../shared/providers/myreports.ts';
import type { SignInSession, TestContext } from '../../jobs/provider.ts';
import { vendorError } from '../vendor-errors.ts';
import { authority, signInError as fail, VENDOR } from './endpoints.ts';
import { oauthErrorCode, rememberTokens, tokenRequest } from './tokens.ts';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** How long the listener waits for the browser before giving up. */
export const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

async function listen(port: number): Promise<http.Server> {
  const server = http.createServer().listen(port, '127.0.0.1');
  await once(server, 'listening').catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EADDRINUSE') throw e;
    throw fail(
      `Port ${port} on 127.0.0.1 is in use by another program, so the sign-in cannot receive its answer.`,
      'Close the program using it, or register another redirect port for the client and set it on the connection.',
    );
  });
  return server;
}

export async function startSignIn(ctx: TestContext<MyreportsConnection>): Promise<SignInSession> {
  const c = ctx.connection;
  const clientSecret = ctx.secrets.clientSecret;
  if (!clientSecret)
    throw fail('No client secret is stored for this connection.', 'Enter the client secret, then sign in.');
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const server = await listen(c.redirectPort);
  const port = (server.address() as AddressInfo).port;
  // The documented form, without a trailing slash; the token request repeats it exactly.
  const redirectUri = `http://127.0.0.1:${port}`;
  const url = new URL(`${authority(c)}/connect/authorize`);
  url.search = new URLSearchParams({
    client_id: c.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: c.scopes,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const stop = new AbortController();
  const close = (): void => {
    stop.abort();
    server.close();
    server.closeAllConnections();
  };
  const done = new Promise<Record<string, string>>((resolve, reject) => {
    ctx.clock.sleep(SIGN_IN_TIMEOUT_MS, stop.signal).then(
      () =>
        reject(
          fail(
            'The sign-in was not finished within 10 minutes.',
            'Start the sign-in again and approve it on the Xarios page.',
          ),
        ),
      () => undefined,
    );
    let answered = false;
    const ours = (got: string | null): boolean => {
      const a = Buffer.from(got ?? '');
      const b = Buffer.from(state);
      return a.length === b.length && timingSafeEqual(a, b);
    };
    server.on('request', (req, res) => {
      /** The page the browser shows: plain text, no script, nothing from the query echoed. */
      const page = (status: number, title: string, text: string): void => {
        res.writeHead(status, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        });
        res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} – Export Desk</title>
  <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>
  </head><body><main><h1>${escape(title)}</h1><p>${escape(text)}</p></main></body></html>`);
      };
      const q = new URL(req.url ?? '/', redirectUri).searchParams;
      if (req.method !== 'GET' || !ours(q.get('state')) || (!q.has('code') && !q.has('error'))) {
        // Not the answer: the sign-in goes on waiting for it.
        page(
          400,
          'Sign-in not accepted',
          'This request does not belong to the sign-in Export Desk is waiting for, so it was ignored. Finish signing in on the page Export Desk opened.',
        );
        return;
      }
      if (answered) {
        page(409, 'Already answered', 'This sign-in was answered already. You can close this tab.');
        return;
      }
      answered = true;
      const error = q.get('error');
      if (error) {
        const denied = error === 'access_denied';
        const description = q.get('error_description');
        page(
          200,
          denied ? 'Sign-in cancelled' : 'Sign-in failed',
          denied
            ? 'You declined the request, so Export Desk is not signed in. You can close this tab.'
            : `Xarios answered: ${error}. You can close this tab.`,
        );
        reject(
          denied
            ? fail(
                'The sign-in was declined on the Xarios page.',
                'Sign in again and choose Approve to let Export Desk read your reports.',
              )
            : fail(
                `Xarios refused the sign-in: ${error}${description ? ` (${description})` : ''}.`,
                'Check the client id, the scopes and the redirect port registered for the client.',
              ),
        );
        return;
      }
      const form = {
        grant_type: 'authorization_code',
        code: q.get('code') ?? '',
        redirect_uri: redirectUri,
        code_verifier: verifier,
      };
      tokenRequest({ ...ctx, signal: stop.signal, clientSecret }, form).then(
        (tokens) => {
          rememberTokens(c, tokens);
          page(200, 'Signed in', 'Export Desk is signed in to Xarios. You can close this tab.');
          resolve({ refreshToken: tokens.refreshToken });
        },
        (e: unknown) => {
          page(502, 'Sign-in failed', 'Xarios did not hand out the tokens. See Export Desk for the reason.');
          reject(
            oauthErrorCode(e) === 'invalid_client'
              ? fail('Xarios refused the client id or client secret.', 'Check them (portal → REST API).')
              : vendorError(VENDOR, 'signing in', e, { 400: 'Start the sign-in again.' }),
          );
        },
      );
    });
  });
  // Let the browser's page arrive before the sockets go. Handling the rejection here also keeps one that
  // nobody waits on from crashing the process; it is still for whoever waits on `done`.
  const later = (): void => void setImmediate(close);
  done.then(later, later);
  return { url: url.toString(), done, cancel: close };
}
