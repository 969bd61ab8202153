/**
 * Removes secrets from text bound for a log line, an error message or an error's body snippet.
 * Known secrets are removed in every form they travel in (raw, URL-encoded, base64); well-known carriers
 * (Authorization headers, bearer tokens, credential query parameters, URL user info) are removed even
 * when the secret itself is not known, e.g. a token a vendor just issued.
 */
import { systemClock, type Clock } from '../base/clock.ts';

export const REDACTED = '[redacted]';

// Shorter strings would turn ordinary words and numbers into '[redacted]' all over a log.
const MIN_SECRET_LENGTH = 4;

const QUERY_SECRET_NAMES =
  'token|access_token|refresh_token|id_token|key|api_key|apikey|secret|client_secret|password|code|signature|sig|x-amz-signature|x-amz-credential';
// JSON bodies (an OAuth token answer echoed in an error) carry the same names; `code` is left out because
// vendors use it for error codes a user needs to see.
const JSON_SECRET_NAMES =
  'token|access_token|refresh_token|id_token|api_key|apikey|secret|client_secret|password|signature';

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Header lines, JSON members and key=value pairs: the whole value, scheme included.
  [/((?:proxy-)?authorization["']?\s*[:=]\s*["']?)[^"'\r\n,}]+/gi, `$1${REDACTED}`],
  [/\b[Bb]earer\s+[A-Za-z0-9\-._~+/]+=*/g, `Bearer ${REDACTED}`],
  [new RegExp(`((?:^|[?&;])(?:${QUERY_SECRET_NAMES})=)[^&#\\s"']*`, 'gi'), `$1${REDACTED}`],
  [new RegExp(`("(?:${JSON_SECRET_NAMES})"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*`, 'gi'), `$1${REDACTED}`],
  // https://user:password@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^/\s@]+@/gi, `$1${REDACTED}@`],
];

function formsOf(secret: string): string[] {
  const b64 = Buffer.from(secret, 'utf8').toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    b64,
    b64.replace(/=+$/, ''),
    b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  ];
}

export function redact(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (typeof s === 'string' && s.length >= MIN_SECRET_LENGTH) {
      for (const f of formsOf(s)) if (f.length >= MIN_SECRET_LENGTH) forms.add(f);
    }
  }
  // Longest first, so a secret that contains another is removed whole.
  let out = text;
  for (const f of [...forms].sort((a, b) => b.length - a.length)) out = out.split(f).join(REDACTED);
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type Logger = Record<LogLevel, (msg: string, data?: Record<string, unknown>) => void>;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Errors stringify to `{}`; keep what explains them and nothing that might carry a request. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const e = value as Error & { kind?: unknown; status?: unknown; code?: unknown };
    return { name: e.name, message: e.message, kind: e.kind, status: e.status, code: e.code };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function stringify(data: Record<string, unknown>): string {
  try {
    return JSON.stringify(data, jsonReplacer);
  } catch {
    return '"[unserializable data]"';
  }
}

export interface LoggerOptions {
  sink: (line: string) => void;
  /** Read on every line, so a secret entered after the logger was made is still removed. */
  secrets: () => readonly string[];
  level?: LogLevel;
  clock?: Clock;
}

/** Lines look like `2030-01-01T00:00:00.000Z INFO message {"data":1}`, each one redacted whole. */
export function createLogger(opts: LoggerOptions): Logger {
  const min = LEVELS[opts.level ?? 'info'];
  const clock = opts.clock ?? systemClock;
  const log =
    (level: LogLevel) =>
    (msg: string, data?: Record<string, unknown>): void => {
      if (LEVELS[level] < min) return;
      const time = new Date(clock.now()).toISOString();
      const line = `${time} ${level.toUpperCase()} ${msg}${data ? ` ${stringify(data)}` : ''}`;
      opts.sink(redact(line, opts.secrets()));
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

const noop = (): void => {};
export const nullLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
