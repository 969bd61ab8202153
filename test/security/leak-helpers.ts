/** Looking for secrets in what the app left behind, as typed and in the encodings they could take. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function encodings(secret: string): Array<[string, Buffer]> {
  const b64 = Buffer.from(secret).toString('base64');
  return [
    ['as typed', Buffer.from(secret)],
    ['UTF-16', Buffer.from(secret, 'utf16le')],
    ['base64', Buffer.from(b64.replace(/=+$/, ''))],
    ['base64url', Buffer.from(Buffer.from(secret).toString('base64url'))],
    ['URL-encoded', Buffer.from(encodeURIComponent(secret))],
    ['JSON-escaped', Buffer.from(JSON.stringify(secret).slice(1, -1))],
  ];
}

export function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every file under `root` (named relative to it), for findSecrets. */
export function fileHaystacks(
  root: string,
  skip: (file: string) => boolean = () => false,
): Array<[string, Buffer]> {
  return filesUnder(root)
    .filter((f) => !skip(f))
    .map((f): [string, Buffer] => [path.relative(root, f), readFileSync(f)]);
}

/** "where: secret #i encoding" for each secret found; empty when none is. */
export function findSecrets(haystacks: Array<[string, Buffer]>, secrets: readonly string[]): string[] {
  return haystacks.flatMap(([where, bytes]) =>
    secrets.flatMap((s, i) =>
      encodings(s)
        .filter(([, needle]) => bytes.includes(needle))
        .map(([form]) => `${where}: secret #${i} ${form}`),
    ),
  );
}
