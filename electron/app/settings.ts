import { z } from 'zod';
import { SettingsSchema, type Settings } from '../../shared/api.ts';
import { JsonFile } from '../base/json-file.ts';
import { UserError, zodMessage } from '../base/user-error.ts';
import { checkCaFile } from './ca-file.ts';

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

  /**
   * Validates the whole result before writing: a bad value never reaches the file. The patch is applied
   * to the file as it is at that moment (under its lock), so a change made meanwhile elsewhere is kept.
   */
  async set(patch: Partial<Settings>): Promise<Settings> {
    return this.file.update(async (doc) => {
      const parsed = SettingsSchema.safeParse({ ...doc.settings, ...patch });
      if (!parsed.success) throw new UserError(`Settings: ${zodMessage(parsed.error)}`);
      if (parsed.data.caFile) await checkCaFile(parsed.data.caFile);
      doc.settings = parsed.data;
      return parsed.data;
    });
  }
}
