import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProvider, PROVIDER_IDS, PROVIDERS } from '../../../shared/providers/index.ts';

const root = path.resolve(import.meta.dirname, '../../..');

/** Where code decides what to show or allow: it asks the registry, never compares a provider's id. */
const SCANNED = ['renderer', 'electron/app', 'electron/cli', 'electron/shell', 'electron/web'];

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

const ids = PROVIDER_IDS.join('|');
const RULES: Array<[string, RegExp]> = [
  // provider === 'x', providerId !== "x", c.provider == `x`, 'x' === provider.id ...
  ['compares a provider id with a string', /\bprovider(?:Id)?(?:\.id)?\s*[!=]==?\s*['"`]/],
  ['compares a string with a provider id', /['"`]\s*[!=]==?\s*[\w.]*\bprovider(?:Id)?(?:\.id)?\b/],
  // case 'cxone':, new Set(['myreports']), ['intelepeer'].includes(...)
  ['names a provider id', new RegExp(`(['"\`])(?:${ids})\\1`)],
];

/** "file:line: what" for every line of `text` a rule matches (the first rule that does). */
function findings(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => {
    const rule = RULES.find(([, re]) => re.test(line));
    return rule ? [`${file}:${i + 1}: ${rule[0]}: ${line.trim()}`] : [];
  });
}

describe('provider capabilities', () => {
  it('each vendor declares what it offers', () => {
    expect(Object.fromEntries(PROVIDERS.map((p) => [p.id, p.capabilities]))).toEqual({
      omniq: { tenantJobs: false, queryEditor: 'fields', totals: false },
      cxone: { tenantJobs: true, queryEditor: 'fields', totals: false },
      omni: { tenantJobs: false, queryEditor: 'fields', totals: false },
      myreports: { tenantJobs: false, queryEditor: 'fields', totals: true },
      intelepeer: { tenantJobs: false, queryEditor: 'insights', totals: false },
    });
  });

  it('signs in through the browser only where the definition says which secret the sign-in stores', () => {
    const signIn = PROVIDERS.filter((p) => 'browserSignIn' in p).map((p) => p.id);
    expect(signIn).toEqual(['myreports']);
    expect(findProvider('myreports')?.browserSignIn?.secret).toBe('refreshToken');
  });

  it('the scan catches what it is meant to catch', () => {
    const planted = [
      "if (provider === 'cxone') show();",
      '{provider.id !== "intelepeer" && <Text />}',
      "const yes = 'omniq' === c.provider;",
      "const TOTALS = new Set(['myreports']);",
      "case 'omni':",
    ].join('\n');
    expect(findings('x.tsx', planted)).toHaveLength(5);
    expect(findings('x.tsx', "if (field.kind === 'secret') return;\nconst n = provider.name;")).toEqual([]);
  });

  it('no file of the window, the app service, the CLI, the shell or browser mode compares provider ids', () => {
    const files = SCANNED.flatMap(sources);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((f) => findings(f, readFileSync(path.join(root, f), 'utf8')))).toEqual([]);
  });
});
