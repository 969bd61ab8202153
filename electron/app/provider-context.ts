import type { Connection, LookupItem } from '../../shared/api.ts';
import { UserError } from '../base/user-error.ts';
import type { ProviderRuntime, TestContext } from '../jobs/provider.ts';
import type { RunnerDeps } from '../jobs/runner.ts';
import { connectionSettings, vendorCall } from '../jobs/vendor-call.ts';
import { providerRuntime } from '../providers/index.ts';

/** A provider's runtime with what it needs to call the vendor outside an export (test, lookups, sign-in). */
export interface ProviderCall {
  runtime: ProviderRuntime<unknown, unknown>;
  ctx: TestContext<unknown>;
  connection: Connection;
}

type ProviderCallDeps = Pick<RunnerDeps, 'connections' | 'http' | 'clock' | 'logger' | 'dataDir'>;

/** An error's message with its hint as a sentence of its own: "... HTTP 401 Unauthorized. Check the key ...". */
export function withHint(e: unknown): string {
  const err = e as { message?: string; hint?: string };
  const message = err.message ?? String(e);
  if (!err.hint) return message;
  return `${/[.!?]$/.test(message) ? message : `${message}.`} ${err.hint}`;
}

/** Calls to a vendor through a saved connection, outside an export. */
export class ProviderCalls {
  constructor(private readonly deps: ProviderCallDeps) {}

  async context(ref: string): Promise<ProviderCall> {
    const { connections } = this.deps;
    const c = await connections.get(ref);
    const runtime = providerRuntime(c.provider);
    if (!runtime) throw new UserError(`Unknown provider "${c.provider}".`);
    const settings = connectionSettings(runtime.definition, c);
    const secrets = await connections.secretValues(c);
    const ctx = vendorCall(this.deps, c, settings, secrets, new AbortController().signal);
    return { runtime, ctx, connection: c };
  }

  async test(ref: string): Promise<{ ok: boolean; message: string }> {
    return this.testWith(await this.context(ref));
  }

  /**
   * Tests a connection not saved yet (the form's settings, already validated, and the secrets typed in):
   * nothing is stored, not even a secret the vendor hands back.
   */
  async testDraft(
    connection: Connection,
    typed: Readonly<Record<string, string>>,
  ): Promise<{ ok: boolean; message: string }> {
    const runtime = providerRuntime(connection.provider);
    if (!runtime) throw new UserError(`Unknown provider "${connection.provider}".`);
    const settings = connectionSettings(runtime.definition, connection);
    const secrets: Record<string, string | undefined> = {};
    for (const field of runtime.definition.secretFields) secrets[field] = typed[field] || undefined;
    const ctx = vendorCall(this.deps, connection, settings, secrets, new AbortController().signal);
    ctx.saveSecret = async (field, value) => {
      secrets[field] = value;
    };
    ctx.readSecret = async (field) => secrets[field];
    return this.testWith({ runtime, ctx, connection });
  }

  private async testWith({
    runtime,
    ctx,
    connection,
  }: ProviderCall): Promise<{ ok: boolean; message: string }> {
    const missing = runtime.definition.requiredSecrets.filter((f) => !ctx.secrets[f]);
    if (missing.length > 0)
      return { ok: false, message: this.deps.connections.missingSecretMessage(connection, missing) };
    try {
      return { ok: true, message: await runtime.testConnection(ctx) };
    } catch (e) {
      return { ok: false, message: withHint(e) };
    }
  }

  /** Choices from the vendor for a query field or a view; failures become messages for the user. */
  async lookup(ref: string, name: string, params: Readonly<Record<string, string>>): Promise<LookupItem[]> {
    const { runtime, ctx, connection } = await this.context(ref);
    if (!runtime.lookup) throw new UserError(`${connection.name} offers no list named "${name}".`);
    try {
      return await runtime.lookup(name, params, ctx);
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(withHint(e));
    }
  }
}
