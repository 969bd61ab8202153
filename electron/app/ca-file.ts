/**
 * The extra CA certificate file of the network settings: checked wherever it comes from, and, when the
 * window can only hand over a file's text (browser mode, where a page never learns a path), kept in the
 * data folder under `certificates/`.
 */
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../base/atomic-file.ts';
import { UserError } from '../base/user-error.ts';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Refuses text that holds no certificate or a damaged one, saying which; the certificates' count otherwise. */
export function checkCaText(text: string, where: string): number {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0)
    throw new UserError(
      `${where} holds no PEM certificate: choose a file that starts with -----BEGIN CERTIFICATE----- (a .pem or .crt file).`,
    );
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      throw new UserError(
        `Certificate ${i + 1} of ${blocks.length} in ${where} is damaged: export it again from your organization's certificate store.`,
      );
    }
  });
  return blocks.length;
}

/** Checks a CA file the user named (typed, or chosen in the desktop's open dialog). */
export async function checkCaFile(file: string): Promise<void> {
  const where = `the CA certificate file ${file}`;
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new UserError(`Settings: ${where} cannot be read: check the path.`);
  if (stat.size > MAX_CA_BYTES)
    throw new UserError(`Settings: ${where} is larger than 1 MB; it is not a CA file.`);
  const text = await fs.readFile(file, 'utf8').catch(() => {
    throw new UserError(`Settings: ${where} cannot be read: check its permissions.`);
  });
  try {
    checkCaText(text, file);
  } catch (e) {
    throw e instanceof UserError ? new UserError(`Settings: ${e.message}`) : e;
  }
}

export const MAX_CA_BYTES = 1024 * 1024;

/**
 * Keeps the text of a CA file the user chose in the window (browser mode) in `<dataDir>/certificates`,
 * under the file's own name made safe, and returns where: the path the settings then name.
 */
export async function keepCaFile(dataDir: string, name: string, text: string): Promise<string> {
  checkCaText(text, name || 'the chosen file');
  const base =
    path
      .basename(name)
      .replace(/[^\w.-]+/g, '_')
      .replace(/^\.+/, '')
      .slice(0, 100) || 'ca';
  const file = path.join(dataDir, 'certificates', /\.(pem|crt|cer)$/i.test(base) ? base : `${base}.pem`);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Certificates are public; the file is still only the user's, like the rest of the data folder.
  await writeFileAtomic(file, text);
  return file;
}
