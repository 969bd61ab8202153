import type { JobError } from '../../shared/jobs.ts';

/**
 * A failure worth showing to an analyst: which vendor, at which step, and what to do about it. Providers
 * throw these; anything else reaching the runner is wrapped with a generic hint.
 */
export class ExportError extends Error {
  readonly vendor: string;
  readonly step: string;
  readonly hint: string | undefined;
  readonly status: number | undefined;
  /** The query field the vendor's complaint is about (e.g. 'creatorId'), so the window can show it there. */
  readonly field: string | undefined;

  constructor(init: JobError & { cause?: unknown }) {
    super(init.message, { cause: init.cause });
    this.name = 'ExportError';
    this.vendor = init.vendor;
    this.step = init.step;
    this.hint = init.hint;
    this.status = init.status;
    this.field = init.field;
  }

  toJobError(): JobError {
    return {
      message: this.message,
      vendor: this.vendor,
      step: this.step,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.field ? { field: this.field } : {}),
    };
  }
}

/** A user-facing line: "OmniQ, fetching page 3: ... — what to do". */
export function describeJobError(e: JobError): string {
  const field = e.field ? ` (query field "${e.field}")` : '';
  return `${e.vendor}, ${e.step}${field}: ${e.message}${e.hint ? `\n  What to do: ${e.hint}` : ''}`;
}
