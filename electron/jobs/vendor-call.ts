/**
 * What a provider is given to reach its vendor through a saved connection, in an export and outside one:
 * the connection's settings, checked once the same way everywhere, and the call context built on them.
 */
import type { Connection } from '../../shared/api.ts';
import type { ProviderDefinition } from '../../shared/providers/types.ts';
import { UserError, zodMessage } from '../base/user-error.ts';
import type { TestContext } from './provider.ts';
import type { RunnerDeps } from './runner.ts';

/** The connection's stored settings as its provider reads them; a UserError that says what to edit when they do not fit. */
export function connectionSettings(definition: ProviderDefinition, connection: Connection): unknown {
  const parsed = definition.connectionSchema.safeParse(connection.settings);
  if (!parsed.success)
    throw new UserError(`Connection "${connection.name}": ${zodMessage(parsed.error)}. Edit the connection.`);
  return parsed.data;
}

/**
 * What a provider gets to call its vendor through a connection, in an export or outside one (a test, a
 * lookup, a sign-in): the settings, the secrets, the network, and a logger that redacts the secrets.
 */
export function vendorCall(
  deps: Pick<RunnerDeps, 'connections' | 'http' | 'clock' | 'logger' | 'dataDir'>,
  connection: Connection,
  settings: unknown,
  secrets: Record<string, string | undefined>,
  signal: AbortSignal,
): TestContext<unknown> {
  // Grows when a provider stores a new secret (a rotated refresh token), so logs keep redacting it.
  const known = Object.values(secrets).filter((s): s is string => !!s);
  return {
    connection: settings,
    secrets,
    http: deps.http(),
    clock: deps.clock,
    signal,
    logger: deps.logger(known),
    dataDir: deps.dataDir,
    saveSecret: async (field, value) => {
      known.push(value);
      await deps.connections.setSecret(connection.id, field, value);
    },
    readSecret: async (field) => {
      const value = (await deps.connections.secretValues(connection))[field];
      if (value) known.push(value);
      return value;
    },
  };
}
