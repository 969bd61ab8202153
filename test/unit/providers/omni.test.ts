import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../electron/http/errors.ts';
import { apiRoot, queryString } from '../../../electron/providers/omni/api.ts';
import { documentRow } from '../../../electron/providers/omni/records.ts';
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
