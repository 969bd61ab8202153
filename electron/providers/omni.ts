import type { LookupItem } from '../../shared/api.ts';
import { omniProvider, type OmniConnection, type OmniQuery } from '../../shared/providers/omni.ts';
import { UserError } from '../base/user-error.ts';
import { ExportError } from '../jobs/errors.ts';
import { noKey, OmniApi, queryString, VENDOR, type OmniApiInit } from './omni/api.ts';
import { nextPage } from './omni/cursor.ts';
import { documentRow, labelNames } from './omni/records.ts';
import type { ProviderRuntime, RunContext, TestContext } from '../jobs/provider.ts';

interface DocumentsPage {
  pageInfo?: { hasNextPage?: unknown; nextCursor?: unknown; totalRecords?: unknown; totalItems?: unknown };
  records?: unknown;
}

function api(
  ctx: TestContext<OmniConnection>,
  step: string,
  on: Pick<OmniApiInit, 'onWait' | 'onPace'> = {},
): OmniApi {
  const apiKey = ctx.secrets.apiKey;
  if (!apiKey) throw noKey(step);
  return new OmniApi({ ...ctx, apiKey, ...on });
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
function documentsPath(connection: OmniConnection, q: OmniQuery, cursor: string | undefined): string {
  const v1 = connection.apiVersion === 'v1';
  // v1 sends labels only when asked for them; the export always has a labels column.
  const include = v1 ? ['labels', ...(q.include ?? [])].join(',') : undefined;
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
      ctx.setState(
        'waiting',
        `Waiting for Omni's limit of ${connection.requestsPerMinute} requests a minute on this key`,
      );
    },
  });
  ctx.setState('downloading', 'Fetching documents');
  const seen = new Set<string>();
  /** Documents the cursor asks for again (see omni/cursor.ts), not counted as sent twice. */
  let again = new Set<string>();
  let mayMiss = false;
  let repeated = 0;
  let expected: number | undefined;
  let cursor: string | undefined;
  for (let pages = 1; ; pages++) {
    const step = `fetching documents page ${pages}`;
    const page = await omni.get<DocumentsPage>(documentsPath(connection, query, cursor), step);
    if (waiting) {
      waiting = false;
      ctx.setState('downloading', 'Fetching documents');
    }
    if (!Array.isArray(page.records) || !page.pageInfo)
      throw new ExportError({
        vendor: VENDOR,
        step,
        message: 'Omni answered without "records" and "pageInfo".',
        hint: 'Check the organisation address of this connection.',
      });
    if (pages === 1) {
      expected = total(page);
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
    ctx.progress({ pages });
    if (page.pageInfo.hasNextPage !== true) break;
    const next = page.pageInfo.nextCursor;
    if (typeof next !== 'string' || next === '' || next === cursor)
      throw new ExportError({
        vendor: VENDOR,
        step,
        message: 'Omni said more documents follow but sent no new cursor to fetch them with.',
        hint: 'Retry the export; if it happens again, try another sort field and report it to Omni.',
      });
    const after = nextPage(query, page.records, next);
    cursor = after.cursor;
    again = new Set(after.again);
    mayMiss ||= after.mayMiss;
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

interface ScimUsers {
  totalResults?: unknown;
  itemsPerPage?: unknown;
  Resources?: Array<{
    id?: unknown;
    userName?: unknown;
    displayName?: unknown;
    active?: unknown;
    emails?: Array<{ value?: unknown; primary?: unknown }>;
  }>;
}

const USERS_PER_PAGE = 100;

async function users(omni: OmniApi): Promise<LookupItem[]> {
  const items: LookupItem[] = [];
  for (let start = 1; ;) {
    const page = await omni.get<ScimUsers>(
      `/scim/v2/users${queryString([
        ['startIndex', String(start)],
        ['count', String(USERS_PER_PAGE)],
      ])}`,
      'listing the users',
    );
    const list = Array.isArray(page.Resources) ? page.Resources : [];
    for (const u of list) {
      if (typeof u.id !== 'string') continue;
      const email = u.emails?.find((e) => e.primary === true)?.value ?? u.emails?.[0]?.value ?? u.userName;
      const name =
        typeof u.displayName === 'string' && u.displayName ? u.displayName : String(u.userName ?? u.id);
      const detail = [
        typeof email === 'string' ? email : undefined,
        u.active === false ? 'inactive' : undefined,
      ]
        .filter(Boolean)
        .join(', ');
      items.push({ value: u.id, label: name, ...(detail ? { detail } : {}) });
    }
    start += list.length;
    const totalResults = Number(page.totalResults);
    if (list.length === 0 || !(start <= totalResults)) break;
  }
  return items.sort((a, b) => a.label.localeCompare(b.label));
}

async function labels(omni: OmniApi): Promise<LookupItem[]> {
  const body = await omni.get<unknown>('/v1/labels', 'listing the labels');
  const list = Array.isArray(body)
    ? body
    : ((body as { labels?: unknown; records?: unknown } | null)?.labels ??
      (body as { records?: unknown } | null)?.records);
  const verified = new Set(
    (Array.isArray(list) ? list : [])
      .filter((l: unknown) => (l as { verified?: unknown } | null)?.verified === true)
      .map((l: unknown) => (l as { name: string }).name),
  );
  return [...new Set(labelNames(list))]
    .sort((a, b) => a.localeCompare(b))
    .map((name) => ({ value: name, label: name, ...(verified.has(name) ? { detail: 'verified' } : {}) }));
}

export const omniRuntime: ProviderRuntime<OmniConnection, OmniQuery> = {
  definition: omniProvider,

  resolveQuery(query) {
    return query;
  },

  async testConnection(ctx) {
    const omni = api(ctx, 'testing the connection');
    const q: OmniQuery = { sortField: 'name', sortDirection: 'asc', pageSize: 1 };
    const page = await omni.get<DocumentsPage>(
      documentsPath(ctx.connection, q, undefined),
      'testing the connection',
    );
    const n = total(page);
    return `Connected to Omni (${ctx.connection.apiVersion} path): ${n ?? 'some'} document${n === 1 ? '' : 's'} visible with this key.`;
  },

  async run(ctx) {
    await runOmni(ctx);
  },

  async lookup(name, _params, ctx) {
    if (name === 'users') return users(api(ctx, 'listing the users'));
    if (name === 'labels') return labels(api(ctx, 'listing the labels'));
    throw new UserError(`Omni offers no list named "${name}"; it has "users" and "labels".`);
  },
};
