import { z } from 'zod';
import type { DatePeriod } from '../date-range.ts';
import { fieldList, optionalUrl, regionField } from './fields.ts';
import type { ProviderDefinition } from './types.ts';

/** API hosts by region; the API lives under `/api/v1.0`. */
export const MYREPORTS_REGIONS = {
  au: { label: 'Australia (au)', host: 'https://api.au.myreports.cloud' },
  eu: { label: 'Europe (eu)', host: 'https://api.eu.myreports.cloud' },
  na: { label: 'North America (na)', host: 'https://api.na.myreports.cloud' },
  uk: { label: 'United Kingdom (uk)', host: 'https://api.uk.myreports.cloud' },
} as const;

export const MYREPORTS_DEFAULT_AUTHORITY = 'https://login.xarios.cloud';
/** The scopes of the vendor's sign-in example; `onboarding` may not be the right one for every tenant. */
export const MYREPORTS_DEFAULT_SCOPES = 'openid offline_access onboarding';

/**
 * How long an export waits for a report to finish. The docs give no run time, only a cap of 1 000 000
 * rows per report; their example took 2.1 s for 922 rows, which scales to about 40 minutes at the cap.
 * Twice that leaves room for the vendor's queue before giving up on a report that never finishes.
 */
export const MYREPORTS_DEFAULT_POLL_DEADLINE_MINUTES = 90;

/** The date presets the vendor's report requests take (`dateFilter.presetName`). */
export const MYREPORTS_DATE_PRESETS = [
  'Today',
  'Yesterday',
  'ThisWeek',
  'LastWeek',
  'ThisMonth',
  'LastMonth',
  'ThisQuarter',
  'LastQuarter',
  'ThisYear',
  'LastYear',
] as const;

/** The presets as a person reads them; the query keeps the vendor's name ("LastMonth"). */
export const MYREPORTS_DATE_PERIODS: readonly DatePeriod[] = MYREPORTS_DATE_PRESETS.map((value) => ({
  value,
  label: value.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').replace(/(?<= )[A-Z]/g, (c) => c.toLowerCase()),
}));

/** A fixed start or end carries an offset, as the vendor's examples do (the window writes the user's). */
const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Either a vendor preset or a fixed start and end; the vendor's body takes exactly one of the two forms. */
export const MyreportsDateFilterSchema = z
  .object({
    presetName: z.string().trim().max(50).optional(),
    start: z.string().trim().max(40).optional(),
    end: z.string().trim().max(40).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const refuse = (path: string, message: string): void =>
      ctx.addIssue({ code: 'custom', message, path: [path] });
    const fixed = !!d.start || !!d.end;
    if (d.presetName && fixed)
      return refuse('presetName', 'Give either a date preset or a fixed start and end, not both');
    if (!d.presetName && !fixed)
      return refuse('presetName', 'Choose a date preset such as This month, or give a fixed start and end');
    if (d.presetName) return;
    const valid = (v: string | undefined): v is string =>
      OFFSET_TIME.test(v ?? '') && !Number.isNaN(Date.parse(v ?? ''));
    for (const which of ['start', 'end'] as const)
      if (!valid(d[which]))
        refuse(which, `Write the ${which} as a time with its offset, YYYY-MM-DDTHH:MM:SS+HH:MM`);
    if (valid(d.start) && valid(d.end) && Date.parse(d.start) >= Date.parse(d.end))
      refuse('end', 'The end must be after the start');
  })
  .transform((d) =>
    d.presetName ? { presetName: d.presetName } : { start: d.start ?? '', end: d.end ?? '' },
  );

const guid = (what: string) => z.string().trim().min(1, `Choose the ${what}`).max(100);

export const MyreportsQuerySchema = z
  .object({
    workspaceId: guid('workspace'),
    reportId: guid('report'),
    dateFilter: MyreportsDateFilterSchema,
    /** Without it, the report's default filter applies. */
    filterId: z.string().trim().max(100).optional(),
    /** The vendor's own conditions, added on top of the filter. */
    additionalConditions: z.array(z.record(z.string(), z.unknown())).max(100).optional(),
  })
  .strict();
export type MyreportsQuery = z.infer<typeof MyreportsQuerySchema>;

