/**
 * Extraction jobs: each runs for `jobRunMs` on the simulator's clock, then ends as planned when it was
 * posted (succeeded by default; failed or a forced status when a test asked for it). A succeeded job's
 * file is kept 24 hours, after which the job reads EXPIRED, as the vendor describes.
 */
import type { Clock } from '../../../electron/base/clock.ts';
import type { CxoneEntityKind } from './columns.ts';
import { hashSeed, picker, prng } from './random.ts';

export const FILE_KEPT_MS = 24 * 3_600_000;

export interface ExtractionRequest {
  entityName: CxoneEntityKind;
  version: string;
  startDate: string;
  endDate: string;
}

export type JobOutcome =
  { kind: 'succeed' } | { kind: 'fail'; errorMessage: string } | { kind: 'status'; status: string };

export interface Job {
  id: string;
  tenant: string;
  request: ExtractionRequest;
  createdAt: number;
  outcome: JobOutcome;
  /** Status calls answered so far; the answer code alternates 200, 202, 200... */
  statusCalls: number;
}

export interface JobState {
  status: string;
  errorMessage: string | null;
}

export class JobStore {
  readonly #jobs = new Map<string, Job>();
  readonly #planned: JobOutcome[] = [];
  readonly #nextId: () => string;

  constructor(
    private readonly clock: Clock,
    private readonly runMs: number,
    seed: number,
  ) {
    const p = picker(prng(hashSeed(seed, 'jobs')));
    this.#nextId = () => p.uuid();
  }

  /** How the next posted jobs end, one outcome per job in the order planned. */
  plan(outcome: JobOutcome): void {
    this.#planned.push(outcome);
  }

  create(tenant: string, request: ExtractionRequest): Job {
    let id = this.#nextId();
    while (this.#jobs.has(id)) id = this.#nextId();
    const job: Job = {
      id,
      tenant,
      request,
      createdAt: this.clock.now(),
      outcome: this.#planned.shift() ?? { kind: 'succeed' },
      statusCalls: 0,
    };
    this.#jobs.set(id, job);
    return job;
  }

  /** A job of this tenant; another tenant's job is as unknown as a made-up id. */
  get(tenant: string, id: string): Job | undefined {
    const job = this.#jobs.get(id);
    return job?.tenant === tenant ? job : undefined;
  }

  /** Any tenant's job, for serving its file. */
  find(id: string): Job | undefined {
    return this.#jobs.get(id);
  }

  list(tenant: string): Job[] {
    return [...this.#jobs.values()].filter((job) => job.tenant === tenant);
  }

  stateOf(job: Job): JobState {
    const finishedAt = job.createdAt + this.runMs;
    const now = this.clock.now();
    if (now < finishedAt) return { status: 'RUNNING', errorMessage: null };
    switch (job.outcome.kind) {
      case 'fail':
        return { status: 'FAILED', errorMessage: job.outcome.errorMessage };
      case 'status':
        return {
          status: job.outcome.status,
          errorMessage: job.outcome.status === 'FAILED' ? 'The extraction job failed' : null,
        };
      case 'succeed':
        return { status: now < finishedAt + FILE_KEPT_MS ? 'SUCCEEDED' : 'EXPIRED', errorMessage: null };
    }
  }
}
