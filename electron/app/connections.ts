import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConnectionNameSchema, type Connection, type SaveConnectionInput } from '../../shared/api.ts';
import { DEFAULT_BASE_URLS, findProvider, type ProviderId } from '../../shared/providers/index.ts';
import type { ProviderDefinition } from '../../shared/providers/types.ts';
import { secretEnvName } from '../../shared/secret-env.ts';
import { secretAccount, secretAccountPrefix, type SecretStore } from '../secrets/store.ts';
import { JsonFile } from '../base/json-file.ts';
import { missingSecretMessage } from './secret-advice.ts';
import { UserError, zodMessage } from '../base/user-error.ts';

const StoredConnection = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  settings: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
type StoredConnection = z.infer<typeof StoredConnection>;
const ConnectionsFile = z.object({ version: z.literal(1), connections: z.array(StoredConnection) });

/**
 * Connections live in connections.json; their secret fields only in the keychain, or, where no keychain
 * is kept, in the environment (shared/secret-env.ts): the keychain's value wins when it holds one.
 */
export class ConnectionStore {
  private readonly file: JsonFile<typeof ConnectionsFile>;

  constructor(
    file: string,
    private readonly secrets: SecretStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.file = new JsonFile(file, ConnectionsFile, () => ({ version: 1 as const, connections: [] }));
  }

  /** The provider of that id; an unknown one is the user's mistake, said plainly. */
  provider(id: string): ProviderDefinition {
    const p = findProvider(id);
    if (!p) throw new UserError(`Unknown provider "${id}". Run "exportdesk providers" to see the choices.`);
    return p;
  }

  /** A secret field's value from the environment, if its variable is set (and not empty). */
  private envSecret(connectionName: string, field: string): string | undefined {
    return this.env[secretEnvName(connectionName, field)] || undefined;
  }

  private async withSecretFlags(c: StoredConnection): Promise<Connection> {
    const p = findProvider(c.provider);
    const flags: Record<string, boolean> = {};
    const fromEnv: Record<string, string> = {};
    for (const field of p?.secretFields ?? []) {
      flags[field] = await this.secrets.has(secretAccount(c.id, field));
      if (!flags[field] && this.envSecret(c.name, field) !== undefined) {
        flags[field] = true;
        fromEnv[field] = secretEnvName(c.name, field);
      }
    }
    return { ...c, secrets: flags, ...(Object.keys(fromEnv).length > 0 ? { secretsFromEnv: fromEnv } : {}) };
  }

  async list(): Promise<Connection[]> {
    const { connections } = await this.file.read();
    return Promise.all(connections.map((c) => this.withSecretFlags(c)));
  }

  /** Finds a connection by id or by name (names are unique, compared without case). */
  async find(ref: string): Promise<Connection | undefined> {
    const { connections } = await this.file.read();
    const c =
      connections.find((x) => x.id === ref) ??
      connections.find((x) => x.name.toLowerCase() === ref.toLowerCase());
    return c ? this.withSecretFlags(c) : undefined;
  }

  async get(ref: string): Promise<Connection> {
    const c = await this.find(ref);
    if (!c)
      throw new UserError(`No connection named "${ref}". Run "exportdesk connections list" to see them.`);
    return c;
  }

  /** Validates settings against the provider (filling the vendor's default address) and stores them. */
  validateSettings(providerId: string, settings: Record<string, unknown>): Record<string, unknown> {
    const p = this.provider(providerId);
    const base = DEFAULT_BASE_URLS[providerId as ProviderId];
    const withDefaults = base ? { baseUrl: base, ...settings } : settings;
    const parsed = p.connectionSchema.safeParse(withDefaults);
    if (!parsed.success) throw new UserError(`Connection settings: ${zodMessage(parsed.error)}`);
    return parsed.data as Record<string, unknown>;
  }

  async save(input: SaveConnectionInput): Promise<Connection> {
    // The window's input was checked against the contract already; the command line's is checked here.
    const name = ConnectionNameSchema.safeParse(input.name);
    if (!name.success) throw new UserError(`Connection name: ${zodMessage(name.error)}.`);
    const settings = this.validateSettings(input.provider, input.settings);
    const stored = await this.file.update((doc) => {
      const now = new Date().toISOString();
      const clash = doc.connections.find(
        (c) => c.name.toLowerCase() === input.name.toLowerCase() && c.id !== input.id,
      );
      if (clash)
        throw new UserError(`A connection named "${input.name}" exists already; choose another name.`);
      const existing = input.id ? doc.connections.find((c) => c.id === input.id) : undefined;
      if (input.id && !existing) throw new UserError(`No connection with id ${input.id}.`);
      if (existing && existing.provider !== input.provider)
        throw new UserError('A connection cannot change its provider; create a new connection instead.');
      const stored: StoredConnection = existing
        ? { ...existing, name: input.name, settings, updatedAt: now }
        : {
            id: randomUUID(),
            name: input.name,
            provider: input.provider,
            settings,
            createdAt: now,
            updatedAt: now,
          };
      doc.connections = existing
        ? doc.connections.map((c) => (c === existing ? stored : c))
        : [...doc.connections, stored];
      return stored;
    });
    return this.withSecretFlags(stored);
  }

  private secretField(c: Connection, field: string): void {
    if (!this.provider(c.provider).secretFields.includes(field))
      throw new UserError(`"${field}" is not a secret field of ${c.provider} connections.`);
  }

  async setSecret(ref: string, field: string, value: string): Promise<Connection> {
    const c = await this.get(ref);
    this.secretField(c, field);
    await this.secrets.set(secretAccount(c.id, field), value);
    return this.withSecretFlags(c);
  }

  async deleteSecret(ref: string, field: string): Promise<Connection> {
    const c = await this.get(ref);
    this.secretField(c, field);
    await this.secrets.delete(secretAccount(c.id, field));
    return this.withSecretFlags(c);
  }

  /** The secret values, for the main process only: the keychain's, else the environment's. */
  async secretValues(c: Connection): Promise<Record<string, string | undefined>> {
    const out: Record<string, string | undefined> = {};
    for (const field of this.provider(c.provider).secretFields)
      out[field] = (await this.secrets.get(secretAccount(c.id, field))) ?? this.envSecret(c.name, field);
    return out;
  }

  /** What to tell the user about secret fields without a value: where the value could come from. */
  missingSecretMessage(c: Connection, fields: readonly string[]): string {
    return missingSecretMessage(c.name, fields, this.secrets);
  }

  async remove(ref: string): Promise<boolean> {
    const c = await this.find(ref);
    if (!c) return false;
    await this.file.update((doc) => {
      doc.connections = doc.connections.filter((x) => x.id !== c.id);
    });
    await this.secrets.deleteByPrefix(secretAccountPrefix(c.id));
    return true;
  }
}
