import { z } from 'zod';
import { RELATIVE_DATES, resolveRelativeDays, type RelativeDate } from '../dates.ts';
import { RELATIVE_PERIODS } from '../date-range.ts';
import { fieldList, optionalUrl, regionField } from './fields.ts';
import { CXONE_CALL_SPACING_MS, cxoneEstimate } from './cxone-windows.ts';
import type { ProviderDefinition } from './types.ts';

/**
 * Data Extraction hosts by the CXone area a tenant lives in. The reference names na1, au1 and eu1 (Frankfurt
 * spelled as it spells it); the other areas CXone runs use the same host pattern. "custom" takes any other
 * address, such as the `api_endpoint` of the tenant's /.well-known/cxone-configuration.
 */
export const CXONE_REGIONS = {
  na1: { label: 'North America (na1, Oregon)', host: 'https://na1.nice-incontact.com' },
  na2: { label: 'North America (na2)', host: 'https://na2.nice-incontact.com' },
  au1: { label: 'Australia (au1)', host: 'https://au1.nice-incontact.com' },
  eu1: { label: 'Europe (eu1, Frankfurt)', host: 'https://eu1.niceincontact.com' },
  uk1: { label: 'United Kingdom (uk1)', host: 'https://uk1.nice-incontact.com' },
  ca1: { label: 'Canada (ca1)', host: 'https://ca1.nice-incontact.com' },
  jp1: { label: 'Japan (jp1)', host: 'https://jp1.nice-incontact.com' },
} as const;

/** Entities and versions seen in use; any other name and version may be typed in. */
export const CXONE_ENTITIES = [
  { entityName: 'qm-workflows', versions: ['1', '3', '4'] },
  { entityName: 'recording-interaction-metadata', versions: ['7', '10', '12'] },
] as const;

/** The default of the connection's `pollDeadlineMinutes` (see there why). */
export const CXONE_POLL_DEADLINE_MINUTES = 60;

/** The vendor's guidance: at most two weeks per extraction job. Longer ranges become consecutive jobs. */
export const CXONE_MAX_DAYS_PER_JOB = 14;

const utcDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Write the UTC day as YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'This day does not exist',
  );

/** A remote extraction job's id, as POST /jobs returns it (a UUID). */
export const CXONE_JOB_ID = /^[A-Za-z0-9-]{1,100}$/;

/**
 * What to extract: an entity, version and range of UTC days, submitted as one job per 14 days. The days are
 * fixed (`startDate`, `endDate`) or a relative `period` (yesterday, last-7-days …) worked out in UTC days
 * when the export starts, so a recipe can run on a schedule (see resolveRelativeDays). With
 * `remoteJobId`, the file of that job already on the tenant is fetched instead (nothing is submitted):
 * the other fields then only describe it and may be left out.
 */
