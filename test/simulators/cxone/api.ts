/**
 * The Data Extraction endpoints under `/data-extraction/V1` once the caller is known and within the
 * tenant's call rule: POST /jobs, GET /jobs, GET /jobs/{id}. Each returns what to answer; the server
 * sends it.
 */
import { hasVersion, isKnownEntity } from './columns.ts';
import type { Session } from './auth.ts';
import type { Job, JobStore } from './jobs.ts';
import { parseDay } from './random.ts';

export interface Planned {
  status: number;
  /** Serialized JSON. */
  text: string;
  headers?: Record<string, string>;
}

export interface ApiContext {
  jobs: JobStore;
  /** Keys not listed may extract every entity. */
  permissions: Record<string, string[]> | undefined;
  /** A fresh download link for a succeeded job. */
  issueLink(job: Job): string;
  /** Counts accepted posts. */
  onPosted(job: Job): void;
}

export const json = (status: number, value: unknown, headers?: Record<string, string>): Planned => ({
  status,
  text: JSON.stringify(value),
  ...(headers ? { headers } : {}),
});
export const message = (status: number, text: string): Planned => json(status, { message: text });

export function answerApi(
  ctx: ApiContext,
  session: Session,
  method: string,
  route: string,
  body: unknown,
): Planned {
  if (route === '/jobs' || route === '/jobs/') {
    if (method === 'POST') return createJob(ctx, session, body);
    if (method === 'GET') {
      if (ctx.permissions?.[session.accessKeyId]?.length === 0)
        return message(403, 'User does not have permission to view job status');
      return json(200, {
        jobs: ctx.jobs
          .list(session.tenant)
          .map((job) => ({ id: job.id, status: ctx.jobs.stateOf(job).status })),
      });
    }
    return json(405, { message: `Method ${method} not allowed` }, { allow: 'GET, POST' });
  }
  const one = /^\/jobs\/([^/]+)$/.exec(route);
  if (one?.[1] !== undefined) {
    if (method !== 'GET') return json(405, { message: `Method ${method} not allowed` }, { allow: 'GET' });
    const job = ctx.jobs.get(session.tenant, decodeURIComponent(one[1]));
    return job ? jobStatus(ctx, job) : message(404, 'Job not found');
  }
  return message(404, 'Not Found');
}

const FIELDS = ['entityName', 'version', 'startDate', 'endDate'] as const;

function createJob(ctx: ApiContext, session: Session, body: unknown): Planned {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return message(400, 'The request body must be a JSON object: entityName, version, startDate, endDate');
  }
  const fields = body as Record<string, unknown>;
  const missing = FIELDS.find((name) => typeof fields[name] !== 'string' || fields[name] === '');
  if (missing) return message(400, `${missing} is required (a string)`);
  const [entity, ver, start, end] = FIELDS.map((name) => fields[name] as string) as [
    string,
    string,
    string,
    string,
  ];
  if (!isKnownEntity(entity)) return message(404, `Entity ${entity} not found`);
  if (!hasVersion(entity, ver)) return message(404, `Version ${ver} of entity ${entity} not found`);
  const allowed = ctx.permissions?.[session.accessKeyId];
  if (allowed && !allowed.includes(entity)) {
    return message(403, `User does not have permission to extract ${entity}`);
  }
  const startMs = parseDay(start);
  const endMs = parseDay(end);
  if (startMs === undefined) return message(400, `Invalid startDate ${start}: expected YYYY-MM-DD`);
  if (endMs === undefined) return message(400, `Invalid endDate ${end}: expected YYYY-MM-DD`);
  if (endMs < startMs) return message(400, 'endDate must not be before startDate');

  const job = ctx.jobs.create(session.tenant, {
    entityName: entity,
    version: ver,
    startDate: start,
    endDate: end,
  });
  ctx.onPosted(job);
  // The vendor answers with the id as a JSON string: the body is the id in double quotes.
  return json(202, job.id);
}

function jobStatus(ctx: ApiContext, job: Job): Planned {
  const state = ctx.jobs.stateOf(job);
  job.statusCalls++;
  const url = state.status === 'SUCCEEDED' ? ctx.issueLink(job) : null;
  // The reference says 202, practice shows 200; a client must take both.
  return json(job.statusCalls % 2 === 1 ? 200 : 202, {
    jobStatus: { id: job.id, status: state.status, result: { url, errorMessage: state.errorMessage } },
  });
}
