/**
 * The registry of secret values the test suite used, for the suite-wide leak scan (scripts/leak-scan.ts).
 *
 * Tests do not list their secrets by hand: the secret stores (test/security/capture-secrets.ts), the
 * vendor simulators (the credentials they accept and every token they mint), the SSH server fixture and
 * the crash harness call `registerSecret`. When `EXPORTDESK_SECRET_LOG` names a file (scripts/test.sh sets
 * it), each value is appended to it as one JSON line `{"value":…,"source":…}`; child processes inherit
 * the variable and append to the same file. Without the variable nothing is recorded.
 *
 * Values shorter than MIN_SECRET_LENGTH are counted but not recorded: a short value ("pw", "secret")
 * occurs by chance in exported data and logs and would make the scan fail on noise. Every secret a test
 * wants the scan to cover must be at least that long (the simulators' default credentials are).
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
  if (!file || typeof value !== 'string') return;
  const key = `${source}\n${value}`;
  if (seen.has(key)) return;
  seen.add(key);
  // A value too short to look for is only counted, so the scan can say how many it could not cover.
  const line = scannable(value) ? ({ value, source } satisfies RegisteredSecret) : { short: true, source };
  // One small append per value: O_APPEND keeps lines from parallel workers whole.
  appendFileSync(file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
}

/** Records each value of a credentials map (id -> secret), e.g. a simulator's accepted keys. */
export function registerSecrets(values: Iterable<string>, source: string): void {
  for (const v of values) registerSecret(v, source);
}

export interface Registry {
  /** The distinct values, each with the first source that recorded it. */
  secrets: RegisteredSecret[];
  /** How many registrations were too short to be looked for. */
  tooShort: number;
}

export function readRegistry(file: string): Registry {
  const registry: Registry = { secrets: [], tooShort: 0 };
  if (!existsSync(file)) return registry;
  const byValue = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let entry: Partial<RegisteredSecret> & { short?: boolean };
    try {
      entry = JSON.parse(line) as Partial<RegisteredSecret> & { short?: boolean };
    } catch {
      continue; // a line cut by a killed process: the rest of the file still counts
    }
    if (entry.short === true) registry.tooShort += 1;
    if (typeof entry.value !== 'string' || !scannable(entry.value)) continue;
    if (!byValue.has(entry.value)) byValue.set(entry.value, String(entry.source ?? 'unknown'));
  }
  registry.secrets = [...byValue].map(([value, source]) => ({ value, source }));
  return registry;
}
