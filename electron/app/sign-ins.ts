/**
 * Browser sign-ins in progress, one per connection: started by `connections.signIn` (which answers with
 * the page to open), finished by `connections.signInResult` (which answers once the tokens are stored in
 * the keychain, or with the reason they are not).
 */
import type { ProviderRuntime, SignInSession, TestContext } from '../providers/types.ts';
import type { Connection } from '../../shared/api.ts';
import type { ConnectionStore } from './connections.ts';
import { UserError } from './user-error.ts';

interface Deps {
  context(ref: string): Promise<{
    runtime: ProviderRuntime<unknown, unknown>;
    ctx: TestContext<unknown>;
    connection: Connection;
  }>;
  connections: ConnectionStore;
  openSignInPage(url: string): boolean;
}

function describe(e: unknown): string {
  const err = e as { message?: string; hint?: string };
  const message = err.message ?? String(e);
  if (!err.hint) return message;
  return `${/[.!?]$/.test(message) ? message : `${message}.`} ${err.hint}`;
}

export class SignIns {
  private readonly sessions = new Map<string, SignInSession>();

  constructor(private readonly deps: Deps) {}

  /** Starts listening for the redirect and opens the vendor's page; returns its address for the page too. */
  async begin(ref: string): Promise<{ url: string; opened: boolean }> {
    const { runtime, ctx, connection } = await this.deps.context(ref);
    if (!runtime.signIn)
      throw new UserError(
        `${connection.name} does not sign in through a browser; it uses its stored secrets.`,
      );
    this.sessions.get(connection.id)?.cancel();
    this.sessions.delete(connection.id);
    let session: SignInSession;
    try {
      session = await runtime.signIn(ctx);
    } catch (e) {
      throw new UserError(describe(e));
    }
    this.sessions.set(connection.id, session);
    return { url: session.url, opened: this.deps.openSignInPage(session.url) };
  }

  /** Waits for the started sign-in; stores what it yields. Never throws for a refused sign-in: it says why. */
  async result(ref: string): Promise<{ signedIn: boolean; message: string }> {
    const connection = await this.deps.connections.get(ref);
    const session = this.sessions.get(connection.id);
    if (!session) throw new UserError(`No sign-in is waiting for "${connection.name}"; start one first.`);
    try {
      const secrets = await session.done;
      for (const [field, value] of Object.entries(secrets))
        await this.deps.connections.setSecret(connection.id, field, value);
      return { signedIn: true, message: `Signed in: "${connection.name}" is ready to export.` };
    } catch (e) {
      return { signedIn: false, message: describe(e) };
    } finally {
      if (this.sessions.get(connection.id) === session) this.sessions.delete(connection.id);
    }
  }

  cancelAll(): void {
    for (const s of this.sessions.values()) s.cancel();
    this.sessions.clear();
  }
}
