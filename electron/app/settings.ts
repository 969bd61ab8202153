import { z } from 'zod';
import { SettingsSchema, type Settings } from '../../shared/api.ts';
import { JsonFile } from './json-file.ts';
import { UserError, zodMessage } from './user-error.ts';
import { promises as fs } from 'node:fs';

const SettingsFile = z.object({ version: z.literal(1), settings: SettingsSchema });

export class SettingsStore {
  private readonly file: JsonFile<typeof SettingsFile>;

  constructor(file: string) {
    this.file = new JsonFile(file, SettingsFile, () => ({
      version: 1 as const,
      settings: SettingsSchema.parse({}),
    }));
  }

  async get(): Promise<Settings> {
    return (await this.file.read()).settings;
  }

  /** Validates the whole result before writing: a bad value never reaches the file. */
  async set(patch: Partial<Settings>): Promise<Settings> {
    const current = await this.get();
    const parsed = SettingsSchema.safeParse({ ...current, ...patch });
    if (!parsed.success) throw new UserError(`Settings: ${zodMessage(parsed.error)}`);
    if (parsed.data.caFile) {
      const text = await fs.readFile(parsed.data.caFile, 'utf8').catch(() => {
        throw new UserError(`Settings: the CA certificate file ${parsed.data.caFile} cannot be read.`);
      });
      if (!text.includes('-----BEGIN CERTIFICATE-----'))
        throw new UserError(
          `Settings: ${parsed.data.caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`,
        );
    }
    await this.file.write({ version: 1, settings: parsed.data });
    return parsed.data;
  }
}
