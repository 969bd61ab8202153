import { z } from 'zod';
import { RELATIVE_DATES } from '../dates.ts';
import { RELATIVE_PERIODS } from '../date-range.ts';
import { fieldList } from './fields.ts';
import type { ProviderDefinition } from './types.ts';

/** The comparison operators the Insights API accepts, in the order its docs list them. */
export const INSIGHTS_OPERATORS = ['$eq', '$gt', '$gte', '$lt', '$lte', '$ne'] as const;

/** The data dictionary's common fields: every event offers them, whatever the catalogue lists. */
export const INSIGHTS_COMMON_FIELDS = [
  'EventName',
  'EventVersion',
  'EventSku',
  'TimeStamp',
  'HostId',
  'CustomerId',
  'CustomerName',
  'Originator',
  'OriginatorId',
  'FlowId',
  'FlowName',
  'ActionId',
  'ActionName',
  'IsTriggerAction',
  'SessionId',
  'TransactionId',
  'ApplicationRegion',
  'PassthroughVersion',
  'Passthrough',
] as const;

/** The vendor's only accepted time form: no milliseconds, UTC. */
export const INSIGHTS_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Seconds precision, as the vendor wants it; a value that is no date at all is left for the vendor to refuse. */
export function insightsTime(value: string): string {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) return value;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const filterValue = z.union([z.string().max(10_000), z.number(), z.boolean()]);
/** `{"$eq": "5dcf…"}`. Operators are checked by the vendor, whose 400 names the wrong ones. */
const condition = z.record(z.string(), filterValue);
/** Event name -> field name -> condition. */
const eventFilters = z.record(z.string(), z.record(z.string(), condition));

const timestampValue = z.string().trim().min(1, 'Enter a UTC time written YYYY-MM-DDTHH:MM:SSZ');

export const IntelepeerQuerySchema = z
  .object({
    /** Either the vendor's `{"$gte": …, "$lte": …}` or a relative keyword (yesterday, last-7-days …). */
    timestamp: z.union(
      [
        z.enum(RELATIVE_DATES),
        z
          .record(z.string(), timestampValue)
          .refine((t) => Object.keys(t).length > 0, 'Enter the time range ($gte and $lte)'),
      ],
      {
        error:
          'Enter the time range: $gte and $lte UTC times written YYYY-MM-DDTHH:MM:SSZ, or a relative range such as yesterday',
      },
    ),
    data: z
      .record(
        z.string().min(1),
        z
          .object({ fields: z.array(z.string().min(1)).min(1, 'Choose at least one field of this event') })
          .strict(),
      )
      .refine((d) => Object.keys(d).length > 0, 'Choose at least one event and its fields'),
    filters: eventFilters.optional(),
    scope: z
      .object({
        scope: z.literal('SessionId', { error: 'The session scope can only be "SessionId"' }),
        filters: eventFilters,
      })
      .strict()
      .optional(),
  })
  .strict();
export type IntelepeerQuery = z.infer<typeof IntelepeerQuerySchema>;

export const INTELEPEER_DEFAULTS = {
  apiBaseUrl: 'https://api.intelepeer.com',
  authUrl: 'https://customer.intelepeer.com',
  /**
   * IntelePeer answers the same 429 for its two-running-queries limit and its ~1 TB per-query limit. With
   * fewer than two of this account's queries running here, a minute of refusals is enough to tell: the
   * slots are held by someone else or the query is too big, and waiting longer rarely helps.
   */
  limitRetrySeconds: 60,
  /**
   * The vendor gives no time limit of its own (a query it times out ends Canceled). Four hours is far
   * beyond what a query of the ~1 TB limit takes, and short enough that a query the vendor never ends
   * frees its slot (one of the account's two) the same working day.
   */
  pollDeadlineMinutes: 240,
} as const;

const httpUrl = (what: string) =>
  z.url({ protocol: /^https?$/, message: `Enter the ${what}, e.g. https://api.intelepeer.com` });

export const IntelepeerConnectionSchema = z
  .object({
    apiBaseUrl: httpUrl('API address').default(INTELEPEER_DEFAULTS.apiBaseUrl),
    authUrl: httpUrl('authentication address').default(INTELEPEER_DEFAULTS.authUrl),
    username: z.string().trim().min(1, 'Enter the API user name (Customer Portal, Access "API")').max(200),
    sftpHost: z
      .string()
      .trim()
      .min(1, 'Enter the SFTP host IntelePeer gave you for report files')
      .max(255)
      .regex(/^[A-Za-z0-9.:[\]-]+$/, 'Enter a host name or address, without sftp:// or a path'),
    sftpPort: z.coerce.number().int().min(1).max(65_535).default(22),
    sftpUsername: z.string().trim().min(1, 'Enter the SFTP user name').max(200),
    /** The folder the result's relative paths (reports/…) are under; empty for the login folder. */
    sftpBaseDir: z.string().trim().max(1000).default(''),
    /**
     * The SFTP server's SHA256 host key fingerprint this connection trusts. Empty: the first key seen is
     * pinned; set it to the new fingerprint to accept a changed key deliberately.
     */
    sftpHostKey: z
      .string()
      .trim()
      .regex(/^(SHA256:[A-Za-z0-9+/]{43}=?)?$/, 'Paste the fingerprint as shown, e.g. SHA256:Qm9v…')
      .default(''),
    /** How long a query refused with 429 is sent again while fewer than two of its account's queries run here. */
    limitRetrySeconds: z.coerce
      .number({ error: 'Enter the retry time for a refused query in seconds, e.g. 60' })
      .int('Enter whole seconds for the retry time of a refused query')
      .min(0, 'Enter 0 or more seconds for the retry time of a refused query')
      .max(3600, 'Enter at most 3600 seconds (an hour) for the retry time of a refused query')
      .default(INTELEPEER_DEFAULTS.limitRetrySeconds),
    /** How long one query is waited for, from its submission until IntelePeer lists its result files. */
    pollDeadlineMinutes: z.coerce
      .number({ error: 'Enter how long to wait for a query in minutes, e.g. 240' })
      .int('Enter whole minutes for how long to wait for a query')
      .min(1, 'Enter at least 1 minute for how long to wait for a query')
      .max(2880, 'Enter at most 2880 minutes (48 hours) for how long to wait for a query')
      .default(INTELEPEER_DEFAULTS.pollDeadlineMinutes),
  })
  .strict();
