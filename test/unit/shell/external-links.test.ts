import { beforeEach, describe, expect, it, vi } from 'vitest';
import { openedExternally, resetFake } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fake));

const { allowedExternalHosts, isSafeExternalUrl, openExternalSafely } =
  await import('../../../electron/shell/external-links.ts');

beforeEach(resetFake);

describe('openExternalSafely', () => {
  it('opens https links to a provider host and its subdomains in the system browser', () => {
    expect(allowedExternalHosts()).toContain('omniq-docs.pages.dev');
    expect(openExternalSafely('https://omniq-docs.pages.dev/get-my-data#paging')).toBe(true);
    expect(openExternalSafely('https://preview.omniq-docs.pages.dev/')).toBe(true);
    expect(openExternalSafely('HTTPS://API.OMNIQ.ICQ24.COM/v1')).toBe(true);
    expect(openedExternally()).toEqual([
      'https://omniq-docs.pages.dev/get-my-data#paging',
      'https://preview.omniq-docs.pages.dev/',
      'https://api.omniq.icq24.com/v1',
    ]);
  });

  it.each([
    ['file:', 'file:///etc/passwd'],
    ['smb:', 'smb://omniq-docs.pages.dev/share/run.exe'],
    ['ms-msdt:', 'ms-msdt:/id PCWDiagnostic /skip force'],
    ['javascript:', 'javascript:alert(1)'],
    ['http:', 'http://omniq-docs.pages.dev/'],
    ['an unknown host', 'https://evil.example/'],
    ['a look-alike host', 'https://omniq-docs.pages.dev.evil.example/'],
    ['a suffix that is not a subdomain', 'https://notomniq-docs.pages.dev/'],
    ['credentials in the URL', 'https://omniq-docs.pages.dev@evil.example/'],
    ['a user name for the real host', 'https://user:pw@omniq-docs.pages.dev/'],
    ['a port', 'https://omniq-docs.pages.dev:8443/'],
    ['a trailing dot', 'https://omniq-docs.pages.dev./'],
    ['an IP address', 'https://127.0.0.1/'],
    ['text that is no URL', 'omniq-docs.pages.dev'],
    ['a non-string', { toString: (): string => 'https://omniq-docs.pages.dev/' }],
  ])('refuses %s', (_what, url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
    expect(openExternalSafely(url)).toBe(false);
    expect(openedExternally()).toEqual([]);
  });

  it('refuses over-long URLs', () => {
    expect(openExternalSafely(`https://omniq-docs.pages.dev/${'a'.repeat(3000)}`)).toBe(false);
    expect(openedExternally()).toEqual([]);
  });
});
