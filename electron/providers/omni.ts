import type { LookupItem } from '../../shared/api.ts';
import { omniProvider, type OmniConnection, type OmniQuery } from '../../shared/providers/omni.ts';
import { UserError } from '../base/user-error.ts';
import { ExportError } from '../jobs/errors.ts';
import { cursorPages, offsetPages } from '../http/paginators.ts';
import type { Requester } from '../http/requester.ts';
import { omniApi, queryString, VENDOR, type OmniApiInit } from './omni/api.ts';
import { nextPage, type NextPage } from './omni/cursor.ts';
import { documentRow, fieldsOf, labelNames } from './omni/records.ts';
import type { ProviderRuntime, RunContext, TestContext } from '../jobs/provider.ts';

interface DocumentsPage {
  pageInfo?: { hasNextPage?: unknown; nextCursor?: unknown; totalRecords?: unknown; totalItems?: unknown };
  records?: unknown;
}

/** What an export watches of the calls: retries and waits, and waits for the key's window. */
type Watchers = Pick<OmniApiInit, 'onWait' | 'onPace'>;

function api(ctx: TestContext<OmniConnection>, step: string, on: Watchers = {}): Requester {
  const apiKey = ctx.secrets.apiKey;
  if (!apiKey)
    throw new ExportError({
      vendor: VENDOR,
      step,
      message: 'No API key is stored for this connection.',
      hint: 'Edit the connection and enter an Omni API key or personal access token.',
    });
  return omniApi({ ...ctx, apiKey, ...on });
}

/** Query fields only the v1 path takes: the unstable path refuses them as unknown parameters. */
const V1_ONLY = ['userId', 'folderId', 'include'] as const;

/** Refuses, before any request, a field the connection's API path does not take (rather than drop it). */
function checkPath(connection: OmniConnection, q: OmniQuery, step: string): void {
  if (connection.apiVersion === 'v1') return;
  const field = V1_ONLY.find((f) => q[f] !== undefined && q[f].length > 0);
  if (field)
    throw new ExportError({
      vendor: VENDOR,
      step,
      field,
      message: `Omni's ${connection.apiVersion} API path does not take ${field}; only the v1 API path does.`,
      hint: `Clear ${field}, or switch the connection to the v1 API path.`,
    });
}

/** The documents request for one page; the sort is the same on every page, as the cursor needs. */
function documentsPath(connection: OmniConnection, q: OmniQuery, cursor?: string): string {
  // v1 sends labels only when asked for them; the export always has a labels column.
  const include = connection.apiVersion === 'v1' ? ['labels', ...(q.include ?? [])].join(',') : undefined;
  return `/${connection.apiVersion}/documents${queryString([
    ['pageSize', String(q.pageSize)],
    ['sortField', q.sortField],
    ['sortDirection', q.sortDirection],
    ['labels', q.labels?.length ? q.labels.join(',') : undefined],
    ['creatorId', q.creatorId],
    ['userId', q.userId],
    ['folderId', q.folderId],
    ['include', include],
    ['cursor', cursor],
  ])}`;
}