export type IntelepeerConnection = z.infer<typeof IntelepeerConnectionSchema>;

const connectionFields = fieldList([
  {
    key: 'apiBaseUrl',
    label: 'API address',
    kind: 'url',
    required: true,
    placeholder: INTELEPEER_DEFAULTS.apiBaseUrl,
  },
  {
    key: 'authUrl',
    label: 'Authentication address',
    kind: 'url',
    required: true,
    placeholder: INTELEPEER_DEFAULTS.authUrl,
    help: 'Where POST /_rest/v4/authenticate lives (customer.intelepeer.com or atmosphere.intelepeer.com).',
  },
  { key: 'username', label: 'API user name', kind: 'text', required: true },
  { key: 'password', label: 'API password', kind: 'secret', required: true },
  { key: 'sftpHost', label: 'SFTP host', kind: 'text', required: true, placeholder: 'sftp.example.com' },
  { key: 'sftpPort', label: 'SFTP port', kind: 'number', placeholder: '22' },
  { key: 'sftpUsername', label: 'SFTP user name', kind: 'text', required: true },
  {
    key: 'sftpPassword',
    label: 'SFTP password',
    kind: 'secret',
    help: 'Or a private key below.',
  },
  {
    key: 'sftpPrivateKey',
    label: 'SFTP private key',
    kind: 'secret',
    help: 'The whole key file (OpenSSH or PEM).',
  },
  {
    key: 'sftpPassphrase',
    label: 'Private key passphrase',
    kind: 'secret',
  },
  {
    key: 'sftpBaseDir',
    label: 'Remote base folder',
    kind: 'text',
    placeholder: '/',
    help: 'The folder the "reports/…" paths are under; empty for the login folder.',
  },
  {
    key: 'sftpHostKey',
    label: 'Trusted SFTP host key',
    kind: 'text',
    placeholder: 'SHA256:…',
    help: 'Empty: the key seen on first connection is pinned. To accept a changed key, paste its fingerprint here.',
  },
  {
    key: 'limitRetrySeconds',
    label: 'Retry a refused query for (seconds)',
    kind: 'number',
    placeholder: String(INTELEPEER_DEFAULTS.limitRetrySeconds),
    help: 'IntelePeer refuses a query (429) when the account runs two queries or the query is over about 1 TB of data. While fewer than two of its queries run here, a refused query is sent again for this long, then the export stops and says why.',
  },
  {
    key: 'pollDeadlineMinutes',
    label: 'Stop waiting for a query after (minutes)',
    kind: 'number',
    placeholder: String(INTELEPEER_DEFAULTS.pollDeadlineMinutes),
    help: 'From submission until IntelePeer lists the result files; the export then stops and names the last status IntelePeer sent.',
  },
]);

const queryFields = fieldList([
  {
    key: 'timestamp',
    label: 'Time range',
    kind: 'date-range',
    required: true,
    help: 'A relative period such as yesterday, or a fixed range ($gte … $lte).',
    dateRange: {
      precision: 'instant',
      wire: 'utc-s',
      vendor: 'IntelePeer',
      from: 'timestamp.$gte',
      to: 'timestamp.$lte',
      period: 'timestamp',
      periods: RELATIVE_PERIODS,
      periodsResolvedBy: 'app',
      endIncluded: true,
    },
  },
  {
    key: 'data',
    label: 'Events and fields',
    kind: 'json',
    required: true,
    lookup: { name: 'catalogue' },
    placeholder: '{"ApplicationExitEvent": {"fields": ["FlowId"]}}',
  },
  { key: 'filters', label: 'Filters', kind: 'json' },
  { key: 'scope', label: 'Session scope', kind: 'json' },
]);

export const intelepeerProvider = {
  id: 'intelepeer',
  name: 'IntelePeer Insights',
  vendor: 'IntelePeer Insights',
  summary: 'Insights queries (dwh/Q) on call, message and flow events; result files fetched over SFTP.',
  connectionSchema: IntelepeerConnectionSchema,
  connectionFields,
  secretFields: ['password', 'sftpPassword', 'sftpPrivateKey', 'sftpPassphrase'],
  requiredSecrets: ['password'],
  querySchema: IntelepeerQuerySchema,
  queryFields,
  defaultQuery: {
    timestamp: 'yesterday',
    data: { ApplicationExitEvent: { fields: ['FlowId'] } },
  },
  presets: [
    { id: 'yesterday', label: 'Yesterday', query: { timestamp: 'yesterday' } },
    { id: 'last-7-days', label: 'Last 7 days', query: { timestamp: 'last-7-days' } },
  ],
  capabilities: { tenantJobs: false, queryEditor: 'insights', totals: false },
  address: { field: 'apiBaseUrl', alsoSet: ['authUrl'] },
  pagesAre: 'files',
  externalHosts: ['developers.intelepeer.com', 'docs.intelepeer.com'],
} satisfies ProviderDefinition<typeof IntelepeerConnectionSchema, typeof IntelepeerQuerySchema>;
