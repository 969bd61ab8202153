import { z } from 'zod';
import { fieldList } from './fields.ts';
import type { ProviderDefinition } from './types.ts';

/** Fields the documents list may be sorted by (docs.omni.co, List documents). */
export const OMNI_SORT_FIELDS = ['name', 'updatedAt', 'favorites', 'visits'] as const;
/** `include` flags of the v1 path; `labels` is always asked for, since the export has a labels column. */
export const OMNI_INCLUDE_FLAGS = ['_count', 'includeDeleted', 'onlyFavorites', 'onlySharedWithMe'] as const;
export const OMNI_MAX_PAGE_SIZE = 100;

const label = z
  .string()
  .trim()
  .min(1, 'A label needs a name')
  .max(100)
  .refine((s) => !s.includes(','), {
    message: 'A label name with a comma cannot be filtered on: Omni takes labels as a comma-separated list',
  });

/**
 * The documents query in the vendor's own parameter names. The sort field and creator are judged by Omni
 * itself (its answer is shown next to the field), so a sort field Omni adds later can be typed in. The
 * combinations Omni's List documents refuses are refused here, before any request: onlyFavorites needs a
 * user; onlySharedWithMe goes with neither onlyFavorites nor a folder. (onlySharedWithMe also needs a user
 * with an organisation key, but not with a personal access token, so that one is left to Omni.)
 */
export const OmniQuerySchema = z
  .object({
    labels: z.array(label).max(50).optional(),
    creatorId: z.string().trim().min(1).max(100).optional(),
    userId: z.string().trim().min(1).max(100).optional(),
    folderId: z.string().trim().min(1).max(100).optional(),
    include: z.array(z.enum(OMNI_INCLUDE_FLAGS)).optional(),
    sortField: z
      .string()
      .trim()
      .min(1, 'Choose what to sort by')
      .max(50)
      .regex(/^[A-Za-z_]+$/, 'A sort field is a single word such as name or updatedAt'),
    sortDirection: z.enum(['asc', 'desc'], 'Sort ascending (asc) or descending (desc)'),
    pageSize: z
      .number('Enter the page size as a number from 1 to 100')
      .int('Enter a whole number of documents per page')
      .min(1, 'At least 1 document per page')
      .max(OMNI_MAX_PAGE_SIZE, `Omni sends at most ${OMNI_MAX_PAGE_SIZE} documents per page`),
  })
  .strict()
  .superRefine((q, ctx) => {
    const include = new Set(q.include);
    const refuse = (path: string, message: string): void =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (include.has('onlyFavorites') && !q.userId)
      refuse('userId', 'Choose the user whose favorites to export: Omni needs a user with “Only favorites”');
    if (include.has('onlySharedWithMe') && include.has('onlyFavorites'))
      refuse('include', 'Choose “Only favorites” or “Only shared with the user”: Omni does not combine them');
    if (include.has('onlySharedWithMe') && q.folderId)
      refuse('folderId', 'Clear the folder: Omni does not combine a folder with “Only shared with the user”');
  });
export type OmniQuery = z.infer<typeof OmniQuerySchema>;

export const OmniConnectionSchema = z
  .object({
    baseUrl: z.url({
      protocol: /^https?$/,
      message: 'Enter your organisation’s address, e.g. https://myorg.omniapp.co',
    }),
    apiVersion: z.enum(['v1', 'unstable']).default('v1'),
    /**
     * The vendor's rule: 60 requests per minute per API key, shared by everything using that key. Omni
     * raises a key's limit to 500 a minute on request.
     */
    requestsPerMinute: z
      .number('Enter the requests a minute as a number')
      .int('Enter a whole number of requests a minute')
      .min(1, 'At least 1 request a minute')
      .max(500, 'Omni allows at most 500 requests a minute per key')
      .default(60),
  })
  .strict();
export type OmniConnection = z.infer<typeof OmniConnectionSchema>;

