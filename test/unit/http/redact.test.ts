import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { HttpError } from '../../../electron/http/errors.ts';
import { createLogger, redact } from '../../../electron/http/redact.ts';

const SECRET = 's3cr3t/key+value=';

describe('redact', () => {
  it('removes a known secret raw, URL-encoded and base64-encoded', () => {
    const text = [
      `raw ${SECRET}`,
      `url ${encodeURIComponent(SECRET)}`,
      `b64 ${Buffer.from(SECRET).toString('base64')}`,
    ].join('\n');
    const out = redact(text, [SECRET]);
    expect(out).not.toContain('s3cr3t');
    expect(out).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(out.match(/\[redacted\]/g)).toHaveLength(3);
  });

  it('leaves very short "secrets" alone rather than shredding the text', () => {
    expect(redact('page 1 of 12', ['1'])).toBe('page 1 of 12');
  });

  it('removes Authorization and Proxy-Authorization values, and bearer tokens, without knowing them', () => {
    const out = redact(
      'Authorization: Basic dXNlcjpwYXNz\nproxy-authorization: Basic Zm9vOmJhcg==\n{"authorization":"Token abc123"} then Bearer eyJhbGciOi.eyJzdWIi.sig-_',
      [],
    );
    expect(out).not.toMatch(/dXNlcjpwYXNz|Zm9vOmJhcg|abc123|eyJ/);
    expect(out).toContain('Bearer [redacted]');
  });

  it('removes credential query parameters, case-insensitively, and keeps the rest of the URL', () => {
    const url =
      'https://h.example/dl?X-Amz-Signature=abcd1234&X-Amz-Credential=AKIA%2F2024&page=2&access_token=t0k&API_KEY=k3y&code=authcode#frag';
    const out = redact(url, []);
    expect(out).toBe(
      'https://h.example/dl?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]&page=2&access_token=[redacted]&API_KEY=[redacted]&code=[redacted]#frag',
    );
  });

  it('removes tokens from a form body and from an OAuth JSON answer, but keeps vendor error codes', () => {
    expect(redact('grant_type=refresh_token&refresh_token=r3fr3sh&client_secret=cs', [])).toBe(
      'grant_type=refresh_token&refresh_token=[redacted]&client_secret=[redacted]',
    );
    expect(redact('{"access_token":"a\\"b","code":"422-6"}', [])).toBe(
      '{"access_token":"[redacted]","code":"422-6"}',
    );
  });

  it('removes the password from URL user info', () => {
    expect(redact('via http://bob:hunter22@proxy.local:3128', [])).toBe(
      'via http://bob:[redacted]@proxy.local:3128',
    );
  });
});

describe('createLogger', () => {
  it('redacts whole lines, data included, with the secrets known at the time of the line', () => {
    const lines: string[] = [];
    let secrets: string[] = [];
    const log = createLogger({ sink: (l) => lines.push(l), secrets: () => secrets, clock: new FakeClock(0) });
    secrets = ['late-secret'];
    log.info('calling https://x.example/?token=abc', {
      headers: { Authorization: 'Bearer zzz999' },
      note: 'late-secret here',
      error: new HttpError({
        kind: 'status',
        status: 401,
        message: 'denied for late-secret',
        url: 'u',
        method: 'GET',
      }),
    });
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(line.startsWith('1970-01-01T00:00:00.000Z INFO calling https://x.example/?token=[redacted]')).toBe(
      true,
    );
    expect(line).not.toMatch(/abc|zzz999|late-secret/);
    expect(line).toContain('"status":401');
  });

  it('drops lines below the level', () => {
    const lines: string[] = [];
    const log = createLogger({ sink: (l) => lines.push(l), secrets: () => [], level: 'warn' });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['WARN', 'ERROR']);
  });
});

describe('HttpError', () => {
  it('redacts message, url and body snippet, and cuts the snippet after redacting', () => {
    const body = `${'x'.repeat(495)}${SECRET}${'y'.repeat(600)}`;
    const e = new HttpError({
      kind: 'status',
      message: `GET https://a.example/?key=${SECRET} failed with ${SECRET}`,
      url: `https://a.example/?key=${SECRET}&sig=qq`,
      method: 'GET',
      bodySnippet: body,
      secrets: [SECRET],
    });
    expect(e.message).toBe('GET https://a.example/?key=[redacted] failed with [redacted]');
    expect(e.url).toBe('https://a.example/?key=[redacted]&sig=[redacted]');
    expect(e.bodySnippet).toHaveLength(500);
    expect(e.bodySnippet).not.toContain('s3cr');
    expect(e.bodySnippet?.endsWith('x[reda')).toBe(true);
  });
});