export const CxoneQuerySchema = z
  .object({
    entityName: z
      .string()
      .trim()
      .min(1, 'Choose the entity to extract, e.g. qm-workflows')
      .max(100)
      .optional(),
    version: z.string().trim().min(1, 'Choose the entity version, e.g. 3').max(10).optional(),
    /** A relative range instead of startDate/endDate (shared/dates.ts), in whole UTC days. */
    period: z
      .enum(RELATIVE_DATES, {
        error: `The period must be one of ${RELATIVE_DATES.join(', ')}, or give startDate and endDate`,
      })
      .optional(),
    startDate: utcDay.optional(),
    endDate: utcDay.optional(),
    /**
     * What `endDate` means. 'inclusive' (the default): the last day extracted, as the reference's
     * example "extract data until May 29" reads. 'exclusive': the first day not extracted, for a tenant
     * whose files leave the end day out (the reference's "from which to stop" can be read that way).
     */
    endDateMeaning: z.enum(['inclusive', 'exclusive']).optional(),
    remoteJobId: z
      .string()
      .regex(CXONE_JOB_ID, 'A CXone job id has letters, digits and dashes only, e.g. 20873a3f-b951-...')
      .optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.remoteJobId !== undefined) return;
    if (q.period !== undefined && (q.startDate !== undefined || q.endDate !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'Give either a period or a first and last day (startDate, endDate), not both',
        path: ['period'],
      });
      return;
    }
    const missing = {
      entityName: 'Choose the entity to extract, e.g. qm-workflows',
      version: 'Choose the entity version, e.g. 3',
      ...(q.period === undefined
        ? {
            startDate: 'Choose the first day to extract (a UTC day, YYYY-MM-DD), or a period',
            endDate: 'Choose the last day to extract (a UTC day, YYYY-MM-DD), or a period',
          }
        : {}),
    } as const;
    for (const [key, message] of Object.entries(missing)) {
      if (q[key as keyof typeof missing] === undefined)
        ctx.addIssue({ code: 'custom', message, path: [key] });
    }
  })
  .refine((q) => !q.startDate || !q.endDate || q.startDate <= q.endDate, {
    message: 'The end day must not be before the start day',
    path: ['endDate'],
  })
  .refine((q) => q.endDateMeaning !== 'exclusive' || !q.startDate || !q.endDate || q.startDate < q.endDate, {
    message: 'With endDateMeaning "exclusive" the end day is not extracted: make it later than the start day',
    path: ['endDate'],
  })
  // The rule above for editors reading the recipe's JSON Schema: a range, or a remote job's id.
  .meta({
    anyOf: [
      { required: ['entityName', 'version', 'startDate', 'endDate'] },
      { required: ['entityName', 'version', 'period'] },
      { required: ['remoteJobId'] },
    ],
  });
export type CxoneQuery = z.infer<typeof CxoneQuerySchema>;

export const CxoneConnectionSchema = z
  .object({
    region: z.enum(['na1', 'na2', 'au1', 'eu1', 'uk1', 'ca1', 'jp1', 'custom']).default('na1'),
    /** For region "custom", or to go through a proxy: where the token endpoint lives. */
    authBaseUrl: optionalUrl.default(''),
    /** For region "custom": the API host; the Data Extraction path is appended. */
    apiBaseUrl: optionalUrl.default(''),
    accessKeyId: z.string().trim().min(1, 'Enter the access key id (My Profile → Access Keys)').max(200),
    /**
     * How long to poll one extraction job before giving up on it. The vendor documents no limit on a
     * job's run time; 60 minutes is far more than a job of at most 14 days (the vendor's guidance) is
     * expected to take, and well inside the 24 hours the vendor keeps a job, so a job still running then
     * can be fetched later by its id.
     */
    pollDeadlineMinutes: z
      .number({ message: 'Enter the minutes to wait for a job, e.g. 60' })
      .int('Enter whole minutes, e.g. 60')
      .min(1, 'Wait at least 1 minute for a job')
      .max(1440, 'Wait at most 1440 minutes (24 hours: CXone keeps a job that long)')
      .default(CXONE_POLL_DEADLINE_MINUTES),
  })
  .strict()
  .refine((c) => c.region !== 'custom' || (c.authBaseUrl !== '' && c.apiBaseUrl !== ''), {
    message: 'A custom region needs both the authentication and the API address',
    path: ['apiBaseUrl'],
  });
export type CxoneConnection = z.infer<typeof CxoneConnectionSchema>;

const connectionFields = fieldList([
  regionField(CXONE_REGIONS, 'Custom addresses'),
  {
    key: 'authBaseUrl',
    label: 'Authentication address (custom)',
    kind: 'url',
    placeholder: 'https://na1.nice-incontact.com',
  },
  {
    key: 'apiBaseUrl',
    label: 'API address (custom)',
    kind: 'url',
    placeholder: 'https://na1.nice-incontact.com',
  },
  { key: 'accessKeyId', label: 'Access key id', kind: 'text', required: true },
  {
    key: 'pollDeadlineMinutes',
    label: 'Stop waiting for a job after (minutes)',
    kind: 'number',
    min: 1,
    max: 1440,
    placeholder: String(CXONE_POLL_DEADLINE_MINUTES),
    help: 'A job still running then can be fetched later from "Jobs on this tenant" (CXone keeps it 24 hours).',
  },
  {
    key: 'accessKeySecret',
    label: 'Access key secret',
    kind: 'secret',
    required: true,
    help: 'Shown once when the key is created in CXone.',
  },
]);

