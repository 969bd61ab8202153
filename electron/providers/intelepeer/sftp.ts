/**
 * Result files over SFTP. Connections check the server's host key against the pin; a file is read as a
 * stream of bytes that survives dropped connections: after a drop it reconnects and reads on from the
 * byte it had reached, so the bytes handed on are exactly the file's, once each.
 */
import { posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import type { Clock } from '../../base/clock.ts';
import { abortReason } from '../../base/clock.ts';
import { ExportError } from '../../jobs/errors.ts';
import { VENDOR } from './auth.ts';
import { checkHostKey, hostKeyChanged, type HostKeyCheck, type HostKeyVerdict } from './host-keys.ts';
import { readAhead } from './read-ahead.ts';

export interface SftpSettings extends HostKeyCheck {
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  baseDir: string;
}

/** Reconnections in a row without a byte read in between before the download gives up. */
const MAX_RECONNECTS = 5;
const RECONNECT_DELAY_MS = 2_000;

/**
 * The key file's text from what was stored: a key typed on one line (the CLI reads one line per secret)
 * with "\n" written out, or pasted into a one-line field that dropped its line breaks, gets them back.
 */
export function keyText(key: string): string {
  const text = key.trim();
  if (text.includes('\n')) return text;
  if (text.includes('\\n')) return text.replace(/\\n/g, '\n');
  const m = /^(-----BEGIN [A-Z0-9 ]+-----)\s*(.*?)\s*(-----END [A-Z0-9 ]+-----)$/.exec(text);
  if (!m) return text;
  const body = (m[2] ?? '').replace(/\s+/g, '');
  return [m[1], ...(body.match(/.{1,64}/g) ?? []), m[3], ''].join('\n');
}

const codeOf = (e: unknown): unknown => (e as { code?: unknown } | null)?.code;

export class SftpFiles {
  private client: SftpClient | undefined;
  private wrapper: SFTPWrapper | undefined;
  /** The host key check of the last connection. */
  verdict: HostKeyVerdict | undefined;

  constructor(
    private readonly s: SftpSettings,
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
    private readonly onDrop: (message: string) => void = () => undefined,
  ) {}

  async connect(): Promise<SftpClient> {
    if (this.client) return this.client;
    if (!this.s.password && !this.s.privateKey)
      throw new ExportError({
        vendor: VENDOR,
        step: 'connecting to the SFTP server',
        message: 'No SFTP password or private key is stored for this connection.',
        hint: 'Enter the SFTP password or private key IntelePeer gave you.',
      });
    // Quiet callbacks: the library's defaults write to the console; errors reach us through its promises.
    const client = new SftpClient('intelepeer', {
      error: () => undefined,
      end: () => undefined,
      close: () => undefined,
    });
    this.verdict = undefined;
    try {
      this.wrapper = await client.connect({
        host: this.s.host,
        port: this.s.port,
        username: this.s.username,
        ...(this.s.password ? { password: this.s.password } : {}),
        ...(this.s.privateKey ? { privateKey: keyText(this.s.privateKey) } : {}),
        ...(this.s.passphrase ? { passphrase: this.s.passphrase } : {}),
        readyTimeout: 30_000,
        hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
          checkHostKey(this.s, key).then(
            (v) => {
              this.verdict = v;
              verify(v.ok);
            },
            () => verify(false),
          );
        },
      });
    } catch (e) {
      await client.end().catch(() => undefined);
      // Set by the verifier callback during connect(), which the compiler cannot see.
      const verdict = this.verdict as HostKeyVerdict | undefined;
      if (verdict && !verdict.ok) throw hostKeyChanged(this.s, verdict);
      throw this.connectError(e);
    }
    this.client = client;
    return client;
  }

  private connectError(e: unknown): ExportError {
    const text = e instanceof Error ? e.message : String(e);
    const auth = /authentication|passphrase|private key|parse/i.test(text);
    return new ExportError({
      vendor: VENDOR,
      step: 'connecting to the SFTP server',
      message: `Could not connect to ${this.s.host}:${this.s.port}: ${text.replace(/^connect: /, '')}`,
      hint: auth
        ? 'Check the SFTP user name and password, or the private key and its passphrase.'
        : 'Check the SFTP host and port of this connection, and the network.',
      cause: e,
    });
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.wrapper = undefined;
    await c?.end().catch(() => undefined);
  }

  /** Lists the base folder: the connection test's proof that sign-in and folder work. */
  async listBase(): Promise<number> {
    const c = await this.connect();
    return (await c.list(this.s.baseDir || '.')).length;
  }

  /** The file's bytes in order, reconnecting and reading on from the byte reached after a drop. */
  async *read(rel: string): AsyncGenerator<Buffer> {
    const remote = this.s.baseDir ? posix.join(this.s.baseDir, rel) : rel;
    let offset = 0;
    let size: number | undefined;
    let failures = 0;
    const onAbort = (): void => void this.close();
    this.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        try {
          const c = await this.connect();
          size ??= (await c.stat(remote)).size;
          if (offset >= size) return;
          const sftp = this.wrapper;
          if (!sftp) throw Object.assign(new Error('the SFTP session closed'), { code: 'ECONNRESET' });
          for await (const chunk of readAhead(sftp, remote, offset, size)) {
            offset += chunk.length;
            failures = 0;
            yield chunk;
          }
          if (offset >= size) return;
          throw Object.assign(new Error('the connection ended before the end of the file'), {
            code: 'ECONNRESET',
          });
        } catch (e) {
          if (this.signal.aborted) throw abortReason(this.signal);
          if (e instanceof ExportError) throw e;
          const fail = (message: string, hint: string): ExportError =>
            new ExportError({ vendor: VENDOR, step: `downloading ${rel}`, message, hint, cause: e });
          if (codeOf(e) === 'ENOENT' || codeOf(e) === 2 || /no such file/i.test(String(e)))
            throw fail(
              `The result file is not on the SFTP server: ${remote}`,
              'Check the remote base folder of this connection (the folder "reports/…" is under).',
            );
          if (codeOf(e) === 'EACCES' || codeOf(e) === 3 || /permission denied/i.test(String(e)))
            throw fail(
              `The SFTP server does not let this user read ${remote}.`,
              "Ask IntelePeer to check the SFTP user's access to the report folder.",
            );
          await this.close();
          if (++failures > MAX_RECONNECTS)
            throw fail(
              `The SFTP connection kept failing at byte ${offset}: ${e instanceof Error ? e.message : String(e)}`,
              'Check the network and retry the export.',
            );
          this.onDrop(`The SFTP connection dropped at byte ${offset} of ${rel}; reading on from there.`);
          await this.clock.sleep(RECONNECT_DELAY_MS * failures, this.signal);
        }
      }
    } finally {
      this.signal.removeEventListener('abort', onAbort);
    }
  }
}
