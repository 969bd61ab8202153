import { z } from 'zod';
import { OutputOptionsSchema } from './output.ts';

/** Which state may follow which. `ready` means the rows are in the spool and can be saved (again). */
const transitions = {
  queued: ['authenticating', 'submitting', 'waiting', 'downloading', 'failed', 'cancelled'],
  authenticating: ['submitting', 'downloading', 'failed', 'cancelled'],
  submitting: ['waiting', 'downloading', 'failed', 'cancelled'],
  waiting: ['waiting', 'downloading', 'failed', 'cancelled'],
  downloading: ['ready', 'failed', 'cancelled', 'authenticating', 'waiting', 'submitting'],
  ready: ['saved'],
  saved: ['saved'],
  failed: [],
  cancelled: [],
} as const;
export type JobState = keyof typeof transitions;
export const JOB_TRANSITIONS: Record<JobState, readonly JobState[]> = transitions;
const JobStateSchema = z.enum(Object.keys(transitions) as [JobState, ...JobState[]]);

export const TERMINAL_STATES: readonly JobState[] = ['ready', 'saved', 'failed', 'cancelled'];
export const isTerminal = (s: JobState): boolean => TERMINAL_STATES.includes(s);

export const OutputTargetSchema = OutputOptionsSchema.extend({
  /** Where the CLI writes the file. The window never takes a path from a recipe: it asks with the save dialog. */
  path: z.string().min(1).max(4096).optional(),
});

/** A saved export: what to fetch and how to write it. Never holds a secret. */
export const RecipeSchema = z
  .object({
    version: z.literal(1),
    name: z.string().max(200).optional(),
    connection: z.string().min(1, 'Name the connection to use').max(200),
    provider: z.string().min(1).max(50),
    query: z.record(z.string(), z.unknown()),
    output: OutputTargetSchema.default(OutputTargetSchema.parse({})),
  })
  .strict();
export type Recipe = z.infer<typeof RecipeSchema>;

export const JobErrorSchema = z.object({
  message: z.string(),
  vendor: z.string(),
  step: z.string(),
  hint: z.string().optional(),
  status: z.number().optional(),
  /** The query field the error is about (a key of the provider's queryFields), shown next to it. */
  field: z.string().max(200).optional(),
});
export type JobError = z.infer<typeof JobErrorSchema>;

/**
 * Why a running export is held back, and by whose limit: the vendor's spacing of calls (`pace`, with when
 * the next call may go), another export or the command line ahead of it on the same tenant or key (`turn`),
 * or the vendor's limit on jobs running at once (`slots`). Set by the provider while it waits, cleared
 * once the call goes.
 */
export const JobWaitSchema = z.object({
  kind: z.enum(['pace', 'turn', 'slots']),
  /** The vendor's rule in a sentence: "CXone allows one call per 30 s per tenant". */
  rule: z.string().max(300),
  /** Who the limit is counted for: "tenant", "key", "account". */
  scope: z.string().max(50),
  /** When the next call may go (ISO time), for a `pace` wait's countdown. */
  nextAt: z.string().optional(),
});
export type JobWait = z.infer<typeof JobWaitSchema>;

const FactSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What the vendor said about the result as a whole, beside its rows (small: never the rows themselves). */
export const ResultInfoSchema = z.object({
  /** The time zone of timestamps that carry no offset (exported as the vendor sent them). */
  timeZoneId: z.string().max(100).optional(),
  /** The vendor's own totals (a report's summary rows). */
  summary: z.array(z.record(z.string(), FactSchema)).max(1000).optional(),
  /** Further facts: the row limit, whether it was reached, the vendor's count. */
  facts: z.record(z.string(), FactSchema).optional(),
  /** The vendor's own name for what was exported, where the query names it only by an id (a report). */
  subject: z.string().max(200).optional(),
  /** The period the vendor resolved the query's dates to (a preset), as the vendor wrote its ends. */
  period: z.object({ from: z.string().max(40), to: z.string().max(40) }).optional(),
});
export type ResultInfo = z.infer<typeof ResultInfoSchema>;

/** How the user arranged an export's preview: kept with the export, so reopening it shows the same. */
export const PreviewLayoutSchema = z
  .object({
    /** Every column, in the order shown. */
    order: z.array(z.string().max(500)).max(5000),
    hidden: z.array(z.string().max(500)).max(5000),
    /** Widths in pixels of the columns the user resized. */
    widths: z.record(z.string().max(500), z.number().min(20).max(5000)),
  })
  .strict();
export type PreviewLayout = z.infer<typeof PreviewLayoutSchema>;

export const JobRecordSchema = z.object({
  id: z.string(),
  recipe: RecipeSchema,
  /** The schedule that started this export, when one did (the Exports page says so). */
  schedule: z.string().max(200).optional(),
  /** The query after relative dates were resolved: what was actually asked of the vendor. */
  resolvedQuery: z.record(z.string(), z.unknown()).optional(),
  connectionId: z.string(),
  state: JobStateSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  remote: z
    .object({
      jobId: z.string().optional(),
      status: z.string().optional(),
      /** An export run as several remote jobs: each part's range and, once submitted, its job id. */
      parts: z.array(z.object({ from: z.string(), to: z.string(), jobId: z.string().optional() })).optional(),
    })
    .default({}),
  counters: z
    .object({
      pages: z.number().int().nonnegative(),
      rows: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      expectedRows: z.number().int().nonnegative().optional(),
      /** 'gte': the vendor only says "at least expectedRows". */
      expectedRelation: z.enum(['eq', 'gte']).optional(),
    })
    .default({ pages: 0, rows: 0, bytes: 0 }),
  nextPollAt: z.string().optional(),
  wait: JobWaitSchema.optional(),
  message: z.string().optional(),
  warnings: z.array(z.string()).default([]),
  resultInfo: ResultInfoSchema.optional(),
  error: JobErrorSchema.optional(),
  saves: z
    .array(
      z.object({
        path: z.string(),
        format: z.string(),
        rows: z.number(),
        /** The size of the file written (or sent as a download); absent on saves recorded before it was kept. */
        bytes: z.number().int().nonnegative().optional(),
        at: z.string(),
      }),
    )
    .default([]),
  layout: PreviewLayoutSchema.optional(),
  /** When the export's rows were removed to save space (the settings' bounds); its record stays in history. */
  dataRemovedAt: z.string().optional(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;