export const MyreportsConnectionSchema = z
  .object({
    region: z.enum(['au', 'eu', 'na', 'uk', 'custom']).default('na'),
    /** For region "custom" (or a proxy): the API base, e.g. https://api.na.myreports.cloud. */
    apiBaseUrl: optionalUrl.default(''),
    authority: z
      .url({ protocol: /^https?$/, message: 'Enter the sign-in address, e.g. https://login.xarios.cloud' })
      .default(MYREPORTS_DEFAULT_AUTHORITY),
    clientId: z.string().trim().min(1, 'Enter the client id (portal → REST API)').max(200),
    scopes: z
      .string()
      .trim()
      .min(1, 'Enter the scopes to ask for')
      .max(500)
      .default(MYREPORTS_DEFAULT_SCOPES),
    /** The sign-in redirect's loopback port (8000 is the vendor's for desktop clients); 0: any free one. */
    redirectPort: z.number().int().min(0).max(65_535).default(8000),
    pollDeadlineMinutes: z
      .number({ message: 'Enter how many minutes to wait for a report, e.g. 90' })
      .int('Enter whole minutes to wait for a report')
      .min(1, 'Wait at least 1 minute for a report')
      .max(10_080, 'Wait at most 10080 minutes (a week) for a report')
      .default(MYREPORTS_DEFAULT_POLL_DEADLINE_MINUTES),
  })
  .strict()
  .refine((c) => c.region !== 'custom' || c.apiBaseUrl !== '', {
    message: 'A custom region needs the API address',
    path: ['apiBaseUrl'],
  });
export type MyreportsConnection = z.infer<typeof MyreportsConnectionSchema>;

const connectionFields = fieldList([
  regionField(MYREPORTS_REGIONS, 'Custom address'),
  {
    key: 'apiBaseUrl',
    label: 'API address (custom)',
    kind: 'url',
    placeholder: 'https://api.na.myreports.cloud',
  },
  {
    key: 'authority',
    label: 'Sign-in address',
    kind: 'url',
    placeholder: MYREPORTS_DEFAULT_AUTHORITY,
  },
  { key: 'clientId', label: 'Client id', kind: 'text', required: true },
  {
    key: 'clientSecret',
    label: 'Client secret',
    kind: 'secret',
    required: true,
    help: 'Issued with the client id (portal → REST API, API Administrator role).',
  },
  {
    key: 'scopes',
    label: 'Scopes',
    kind: 'text',
    placeholder: MYREPORTS_DEFAULT_SCOPES,
  },
  {
    key: 'redirectPort',
    label: 'Sign-in redirect port',
    kind: 'number',
    min: 0,
    max: 65_535,
    help: 'The port of the redirect address registered for the client (http://127.0.0.1:8000 by default).',
  },
  {
    key: 'pollDeadlineMinutes',
    label: 'Stop waiting for a report after (minutes)',
    kind: 'number',
    min: 1,
    max: 10_080,
    placeholder: String(MYREPORTS_DEFAULT_POLL_DEADLINE_MINUTES),
    help: 'An export whose report has not finished by then fails, naming the status Xarios last sent.',
  },
]);

const queryFields = fieldList([
  {
    key: 'workspaceId',
    label: 'Workspace',
    kind: 'select',
    required: true,
    lookup: { name: 'workspaces' },
  },
  {
    key: 'reportId',
    label: 'Report',
    kind: 'select',
    required: true,
    lookup: { name: 'reports', dependsOn: ['workspaceId'] },
  },
  {
    key: 'dateFilter',
    label: 'Dates',
    kind: 'date-range',
    required: true,
    help: 'One of Xarios’s periods, or a fixed start and end.',
    dateRange: {
      precision: 'instant',
      wire: 'offset',
      vendor: 'Xarios',
      from: 'dateFilter.start',
      to: 'dateFilter.end',
      period: 'dateFilter.presetName',
      periods: MYREPORTS_DATE_PERIODS,
      periodsResolvedBy: 'vendor',
      // The vendor's example runs a month to the first moment of the next: the end is not part of it.
      endIncluded: false,
    },
  },
  {
    key: 'filterId',
    label: 'Filter id',
    kind: 'text',
    help: 'Empty: the report’s default.',
  },
  {
    key: 'additionalConditions',
    label: 'Additional conditions',
    kind: 'json',
    jsonArray: true,
    // After jsonArray, where it has always been listed (`exportdesk providers --json`).
    required: false,
    help: 'The vendor’s own conditions, added on top of the filter.',
    placeholder: '[{"fieldName": "callDir", "operator": "=", "values": ["2"]}]',
  },
]);

export const myreportsProvider = {
  id: 'myreports',
  name: 'Xarios reports',
  vendor: 'Xarios reporting API (myreports.cloud)',
  summary: 'Report requests signed in through the vendor’s login page; up to a million rows per report.',
  connectionSchema: MyreportsConnectionSchema,
  connectionFields,
  secretFields: ['clientSecret', 'refreshToken'],
  requiredSecrets: ['clientSecret'],
  querySchema: MyreportsQuerySchema,
  queryFields,
  defaultQuery: { workspaceId: '', reportId: '', dateFilter: { presetName: 'ThisMonth' } },
  presets: [],
  browserSignIn: { secret: 'refreshToken' },
  capabilities: { tenantJobs: false, queryEditor: 'fields', totals: true },
  address: { field: 'apiBaseUrl', regions: MYREPORTS_REGIONS },
  externalHosts: ['login.xarios.cloud', 'xarios.cloud', 'myreports.cloud'],
} satisfies ProviderDefinition<typeof MyreportsConnectionSchema, typeof MyreportsQuerySchema>;
