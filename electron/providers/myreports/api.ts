/** Calls to the reporting API for one connection: one Requester, signed in from the stored refresh token. */
import type { Readable } from 'node:stream';
import type { MyreportsConnection, MyreportsQuery } from '../../../shared/providers/myreports.ts';
import type { HttpResponse } from '../../http/client.ts';
import { Requester } from '../../http/requester.ts';
import type { RetryPolicy } from '../../http/retry.ts';
import type { TestContext } from '../../jobs/provider.ts';
import { vendorError } from '../vendor-errors.ts';
import { apiBase, SIGN_IN_AGAIN, VENDOR } from './endpoints.ts';
import { xariosAuth } from './tokens.ts';

const HINTS: Partial<Record<number, string>> = {
  400: 'Xarios refused the report request: check the dates, the filter id and the additional conditions.',
  401: `Xarios did not accept the sign-in. ${SIGN_IN_AGAIN}`,
  403: 'This user may not run this report: ask your Xarios administrator for access.',
  404: 'Check the workspace and report, and the region or API address of this connection.',
};

type Obj = Record<string, unknown>;

/** Every answer but the results comes in the envelope {data, error, message, status, timestamp}. */
const unwrap = (body: unknown): unknown =>
  body && typeof body === 'object' && 'data' in body ? (body as { data: unknown }).data : body;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const item = (o: Obj): { id: string; name: string } => ({ id: String(o.id), name: String(o.name ?? o.id) });
const segment = encodeURIComponent;
type Read<T> = (res: HttpResponse) => Promise<T>;
const json: Read<unknown> = async (r) => unwrap(await r.json());

export class MyreportsApi {
  private readonly api: Requester;

  constructor(ctx: TestContext<MyreportsConnection>, policy?: Partial<RetryPolicy>) {
    const clientSecret = ctx.secrets.clientSecret ?? '';
    this.api = new Requester({
      vendor: VENDOR,
      http: ctx.http,
      clock: ctx.clock,
      signal: ctx.signal,
      base: apiBase(ctx.connection),
      auth: xariosAuth(
        {
          ...ctx,
          clientSecret,
          saveRefreshToken: (t) => ctx.saveSecret('refreshToken', t),
          storedRefreshToken: () => ctx.readSecret('refreshToken'),
        },
        ctx.secrets.refreshToken,
      ),
      secrets: [clientSecret],
      ...(policy ? { policy } : {}),
      mapError: (step, e) => vendorError(VENDOR, step, e, HINTS),
    });
  }

  async workspaces(step = 'listing workspaces') {
    return list(await this.api.send({ path: '/workspaces', step, read: json })).map((w) => ({
      ...item(w),
      default: w.default === true,
    }));
  }

  async reports(workspaceId: string, step = 'listing reports') {
    return list(
      await this.api.send({ path: `/workspaces/${segment(workspaceId)}/reports`, step, read: json }),
    ).map(item);
  }

  private reportPath(q: MyreportsQuery): string {
    return `/workspaces/${segment(q.workspaceId)}/reports/${segment(q.reportId)}`;
  }

  async createRequest(q: MyreportsQuery, step: string): Promise<string> {
    const data = (await this.api.send({
      method: 'POST',
      path: `${this.reportPath(q)}/requests`,
      step,
      json: {
        reportId: q.reportId,
        dateFilter: q.dateFilter,
        ...(q.filterId ? { filterId: q.filterId } : {}),
        ...(q.additionalConditions?.length ? { additionalConditions: q.additionalConditions } : {}),
      },
      read: json,
    })) as { requestId?: unknown } | null;
    if (typeof data?.requestId !== 'string' || data.requestId === '')
      throw vendorError(VENDOR, step, new Error('Xarios accepted the report request but sent no requestId'));
    return data.requestId;
  }

  /** The spelling of a request's path that answered last; the docs name two (see onRequest). */
  private requestPath: 'requests' | 'results' = 'requests';

  /**
   * Reads `…/{requests|results}/{id}{suffix}`. The docs' examples say `requests`, their headings
   * `results`: the one that answered last is tried first, and the other one after a 404.
   */
  private async onRequest<T>(q: MyreportsQuery, id: string, suffix: string, step: string, read: Read<T>) {
    const at = (p: string): Promise<T> =>
      this.api.send({ path: `${this.reportPath(q)}/${p}/${segment(id)}${suffix}`, step, read });
    try {
      return await at(this.requestPath);
    } catch (e) {
      if ((e as { status?: number }).status !== 404) throw e;
      const other = this.requestPath === 'requests' ? 'results' : 'requests';
      const answer = await at(other);
      this.requestPath = other;
      return answer;
    }
  }

  async status(q: MyreportsQuery, requestId: string, step: string) {
    const data = (await this.onRequest(q, requestId, '', step, json)) as Obj | null;
    const raw = data?.status;
    return {
      // As sent, a string or a number: the docs show "Complete" here and 1 in the results document.
      status: typeof raw === 'string' || typeof raw === 'number' ? raw : (JSON.stringify(raw) ?? ''),
      ...(typeof data?.statusMessage === 'string' ? { statusMessage: data.statusMessage } : {}),
    };
  }

  /** The results body as a stream, read by the caller (outside the call: it may be very large). */
  openData(q: MyreportsQuery, requestId: string, step: string): Promise<Readable> {
    return this.onRequest(q, requestId, '/data', step, async (r) => r.body);
  }
}
