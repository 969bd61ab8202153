import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../electron/http/errors.ts';
import { apiRoot, queryString } from '../../../electron/providers/omni/api.ts';
import { nextPage } from '../../../electron/providers/omni/cursor.ts';
import { documentRow } from '../../../electron/providers/omni/records.ts';
import { omniProvider, OmniQuerySchema } from '../../../shared/providers/omni.ts';
import { explainDetail, scimError } from '../../../electron/providers/omni/scim-errors.ts';

const scim = (status: number, detail: string) =>
  new HttpError({
    kind: 'status',
    status,
    message: `Omni failed: HTTP ${status}`,
    bodySnippet: JSON.stringify({ detail, schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status }),
  });

describe('Omni errors', () => {
  it('names the query field each detail is about, in plain words', () => {
    const id = '9e8719d9-276a-4964-9395-a493189a247c';
    expect(explainDetail(`User with id ${id} does not exist`)).toMatchObject({
      field: 'creatorId',
      message: `No user with the id ${id} exists in this Omni organisation.`,
    });
    expect(explainDetail(`userId: User with id ${id} does not exist`).field).toBe('userId');
    expect(explainDetail('userId: Required when include contains onlyFavorites').field).toBe('userId');
    expect(explainDetail(`Folder with id ${id} does not exist`).field).toBe('folderId');
    expect(explainDetail('creatorId: Invalid uuid')).toMatchObject({
      field: 'creatorId',
      message: expect.stringContaining('UUID'),
    });
    expect(
      explainDetail(
        "sortField: Invalid enum value. Expected 'favorites' | 'name' | 'updatedAt' | 'visits', received 'x'",
      ),
    ).toMatchObject({
      field: 'sortField',
      message: 'Omni does not accept “x” here; it accepts favorites, name, updatedAt, visits.',
    });
    expect(explainDetail("Unrecognized key(s) in object: 'include'")).toMatchObject({ field: 'include' });
    expect(explainDetail('pageSize: Number must be less than or equal to 100').field).toBe('pageSize');
    expect(explainDetail('Something else went wrong')).toEqual({
      message: 'Omni refused the request: Something else went wrong',
      hint: expect.any(String),
    });
  });

  it('turns SCIM 400/404 answers into errors with the field, and leaves the rest to the generic wording', () => {
    const e = scimError(
      'Omni',
      'fetching documents page 1',
      scim(404, 'User with id 0b9c3f0e-1234-4abc-8def-0123456789ab does not exist'),
    );
    expect(e?.toJobError()).toMatchObject({ field: 'creatorId', status: 404, vendor: 'Omni' });
    // A 404 about no parameter is a wrong address: the generic "check the address" hint applies.
    expect(scimError('Omni', 's', scim(404, 'No route for /api/v2/documents'))).toBeUndefined();
    expect(scimError('Omni', 's', scim(500, 'boom'))).toBeUndefined();
    expect(
      scimError(
        'Omni',
        's',
        new HttpError({ kind: 'status', status: 400, message: 'x', bodySnippet: '<html>' }),
      ),
    ).toBeUndefined();
  });
});

