/**
 * Nothing in the app turns TLS verification off: no option, no environment variable, no custom identity
 * check. (test/integration/http/tls.test.ts shows a private CA refused until it is added in the settings.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DISABLING = [
  /rejectUnauthorized\s*:\s*(false|0|!1)/,
  /NODE_TLS_REJECT_UNAUTHORIZED/,
  /checkServerIdentity\s*:/,
  /setCertificateVerifyProc/,
  /ignore-certificate-errors/,
  /certificate-error/,
];

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs|js)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('TLS verification', () => {
  it('is never disabled in the app, the shell, the renderer or the build', () => {
    const files = ['electron', 'shared', 'renderer', 'build', 'bin'].flatMap(sources);
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((f) =>
      DISABLING.filter((re) => re.test(readFileSync(f, 'utf8'))).map(
        (re) => `${path.relative(ROOT, f)}: ${re}`,
      ),
    );
    expect(hits).toEqual([]);
  });
});