const queryFields = fieldList([
  {
    key: 'entityName',
    label: 'Entity',
    kind: 'select',
    required: true,
    freeText: true,
    options: CXONE_ENTITIES.map((e) => ({ value: e.entityName, label: e.entityName })),
  },
  {
    key: 'version',
    label: 'Version',
    kind: 'select',
    required: true,
    freeText: true,
    options: [],
    // The versions seen in use for the chosen entity (no vendor call); any other may be typed in.
    lookup: { name: 'versions', dependsOn: ['entityName'] },
  },
  {
    key: 'period',
    label: 'Days',
    kind: 'date-range',
    required: true,
    help: 'Whole UTC days, as CXone extracts them.',
    dateRange: {
      precision: 'day',
      wire: 'utc-day',
      vendor: 'CXone',
      from: 'startDate',
      to: 'endDate',
      period: 'period',
      periods: RELATIVE_PERIODS,
      periodsResolvedBy: 'app',
      endIncluded: true,
      endExcludedWhen: { key: 'endDateMeaning', value: 'exclusive' },
    },
  },
  {
    key: 'endDateMeaning',
    label: 'This tenant reads endDate as',
    help: 'How CXone reads the end day sent; the days above show what it extracts when read this way.',
    kind: 'select',
    options: [
      { value: 'inclusive', label: 'the last day extracted (default)' },
      { value: 'exclusive', label: 'the first day not extracted' },
    ],
  },
]);

export const cxoneProvider = {
  id: 'cxone',
  name: 'NICE CXone',
  vendor: 'NICE CXone Data Extraction',
  summary: 'Extraction jobs (QM workflows, interaction metadata) as CSV, one call per 30 seconds per tenant.',
  connectionSchema: CxoneConnectionSchema,
  connectionFields,
  secretFields: ['accessKeySecret'],
  requiredSecrets: ['accessKeySecret'],
  querySchema: CxoneQuerySchema,
  queryFields,
  defaultQuery: { entityName: 'qm-workflows', version: '3', period: 'last-7-days' },
  presets: [],
  capabilities: { tenantJobs: true, queryEditor: 'fields', totals: false },
  address: { field: 'apiBaseUrl', regions: CXONE_REGIONS, alsoSet: ['authBaseUrl'] },
  pagesAre: 'files',
  externalHosts: ['developer.niceincontact.com', 'help.nice-incontact.com'],
  estimate: estimateJobs,
} satisfies ProviderDefinition<typeof CxoneConnectionSchema, typeof CxoneQuerySchema>;

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The jobs a range becomes and the least time the tenant's call limit allows (none for a job id). */
function estimateJobs(query: Record<string, unknown>): string | undefined {
  if (query.remoteJobId !== undefined) return undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  if (query.period === 'since-last-run')
    return `The whole UTC days since the last run, up to yesterday → one CXone job per ${CXONE_MAX_DAYS_PER_JOB} days, at least a minute each: CXone takes one call per ${CXONE_CALL_SPACING_MS / 1000} seconds on a tenant, and each job needs at least two.`;
  const days = typeof query.period === 'string' ? periodDays(query.period as RelativeDate) : undefined;
  const meaning = query.endDateMeaning === 'exclusive' ? 'exclusive' : 'inclusive';
  const e = cxoneEstimate(
    days ?? { startDate: str(query.startDate), endDate: str(query.endDate), endDateMeaning: meaning },
    CXONE_MAX_DAYS_PER_JOB,
  );
  if (!e) return undefined;
  const minutes = Math.ceil(e.minMs / 60_000);
  return `${plural(e.days, 'day')} → ${plural(e.jobs, 'CXone job')}, about ${plural(minutes, 'minute')}: CXone takes one call per ${CXONE_CALL_SPACING_MS / 1000} seconds on a tenant, and each job needs at least two.`;
}

/** The days a period stands for if the export started now (the window's estimate; the run works them out again). */
function periodDays(period: RelativeDate): { startDate: string; endDate: string } | undefined {
  return RELATIVE_DATES.includes(period) ? resolveRelativeDays(period, Date.now()) : undefined;
}
