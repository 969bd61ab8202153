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

  constructor(init: {
    vendor: string;
    step: string;
    message: string;
    hint?: string;
    status?: number;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.name = 'ExportError';
    this.vendor = init.vendor;
    this.step = init.step;
    this.hint = init.hint;
    this.status = init.status;
  }

  toJobError(): JobError {
    return {
      message: this.message,
      vendor: this.vendor,
      step: this.step,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.status !== undefined ? { status: this.status } : {}),
    };
  }
}

/** A user-facing line: "OmniQ, fetching page 3: ... — what to do". */
export function describeJobError(e: JobError): string {
  return `${e.vendor}, ${e.step}: ${e.message}${e.hint ? `\n  What to do: ${e.hint}` : ''}`;
}