describe('Omni requests and rows', () => {
  it('finds the API under any form of the organisation address', () => {
    for (const base of [
      'https://myorg.omniapp.co',
      'https://myorg.omniapp.co/',
      'https://myorg.omniapp.co/api',
      'https://myorg.omniapp.co/api/v1/',
    ])
      expect(apiRoot(base)).toBe('https://myorg.omniapp.co/api');
  });

  it('encodes a cursor so it arrives as sent', () => {
    const cursor = 'R&D+Ops #2 100% a=b/c? 財務';
    const qs = queryString([
      ['pageSize', '100'],
      ['labels', undefined],
      ['cursor', cursor],
    ]);
    expect(qs.split('cursor=')[1]).toMatch(/^[A-Za-z0-9%._~*'()!-]+$/);
    expect(new URLSearchParams(qs.slice(1)).get('cursor')).toBe(cursor);
    expect(qs.startsWith('?pageSize=100&cursor=')).toBe(true);
  });

  it('flattens folder, owner and labels of either shape into the same columns', () => {
    const a = documentRow({
      identifier: 'a1',
      name: 'Blob Web Traffic',
      folder: null,
      owner: { id: 'u1', name: 'Blobby' },
      labels: [{ name: 'Marketing', verified: false }, 'Finance'],
      updatedAt: '2025-01-07T10:00:00Z',
      url: 'https://x/dashboards/a1',
    });
    expect(a.folder).toEqual({ id: null, name: null, path: null, scope: null });
    expect(a.labels).toEqual(['Marketing', 'Finance']);
    expect(Object.keys(a).slice(0, 9)).toEqual([
      'identifier',
      'name',
      'type',
      'scope',
      'updatedAt',
      'deleted',
      'folder',
      'owner',
      'labels',
    ]);
    expect(a.url).toBe('https://x/dashboards/a1');
    const b = documentRow(
      JSON.parse(
        '{"identifier":"b","folder":{"id":"f","name":"F","path":"f","scope":"organization"},"__proto__":{"x":1}}',
      ),
    );
    expect(b.folder).toEqual({ id: 'f', name: 'F', path: 'f', scope: 'organization' });
    expect(Object.hasOwn(b, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('Omni query', () => {
  const base = { sortField: 'name', sortDirection: 'asc', pageSize: 100 };
  const issues = (patch: Record<string, unknown>) => {
    const r = OmniQuerySchema.safeParse({ ...base, ...patch });
    return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
  };

  it('refuses the include, userId and folderId combinations Omni refuses, naming the field to change', () => {
    const user = '9e8719d9-276a-4964-9395-a493189a247c';
    expect(issues({ include: ['onlyFavorites'] })).toEqual([
      ['userId', expect.stringContaining('Only favorites')],
    ]);
    expect(issues({ include: ['onlyFavorites'], userId: user })).toEqual([]);
    expect(issues({ include: ['onlySharedWithMe', 'onlyFavorites'], userId: user })).toEqual([
      ['include', expect.stringContaining('does not combine them')],
    ]);
    expect(issues({ include: ['onlySharedWithMe'], folderId: user })).toEqual([
      ['folderId', expect.stringContaining('Clear the folder')],
    ]);
    // A personal access token stands for its own user, so onlySharedWithMe alone is Omni's to judge.
    expect(issues({ include: ['onlySharedWithMe'] })).toEqual([]);
  });

  it('offers the users list to pick the user from', () => {
    const field = omniProvider.queryFields.find((f) => f.key === 'userId');
    expect(field).toMatchObject({ kind: 'select', lookup: { name: 'users' } });
    expect(omniProvider.queryFields.find((f) => f.key === 'sortField')?.help).toContain('page boundary');
  });
});

describe('Omni cursor', () => {
  const doc = (identifier: string, name: string) => ({ identifier, name });

  it('asks again from the previous value, so documents tied at the page boundary are not skipped', () => {
    const page = [doc('a', 'Alpha'), doc('b', 'Beta'), doc('c', 'Gamma'), doc('d', 'Gamma')];
    expect(nextPage({ sortField: 'name' }, page, 'Gamma')).toEqual({
      cursor: 'Beta',
      again: ['c', 'd'],
      mayMiss: false,
    });
  });

  it('follows a cursor that is not a sort value, and says when ties cannot be fetched again', () => {
    const page = [doc('a', 'Gamma'), doc('b', 'Gamma')];
    expect(nextPage({ sortField: 'name' }, page, 'opaque')).toEqual({
      cursor: 'opaque',
      again: [],
      mayMiss: false,
    });
    expect(nextPage({ sortField: 'name' }, page, 'Gamma')).toMatchObject({ cursor: 'Gamma', mayMiss: true });
    // Without _count the favorites of a document are not shown.
    expect(nextPage({ sortField: 'favorites' }, page, '3')).toMatchObject({ cursor: '3', mayMiss: true });
    const counted = [
      { identifier: 'a', _count: { favorites: 2 } },
      { identifier: 'b', _count: { favorites: 3 } },
    ];
    expect(nextPage({ sortField: 'favorites' }, counted, '3')).toMatchObject({ cursor: '2', again: ['b'] });
  });
});
