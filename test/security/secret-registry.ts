/**
 * The registry of secret values the test suite used, for the suite-wide leak scan (scripts/leak-scan.ts).
 *
 * Tests do not list their secrets by hand: the secret stores (test/security/capture-secrets.ts), the
 * vendor simulators (the credentials they accept and every token they mint), the SSH server fixture and
 * the crash harness call `registerSecret`. When `EXPORTDESK_SECRET_LOG` names a file (scripts/test.sh sets
 * it), each value is appended to it as one JSON line `{"value":…,"source":…}`; child processes inherit
 * the variable and append to the same file. Without the variable nothing is recorded.
 *
 * Values shorter than MIN_SECRET_LENGTH are not recorded: a short value ("pw", "secret") occurs by chance
 * in exported data and logs and would make the scan fail on noise. Every secret a test wants the scan to
 * cover must be at least that long (the simulators' default credentials are).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export const MIN_SECRET_LENGTH = 8;
export const SECRET_LOG_ENV = 'EXPORTDESK_SECRET_LOG';

export interface RegisteredSecret {
  value: string;
  /** Where the value came from, e.g. "cxone simulator: access token" (reports name this, never the value). */
  source: string;
}

/** Whether a value is long enough to be looked for without matching by chance. */
export function scannable(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH;
}

const seen = new Set<string>();

/** Records a secret value the suite used (no-op unless EXPORTDESK_SECRET_LOG is set, or too short). */
export function registerSecret(value: string, source: string): void {
  const file = process.env[SECRET_LOG_ENV];
  if (!file || typeof value !== 'string' || !scannable(value)) return;
  const key = `${source}\n${value}`;
  if (seen.has(key)) return;
  seen.add(key);
  // One small append per value: O_APPEND keeps lines from parallel workers whole.
  appendFileSync(file, `${JSON.stringify({ value, source } satisfies RegisteredSecret)}\n`, { mode: 0o600 });
}

/** Records each value of a credentials map (id -> secret), e.g. a simulator's accepted keys. */
export function registerSecrets(values: Iterable<string>, source: string): void {
  for (const v of values) registerSecret(v, source);
}

/** The distinct values in a registry file, each with the first source that recorded it. */
export function readRegistry(file: string): RegisteredSecret[] {
  if (!existsSync(file)) return [];
  const byValue = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let entry: Partial<RegisteredSecret>;
    try {
      entry = JSON.parse(line) as Partial<RegisteredSecret>;
    } catch {
      continue; // a line cut by a killed process: the rest of the file still counts
    }
    if (typeof entry.value !== 'string' || !scannable(entry.value)) continue;
    if (!byValue.has(entry.value)) byValue.set(entry.value, String(entry.source ?? 'unknown'));
  }
  return [...byValue].map(([value, source]) => ({ value, source }));
}
