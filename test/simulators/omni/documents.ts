/**
 * GET /api/{v1|unstable}/documents: parameter checks with SCIM error details, filters, sorting and the
 * cursor. The cursor is the sort value of the page's last document and nothing more ("Product Totals",
 * as in the doc), and the next page starts after that value: documents that share it with the page's
 * last one and did not fit on the page are skipped, as a value cursor must. A cursor only means
 * something with the sort it came from.
 *
 * The v1 rules of docs.omni.co (List documents): include=onlyFavorites must be used with userId;
 * include=onlySharedWithMe needs userId with an organisation key (a personal access token stands for its
 * own user) and is combined with neither onlyFavorites nor folderId. The unstable path knows none of
 * include, userId or folderId and refuses them as unknown parameters.
 */
import type { Organisation, SimDocument, SimLabel } from './data.ts';

export type ApiPath = 'v1' | 'unstable';
export const SORT_FIELDS = ['favorites', 'name', 'updatedAt', 'visits'] as const;
type SortField = (typeof SORT_FIELDS)[number];
const INCLUDE = ['_count', 'labels', 'includeDeleted', 'onlyFavorites', 'onlySharedWithMe'] as const;
const PARAMS: Record<ApiPath, readonly string[]> = {
  unstable: ['cursor', 'pageSize', 'sortField', 'sortDirection', 'labels', 'creatorId'],
  v1: [
    'cursor',
    'pageSize',
    'sortField',
    'sortDirection',
    'labels',
    'creatorId',
    'folderId',
    'include',
    'userId',
  ],
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export interface DocumentsQuery {
  path: ApiPath;
  cursor?: string;
  pageSize: number;
  sortField: SortField;
  sortDirection: 'asc' | 'desc';
  labels?: string[];
  creatorId?: string;
  folderId?: string;
  /** userId, or the user of the personal access token that asked. */
  user?: string;
  include: Set<string>;
}

/** The answer a page gets: the doc's `{pageInfo, records}`. */
export interface DocumentsPage {
  pageInfo: { hasNextPage: boolean; nextCursor: string | null; pageSize: number; totalRecords: number };
  records: unknown[];
}

const enumDetail = (param: string, allowed: readonly string[], got: string): string =>
  `${param}: Invalid enum value. Expected ${allowed.map((a) => `'${a}'`).join(' | ')}, received '${got}'`;

const userExists = (org: Organisation, param: string, id: string): void => {
  if (!UUID.test(id)) throw new ScimError(400, `${param}: Invalid uuid`);
  if (!org.users.some((u) => u.id === id))
    throw new ScimError(404, `${param === 'creatorId' ? '' : `${param}: `}User with id ${id} does not exist`);
};

/**
 * Reads and checks the query string as Omni does; throws ScimError 400/404. `tokenUser` is the user of a
 * personal access token, undefined for an organisation key.
 */
export function parseDocumentsQuery(
  path: ApiPath,
  params: URLSearchParams,
  org: Organisation,
  tokenUser?: string,
): DocumentsQuery {
  const unknown = [...new Set(params.keys())].filter((k) => !PARAMS[path].includes(k));
  if (unknown.length)
    throw new ScimError(400, `Unrecognized key(s) in object: ${unknown.map((k) => `'${k}'`).join(', ')}`);
  const get = (k: string): string | undefined => params.get(k) ?? undefined;
  const sizeText = get('pageSize') ?? '20';
  const pageSize = Number(sizeText);
  if (!/^\d+$/.test(sizeText)) throw new ScimError(400, `pageSize: Expected number, received '${sizeText}'`);
  if (pageSize < 1) throw new ScimError(400, 'pageSize: Number must be greater than or equal to 1');
  if (pageSize > 100) throw new ScimError(400, 'pageSize: Number must be less than or equal to 100');
  const sortField = get('sortField') ?? 'name';
  if (!(SORT_FIELDS as readonly string[]).includes(sortField))
    throw new ScimError(400, enumDetail('sortField', SORT_FIELDS, sortField));
  const sortDirection = get('sortDirection') ?? 'desc';
  if (sortDirection !== 'asc' && sortDirection !== 'desc')
    throw new ScimError(400, enumDetail('sortDirection', ['asc', 'desc'], sortDirection));
  const include = new Set((get('include') ?? '').split(',').filter(Boolean));
  for (const flag of include)
    if (!(INCLUDE as readonly string[]).includes(flag))
      throw new ScimError(400, enumDetail('include', INCLUDE, flag));
  const creatorId = get('creatorId');
  if (creatorId !== undefined) userExists(org, 'creatorId', creatorId);
  const userId = get('userId');
  if (userId !== undefined) userExists(org, 'userId', userId);
  const folderId = get('folderId');
  if (folderId !== undefined) {
    if (!UUID.test(folderId)) throw new ScimError(400, 'folderId: Invalid uuid');
    if (!org.folders.some((f) => f.id === folderId))
      throw new ScimError(404, `Folder with id ${folderId} does not exist`);
  }
  if (include.has('onlyFavorites') && userId === undefined)
    throw new ScimError(400, 'userId: Required when include contains onlyFavorites');
  if (include.has('onlySharedWithMe')) {
    if (include.has('onlyFavorites'))
      throw new ScimError(400, 'include: onlySharedWithMe cannot be combined with onlyFavorites');
    if (folderId !== undefined)
      throw new ScimError(400, 'folderId: Cannot be combined with include=onlySharedWithMe');
    if (userId === undefined && tokenUser === undefined)
      throw new ScimError(
        400,
        'userId: Required when include contains onlySharedWithMe with an Organization API key',
      );
  }
  const user = userId ?? tokenUser;
  const cursor = get('cursor');
  if (cursor !== undefined) checkCursor(cursor, sortField as SortField);
  const labels = get('labels')
    ?.split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  return {
    path,
    pageSize,
    sortField: sortField as SortField,
    sortDirection,
    include,
    ...(cursor === undefined ? {} : { cursor }),
    ...(labels?.length ? { labels } : {}),
    ...(creatorId ? { creatorId } : {}),
    ...(folderId ? { folderId } : {}),
    ...(user ? { user } : {}),
  };
}

function checkCursor(value: string, field: SortField): void {
  const ok =
    field === 'name' || (field === 'updatedAt' ? !Number.isNaN(Date.parse(value)) : /^\d+$/.test(value));
  if (!ok) throw new ScimError(400, `cursor: Invalid cursor '${value}' for sortField ${field}`);
}

function sortValue(d: SimDocument, field: SortField): string | number {
  switch (field) {
    case 'name':
      return d.name;
    case 'updatedAt':
      return Date.parse(d.updatedAt);
    default:
      return d[field];
  }
}

/** Stands in for who favorited what and what was shared with whom: a fixed pick per document and user. */
function mark(d: SimDocument, user: string, salt: string): number {
  let h = 2166136261;
  for (const c of `${salt}:${d.identifier}:${user}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0) % 10;
}
const favoriteOf = (d: SimDocument, user: string | undefined): boolean =>
  user !== undefined && mark(d, user, 'favorite') === 0;
/** Shared with the user through document permissions; never the user's own documents. */
const sharedWith = (d: SimDocument, user: string | undefined): boolean =>
  user !== undefined && d.owner.id !== user && mark(d, user, 'shared') < 3;

const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every matching document in the answer's order (what a client that pages to the end must get). */
export function matching(org: Organisation, q: DocumentsQuery): SimDocument[] {
  const wanted = q.labels?.map((l) => l.toLowerCase());
  const dir = q.sortDirection === 'asc' ? 1 : -1;
  return org.documents
    .filter((d) => !d.deleted || q.include.has('includeDeleted'))
    .filter((d) => !wanted || d.labels.some((l) => wanted.includes(l.name.toLowerCase())))
    .filter((d) => !q.creatorId || d.owner.id === q.creatorId)
    .filter((d) => !q.folderId || d.folder?.id === q.folderId)
    .filter((d) => !q.include.has('onlyFavorites') || favoriteOf(d, q.user))
    .filter((d) => !q.include.has('onlySharedWithMe') || sharedWith(d, q.user))
    .sort(
      (a, b) =>
        dir * cmp(sortValue(a, q.sortField), sortValue(b, q.sortField)) || cmp(a.identifier, b.identifier),
    );
}

function cursorValue(d: SimDocument, field: SortField): string {
  return field === 'updatedAt' ? d.updatedAt : String(sortValue(d, field));
}

/** The documents after the cursor's position. */
function after(all: SimDocument[], q: DocumentsQuery): SimDocument[] {
  if (q.cursor === undefined) return all;
  const value = q.cursor;
  const key =
    q.sortField === 'name' ? value : q.sortField === 'updatedAt' ? Date.parse(value) : Number(value);
  const dir = q.sortDirection === 'asc' ? 1 : -1;
  const index = all.findIndex((d) => dir * cmp(sortValue(d, q.sortField), key) > 0);
  return index < 0 ? [] : all.slice(index);
}

function labelOut(l: SimLabel, shape: 'string' | 'object'): unknown {
  return shape === 'string' ? l.name : { name: l.name, verified: l.verified };
}

/** A document as the path answers it: v1 adds hasDashboard, url and (asked for) _count. */
export function documentOut(
  d: SimDocument,
  q: DocumentsQuery,
  baseUrl: string,
  labelShape: 'string' | 'object',
) {
  const { favorites, visits, ...rest } = d;
  const out: Record<string, unknown> = {
    ...rest,
    labels: d.labels.map((l) => labelOut(l, labelShape)),
    type: 'document',
  };
  if (q.path === 'v1') {
    out.hasDashboard = d.visits % 3 !== 0;
    out.url = `${baseUrl}/dashboards/${d.identifier}`;
    if (q.include.has('_count')) out._count = { favorites, views: visits };
  }
  return out;
}

export function page(
  org: Organisation,
  q: DocumentsQuery,
): { total: number; docs: SimDocument[]; nextCursor: string | null } {
  const all = matching(org, q);
  const rest = after(all, q);
  const docs = rest.slice(0, q.pageSize);
  const last = docs.at(-1);
  const nextCursor = last && rest.length > q.pageSize ? cursorValue(last, q.sortField) : null;
  return { total: all.length, docs, nextCursor };
}
