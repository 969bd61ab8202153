import { STATUS_CODES } from 'node:http';
import { HttpError, isAbortError, isProxyFault } from '../http/errors.ts';
import { ExportError } from '../jobs/errors.ts';

const GENERIC_HINTS: Record<string, string> = {
  network:
    'Check your network connection, proxy and the API address of the connection, then retry the export.',
  timeout: 'The vendor did not answer in time. Retry later; if it keeps happening, check the proxy settings.',
  budget: 'The vendor kept failing or rate-limiting for too long. Retry later.',
  request: 'Nothing was sent to the vendor: check the settings and secrets of this connection.',
  proxy:
    'Check the proxy in Settings (its address, its port and that it is running), or clear it to connect directly, then retry the export.',
  '5xx': 'The vendor’s service is having trouble. Retry later.',
  '429': 'The vendor is rate-limiting this account. Wait a few minutes and retry.',
};

/** A field of the JSON body an HttpError kept, or undefined (no body, not JSON, no such field). */
export function bodyField(e: unknown, name: string): unknown {
  if (!(e instanceof HttpError) || !e.bodySnippet) return undefined;
  try {
    return (JSON.parse(e.bodySnippet) as Record<string, unknown> | null)?.[name];
  } catch {
    return undefined;
  }
}

/**
 * Letters and digits only, lower case, one spelling: "Unauthorized.", "unauthorized" and the British
 * "Unauthorised" say the same thing.
 */
function bare(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .replace(/is(e|ed|ing|ation)/g, 'iz$1');
}

/**
 * The status line plus what the vendor said, unless the vendor only repeated the status text (a 401 whose
 * body is {"error": "Unauthorized"} reads "HTTP 401 Unauthorized", not "... Unauthorized: Unauthorized").
 */
function vendorMessage(e: HttpError): string {
  const snippet = e.bodySnippet?.trim();
  if (!snippet) return e.message;
  let text = snippet.slice(0, 300);
  try {
    const body = JSON.parse(snippet) as Record<string, unknown>;
    const field = [body.message, body.error, body.detail, body.errorMessage].find(
      (v) => typeof v === 'string',
    );
    if (typeof field === 'string') text = field.trim();
  } catch {
    // not JSON: show the text as the vendor sent it
  }
  const reason = e.status !== undefined ? (STATUS_CODES[e.status] ?? '') : '';
  // The message names the status already: a vendor text that starts with it ("HTTP 401 ...", "401: ...")
  // keeps only what follows, so the status is said once.
  if (e.status !== undefined)
    text = text.replace(new RegExp(`^(?:HTTP(?:/[\\d.]+)?\\s*)?${e.status}\\b[\\s:.-]*`, 'i'), '').trim();
  const said = bare(text);
  if (said === '' || said === bare(reason)) return e.message;
  return `${e.message}: ${text}`;
}

/**
 * Turns whatever a vendor call threw into an ExportError that names the vendor, the step and what to do.
 * Cancellation passes through untouched.
 */
export function vendorError(
  vendor: string,
  step: string,
  e: unknown,
  hints: Partial<Record<number, string>> = {},
): unknown {
  if (isAbortError(e) || e instanceof ExportError) return e;
  if (e instanceof HttpError) {
    if (e.kind === 'aborted') return e;
    const status = e.status;
    const generic = isProxyFault(e)
      ? 'proxy'
      : status === 429
        ? '429'
        : status !== undefined && status >= 500
          ? '5xx'
          : e.kind;
    const hint =
      (status !== undefined ? hints[status] : undefined) ??
      GENERIC_HINTS[generic] ??
      'Retry the export; if it fails again, check the connection settings.';
    return new ExportError({
      vendor,
      step,
      message: e.kind === 'status' ? vendorMessage(e) : e.message,
      hint,
      ...(status !== undefined ? { status } : {}),
      cause: e,
    });
  }
  return new ExportError({
    vendor,
    step,
    message: e instanceof Error ? e.message : String(e),
    hint: 'Retry the export; if it fails again, report the message above.',
    cause: e,
  });
}
