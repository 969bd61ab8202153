/**
 * Browser sign-ins in progress, one per connection: started by `connections.signIn` (which answers with
 * the page to open), finished by `connections.signInResult` (which answers once the tokens are stored in
 * the keychain, or with the reason they are not).
 */
import type { SignInSession } from '../jobs/provider.ts';
import { withHint as describe } from './provider-context.ts';
import type { AppService } from './service.ts';
import { UserError } from '../base/user-error.ts';

interface Pending {
  session: SignInSession;
  /** Settles once the tokens are stored (or the sign-in failed), whether or not anyone is waiting. */
  outcome: Promise<{ signedIn: boolean; message: string }>;
}

export class SignIns {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly app: Pick<AppService, 'calls' | 'connections' | 'hooks'>) {}

  /** Starts listening for the redirect and opens the vendor's page; returns its address for the page too. */
  async begin(ref: string): Promise<{ url: string; opened: boolean }> {
    const { runtime, ctx, connection } = await this.app.calls.context(ref);
    if (!runtime.signIn)
      throw new UserError(
        `${connection.name} does not sign in through a browser; it uses its stored secrets.`,
      );
    this.pending.get(connection.id)?.session.cancel();
    this.pending.delete(connection.id);
    let session: SignInSession;
    try {
      session = await runtime.signIn(ctx);
    } catch (e) {
      throw new UserError(describe(e));
    }
    // The tokens are stored as soon as they arrive: a window reloaded meanwhile loses nothing.
    const outcome = session.done.then(
      async (secrets) => {
        try {
          for (const [field, value] of Object.entries(secrets))
            await this.app.connections.setSecret(connection.id, field, value);
        } catch (e) {
          return {
            signedIn: false,
            message: `Signed in, but the tokens could not be stored: ${describe(e)}`,
          };
        }
        return { signedIn: true, message: `Signed in: "${connection.name}" is ready to export.` };
      },
      (e: unknown) => ({ signedIn: false, message: describe(e) }),
    );
    const entry: Pending = { session, outcome };
    this.pending.set(connection.id, entry);
    void outcome.finally(() => {
      // Kept a little while for a late `result` call, then forgotten.
      setTimeout(() => {
        if (this.pending.get(connection.id) === entry) this.pending.delete(connection.id);
      }, 60_000).unref();
    });
    return { url: session.url, opened: this.app.hooks.openSignInPage?.(session.url) ?? false };
  }

  /** Waits for the started sign-in to end. Never throws for a refused sign-in: it says why. */
  async result(ref: string): Promise<{ signedIn: boolean; message: string }> {
    const connection = await this.app.connections.get(ref);
    const entry = this.pending.get(connection.id);
    if (!entry) throw new UserError(`No sign-in is waiting for "${connection.name}"; start one first.`);
    return entry.outcome;
  }

  cancelAll(): void {
    for (const p of this.pending.values()) p.session.cancel();
    this.pending.clear();
  }
}
