import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../electron/http/errors.ts';
import { ExportError } from '../../../electron/jobs/errors.ts';
import { cxoneError } from '../../../electron/providers/cxone/errors.ts';

const network = (code: string) =>
  new HttpError({
    kind: 'network',
    code,
    message: `connect ${code}`,
    url: 'https://xx1.nice-incontact.com/authentication/v1/token/access-key',
  });

describe('CXone errors', () => {
  it('a host that does not exist (a mistyped region) is named, with what to check', () => {
    const e = cxoneError('signing in', network('ENOTFOUND')) as ExportError;
    expect(e).toBeInstanceOf(ExportError);
    expect(e.message).toBe('There is no CXone server named xx1.nice-incontact.com (ENOTFOUND).');
    expect(e.hint).toContain(
      'Check the region of this connection (the CXone area of the tenant, such as na1 or eu1)',
    );
  });

  it('sees through retries that gave up on an unreachable host', () => {
    const gaveUp = new HttpError({ kind: 'budget', message: 'gave up', cause: network('ECONNREFUSED') });
    expect((cxoneError('signing in', gaveUp) as ExportError).message).toBe(
      'Nothing answered at xx1.nice-incontact.com (ECONNREFUSED).',
    );
  });

  it('every documented status says what to do', () => {
    for (const [status, hint] of [
      [400, 'Check the entity, version and dates'],
      [401, 'check the access key id and secret'],
      [403, 'ask your CXone administrator for the permission'],
      [404, 'Check the entity name and version, and the region'],
      [500, 'Retry later; if it persists, contact NICE support'],
    ] as const) {
      const e = cxoneError('x', new HttpError({ kind: 'status', status, message: `HTTP ${status}` }));
      expect((e as ExportError).hint, String(status)).toContain(hint);
    }
  });
});