function total(p: DocumentsPage): number | undefined {
  // The reference's example says totalRecords, its field table totalItems.
  const n = Number(p.pageInfo?.totalRecords ?? p.pageInfo?.totalItems);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

async function runOmni(ctx: RunContext<OmniConnection, OmniQuery>): Promise<void> {
  const { query, connection } = ctx;
  checkPath(connection, query, 'starting the export');
  let waiting = false;
  const omni = api(ctx, 'starting the export', {
    onWait: (m) => ctx.logger.warn(m),
    // Shown as the export's status with a countdown while the key's requests for the minute are used up.
    onPace: (until) => {
      waiting = true;
      ctx.setRemote({}, until);
      ctx.setWait({
        kind: 'pace',
        rule: `Omni allows ${connection.requestsPerMinute} requests a minute per key`,
        scope: 'key',
        nextAt: new Date(until).toISOString(),
      });
      ctx.setState(
        'waiting',
        `Waiting for Omni's limit of ${connection.requestsPerMinute} requests a minute on this key`,
      );
    },
  });
  ctx.setState('downloading', 'Fetching documents');
  const pages = cursorPages<{ records: unknown[]; after?: NextPage; total?: number }>(
    async (cursor, n) => {
      const step = `fetching documents page ${n}`;
      const page = await omni.json<DocumentsPage>(documentsPath(connection, query, cursor), step);
      if (waiting) {
        waiting = false;
        ctx.setWait(undefined);
        ctx.setState('downloading', 'Fetching documents');
      }
      const { records, pageInfo } = page;
      if (!Array.isArray(records) || !pageInfo)
        throw new ExportError({
          vendor: VENDOR,
          step,
          message: 'Omni answered without "records" and "pageInfo".',
          hint: 'Check the organisation address of this connection.',
        });
      const got = { records, total: total(page) };
      if (pageInfo.hasNextPage !== true) return { page: got, next: undefined };
      const next = pageInfo.nextCursor;
      // No new cursor is stuck; otherwise asked from again where ties cross the boundary (omni/cursor.ts).
      if (typeof next !== 'string' || next === '' || next === cursor) return { page: got, next: '' };
      const after = nextPage(query, records, next);
      return { page: { ...got, after }, next: after.cursor };
    },
    (n) =>
      new ExportError({
        vendor: VENDOR,
        step: `fetching documents page ${n}`,
        message: 'Omni said more documents follow but sent no new cursor to fetch them with.',
        hint: 'Retry the export; if it happens again, try another sort field and report it to Omni.',
      }),
  );
  const seen = new Set<string>();
  /** Documents the cursor asks for again (see omni/cursor.ts), not counted as sent twice. */
  let again = new Set<string>();
  let mayMiss = false;
  let repeated = 0;
  let expected: number | undefined;
  let n = 0;
  for await (const page of pages) {
    if (++n === 1) {
      expected = page.total;
      if (expected !== undefined) ctx.progress({ expectedRows: expected, expectedRelation: 'eq' });
    }
    const rows = page.records.map(documentRow).filter((row) => {
      const id = typeof row.identifier === 'string' ? row.identifier : undefined;
      if (id === undefined) return true;
      if (seen.has(id)) return (again.has(id) || repeated++, false);
      seen.add(id);
      return true;
    });
    await ctx.append(rows);
    ctx.progress({ pages: n });
    again = new Set(page.after?.again);
    mayMiss ||= page.after?.mayMiss === true;
  }
  if (repeated > 0)
    ctx.warn(`Omni sent ${repeated} document${repeated === 1 ? '' : 's'} twice; each is in the file once.`);
  if (mayMiss && expected !== undefined && seen.size < expected)
    ctx.warn(
      `Omni counted ${expected} documents but sent ${seen.size}: its cursor skips documents that share a ${query.sortField} value across a page boundary, and a page had no earlier ${query.sortField} value to ask from again. Sort by name (or include favorite and view counts) for a complete export.`,
    );
  else if (expected !== undefined && seen.size !== expected)
    ctx.warn(
      `Omni counted ${expected} documents at the start but sent ${seen.size}: documents were probably added or removed during the export.`,
    );
}

interface ScimUser {
  id?: unknown;
  userName?: unknown;
  displayName?: unknown;
  active?: unknown;
  emails?: Array<{ value?: unknown; primary?: unknown }>;
}

async function users(omni: Requester): Promise<LookupItem[]> {
  const items: LookupItem[] = [];
  const pages = offsetPages(
    async (from, size) => {
      const path = `/scim/v2/users?startIndex=${from}&count=${size}`;
      const page = await omni.json<{ totalResults?: unknown; Resources?: ScimUser[] }>(
        path,
        'listing the users',
      );
      const list = Array.isArray(page.Resources) ? page.Resources : [];
      return { page: list, count: list.length, more: from + list.length <= Number(page.totalResults) };
    },
    { size: 100, start: 1 },
  );
  for await (const list of pages)
    for (const u of list) {
      if (typeof u.id !== 'string') continue;
      const email = u.emails?.find((e) => e.primary === true)?.value ?? u.emails?.[0]?.value ?? u.userName;
      const name =
        typeof u.displayName === 'string' && u.displayName ? u.displayName : String(u.userName ?? u.id);
      const detail = [email, u.active === false ? 'inactive' : undefined]
        .filter((d) => typeof d === 'string' && d !== '')
        .join(', ');
      items.push({ value: u.id, label: name, ...(detail ? { detail } : {}) });
    }
  return items.sort((a, b) => a.label.localeCompare(b.label));
}

async function labels(omni: Requester): Promise<LookupItem[]> {
  const body = fieldsOf(await omni.json<unknown>('/v1/labels', 'listing the labels'));
  const list = Array.isArray(body) ? body : (body.labels ?? body.records);
  const verified = new Set(
    labelNames(Array.isArray(list) ? list.filter((l) => fieldsOf(l).verified === true) : []),
  );
  return [...new Set(labelNames(list))]
    .sort((a, b) => a.localeCompare(b))
    .map((name) => ({ value: name, label: name, ...(verified.has(name) ? { detail: 'verified' } : {}) }));
}

export const omniRuntime: ProviderRuntime<OmniConnection, OmniQuery> = {
  definition: omniProvider,

  resolveQuery: (query) => query,

  async testConnection(ctx) {
    const step = 'testing the connection';
    const q: OmniQuery = { sortField: 'name', sortDirection: 'asc', pageSize: 1 };
    const page = await api(ctx, step).json<DocumentsPage>(documentsPath(ctx.connection, q), step);
    const n = total(page);
    return `Connected to Omni (${ctx.connection.apiVersion} path): ${n ?? 'some'} document${n === 1 ? '' : 's'} visible with this key.`;
  },

  run: runOmni,

  async lookup(name, _params, ctx) {
    if (name === 'users') return users(api(ctx, 'listing the users'));
    if (name === 'labels') return labels(api(ctx, 'listing the labels'));
    throw new UserError(`Omni offers no list named "${name}"; it has "users" and "labels".`);
  },
};