const connectionFields = fieldList([
  {
    key: 'baseUrl',
    label: 'Organisation address',
    kind: 'url',
    required: true,
    placeholder: 'https://myorg.omniapp.co',
    help: 'Your Omni address (a playground or proxy address works too); /api/… is added.',
  },
  {
    key: 'apiKey',
    label: 'API key or personal access token',
    kind: 'secret',
    required: true,
    help: 'An organisation API key (Settings → API access) or a personal access token. Omni allows 60 requests a minute per key.',
  },
  {
    key: 'apiVersion',
    label: 'API path version',
    kind: 'select',
    options: [
      { value: 'v1', label: 'v1 (current)' },
      { value: 'unstable', label: 'unstable (older path)' },
    ],
  },
  {
    key: 'requestsPerMinute',
    label: 'Requests a minute for this key',
    kind: 'number',
    min: 1,
    max: 500,
    help: 'Omni allows 60; change it only if Omni raised the limit of this key (up to 500).',
  },
]);

const queryFields = fieldList([
  {
    key: 'labels',
    label: 'Labels',
    kind: 'multiselect',
    freeText: true,
    lookup: { name: 'labels' },
    help: 'Documents with any of these labels.',
  },
  {
    key: 'creatorId',
    label: 'Creator',
    kind: 'select',
    lookup: { name: 'users' },
    help: 'Only documents this user created.',
  },
  {
    key: 'userId',
    label: 'As user',
    kind: 'select',
    lookup: { name: 'users' },
    help: 'Only documents this user may view (v1 path). Needed for “Only favorites”, and for “Only shared with the user” with an organisation key (a personal access token stands for its own user).',
  },
  {
    key: 'folderId',
    label: 'Folder id',
    kind: 'text',
    placeholder: 'ce3b1dcd-c768-4f01-a479-353325c4c5b0',
    help: 'Only documents in this folder (v1 path; not with “Only shared with the user”).',
  },
  {
    key: 'include',
    label: 'Include',
    kind: 'multiselect',
    options: [
      { value: '_count', label: 'Favorite and view counts (_count)' },
      { value: 'includeDeleted', label: 'Deleted documents' },
      { value: 'onlyFavorites', label: 'Only favorites of the user' },
      { value: 'onlySharedWithMe', label: 'Only shared with the user' },
    ],
    help: 'v1 path only. “Only favorites” needs “As user”; “Only shared with the user” goes with neither “Only favorites” nor a folder.',
  },
  {
    key: 'sortField',
    label: 'Sort by',
    kind: 'select',
    required: true,
    freeText: true,
    options: OMNI_SORT_FIELDS.map((value) => ({ value, label: value })),
    help: 'Omni’s cursor is the sort value of a page’s last document, and no sort field is unique, so documents that share a value across a page boundary could be skipped. Export Desk asks again from the previous value to get them, which works while such a group fits on a page; name and updatedAt always allow it, favorites and visits only with “Favorite and view counts” included. Sort by name for the surest export.',
  },
  {
    key: 'sortDirection',
    label: 'Direction',
    kind: 'select',
    required: true,
    options: [
      { value: 'asc', label: 'Ascending' },
      { value: 'desc', label: 'Descending' },
    ],
  },
  { key: 'pageSize', label: 'Documents per page', kind: 'number', required: true, min: 1, max: 100 },
]);

export const omniProvider = {
  id: 'omni',
  name: 'Omni',
  vendor: 'Omni Analytics',
  summary: 'The documents of an organisation (name, folder, owner, labels), at up to 60 requests a minute.',
  connectionSchema: OmniConnectionSchema,
  connectionFields,
  secretFields: ['apiKey'],
  requiredSecrets: ['apiKey'],
  querySchema: OmniQuerySchema,
  queryFields,
  defaultQuery: { sortField: 'name', sortDirection: 'asc', pageSize: OMNI_MAX_PAGE_SIZE },
  presets: [
    {
      id: 'recent',
      label: 'Recently updated first',
      query: { sortField: 'updatedAt', sortDirection: 'desc' },
    },
    { id: 'by-name', label: 'By name', query: { sortField: 'name', sortDirection: 'asc' } },
  ],
  capabilities: { tenantJobs: false, queryEditor: 'fields', totals: false },
  address: { field: 'baseUrl' },
  externalHosts: ['docs.omni.co'],
  listColumns: ['labels'],
} satisfies ProviderDefinition<typeof OmniConnectionSchema, typeof OmniQuerySchema>;
