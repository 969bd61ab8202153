import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../electron/http/errors.ts';
import { ExportError } from '../../../electron/jobs/errors.ts';
import { vendorError } from '../../../electron/providers/vendor-errors.ts';

function statusError(status: number, reason: string, bodySnippet: string): HttpError {
  return new HttpError({
    kind: 'status',
    message: `OmniQ getmydata failed: HTTP ${status} ${reason}`,
    status,
    bodySnippet,
  });
}

function messageOf(e: HttpError): string {
  const out = vendorError('OmniQ', 'fetching page 1', e, { 401: 'Check the tenant id.' });
  expect(out).toBeInstanceOf(ExportError);
  return (out as ExportError).message;
}

describe('vendor error messages', () => {
  it('does not repeat the status text when the vendor only says it again', () => {
    expect(messageOf(statusError(401, 'Unauthorized', '{"error":"Unauthorized"}'))).toBe(
      'OmniQ getmydata failed: HTTP 401 Unauthorized',
    );
    expect(messageOf(statusError(401, 'Unauthorized', 'unauthorized.'))).toBe(
      'OmniQ getmydata failed: HTTP 401 Unauthorized',
    );
    expect(messageOf(statusError(404, 'Not Found', '{"message":"HTTP 404 Not Found"}'))).toBe(
      'OmniQ getmydata failed: HTTP 404 Not Found',
    );
    expect(messageOf(statusError(401, 'Unauthorized', '{"message":"HTTP 401 Unauthorised"}'))).toBe(
      'OmniQ getmydata failed: HTTP 401 Unauthorized',
    );
  });

  it('says the status once when the vendor starts its own text with it', () => {
    expect(messageOf(statusError(401, 'Unauthorized', 'HTTP/1.1 401: token expired'))).toBe(
      'OmniQ getmydata failed: HTTP 401 Unauthorized: token expired',
    );
  });

  it('adds what the vendor said when it says more than the status', () => {
    expect(messageOf(statusError(403, 'Forbidden', '{"message":"Tenant ACME is suspended"}'))).toBe(
      'OmniQ getmydata failed: HTTP 403 Forbidden: Tenant ACME is suspended',
    );
    expect(messageOf(statusError(400, 'Bad Request', 'index must be one of: agents, communications'))).toBe(
      'OmniQ getmydata failed: HTTP 400 Bad Request: index must be one of: agents, communications',
    );
  });

  it('keeps the hint apart from the message', () => {
    const out = vendorError('OmniQ', 'testing', statusError(401, 'Unauthorized', '')) as ExportError;
    expect(out.message).toBe('OmniQ getmydata failed: HTTP 401 Unauthorized');
    expect(out.hint).toBe('Retry the export; if it fails again, check the connection settings.');
  });
});
