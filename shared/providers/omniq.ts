import { z } from 'zod';
import { RELATIVE_DATES } from '../dates.ts';
import { RELATIVE_PERIODS } from '../date-range.ts';
import { fieldList, headerTextMessage, isHeaderText } from './fields.ts';
import type { ProviderDefinition } from './types.ts';

/** The entities OmniQ documents. `campaings` is the vendor's own spelling and must be sent as is. */
export const OMNIQ_INDEXES = [
  'templates_reports',
  'communicationlogs',
  'hsm_templates',
  'communications',
  'manual_instances',
  'users',
  'campaings',
  'profiles',
  'reports',
  'agents',
] as const;

const isoInstant = z
  .string()
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(s) && !Number.isNaN(Date.parse(s)),
    'Use an ISO-8601 UTC time written YYYY-MM-DDTHH:MM:SS.sssZ',
  );

export const OmniqCreatedAtSchema = z.union([
  z.enum(RELATIVE_DATES),
  isoInstant,
  z
    .object({ from: isoInstant, to: isoInstant })
    .strict()
    .refine((r) => Date.parse(r.from) <= Date.parse(r.to), {
      message: '"from" must not be after "to"',
      path: ['to'],
    }),
]);

const filterValue = z.union([z.string().max(10_000), z.number(), z.boolean()]);

export const OmniqQuerySchema = z
  .object({
    index: z
      .string()
      .trim()
      .min(1, 'Choose the entity to export (index), e.g. communications')
      .max(200)
      .regex(/^[A-Za-z0-9_.-]+$/, 'An index name has only letters, digits, "_", "-" and "."'),
    filterBy: z.object({ createdAt: OmniqCreatedAtSchema.optional() }).catchall(filterValue).optional(),
  })
  .strict();
export type OmniqQuery = z.infer<typeof OmniqQuerySchema>;

export const OmniqConnectionSchema = z
  .object({
    baseUrl: z.url({
      protocol: /^https?$/,
      message: 'Enter the API address, e.g. https://api.omniq.icq24.com',
    }),
    tenantId: z
      .string()
      .trim()
      .min(1, 'Enter your tenant id (sent as x-tenant-id)')
      .max(200)
      .refine(isHeaderText, headerTextMessage('x-tenant-id')),
    pageSize: z.number().int().min(1).max(10_000).default(500),
  })
  .strict();
export type OmniqConnection = z.infer<typeof OmniqConnectionSchema>;

const connectionFields = fieldList([
  {
    key: 'baseUrl',
    label: 'API address',
    kind: 'url',
    required: true,
    placeholder: 'https://api.omniq.icq24.com',
    help: 'The vendor’s address; change it only for a proxy or a test server.',
  },
  { key: 'tenantId', label: 'Tenant id', kind: 'text', required: true, placeholder: 'ORGANIZATION-TENANTID' },
  {
    key: 'apiKey',
    label: 'API key (optional)',
    kind: 'secret',
    help: 'Sent as a bearer token.',
  },
  { key: 'pageSize', label: 'Records per page', kind: 'number', min: 1, max: 10_000 },
]);

const queryFields = fieldList([
  {
    key: 'index',
    label: 'Entity (index)',
    kind: 'select',
    required: true,
    freeText: true,
    options: OMNIQ_INDEXES.map((value) => ({ value, label: value })),
  },
  {
    key: 'filterBy.createdAt',
    label: 'Created',
    kind: 'date-range',
    help: 'A relative period such as yesterday, or a fixed range.',
    dateRange: {
      precision: 'instant',
      wire: 'utc-ms',
      vendor: 'OmniQ',
      from: 'filterBy.createdAt.from',
      to: 'filterBy.createdAt.to',
      period: 'filterBy.createdAt',
      periods: RELATIVE_PERIODS,
      periodsResolvedBy: 'app',
      endIncluded: true,
    },
  },
  {
    key: 'filterBy',
    label: 'Filters (field = value)',
    kind: 'json',
    help: 'Exact matches, e.g. {"platform": "whatsapp"}',
  },
]);

export const omniqProvider = {
  id: 'omniq',
  name: 'OmniQ',
  vendor: 'OmniQ (icq24)',
  summary: 'Get My Data: records of an entity, in pages.',
  connectionSchema: OmniqConnectionSchema,
  connectionFields,
  secretFields: ['apiKey'],
  requiredSecrets: [],
  querySchema: OmniqQuerySchema,
  queryFields,
  defaultQuery: { index: 'communications', filterBy: { createdAt: 'yesterday' } },
  presets: [
    { id: 'yesterday', label: 'Yesterday', query: { filterBy: { createdAt: 'yesterday' } } },
    { id: 'last-7-days', label: 'Last 7 days', query: { filterBy: { createdAt: 'last-7-days' } } },
    { id: 'this-month', label: 'This month', query: { filterBy: { createdAt: 'this-month' } } },
  ],
  capabilities: { tenantJobs: false, queryEditor: 'fields', totals: false },
  address: { field: 'baseUrl' },
  externalHosts: ['omniq-docs.pages.dev', 'api.omniq.icq24.com'],
} satisfies ProviderDefinition<typeof OmniqConnectionSchema, typeof OmniqQuerySchema>;
