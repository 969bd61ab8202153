/** Reads the results document into the spool and pulls out what it says about the report as a whole. */
import type { Readable } from 'node:stream';
import type { ResultInfo } from '../../../shared/jobs.ts';
import type { Row } from '../../../shared/records.ts';
import { ExportError } from '../../jobs/errors.ts';
import type { RunContext } from '../../jobs/provider.ts';
import { VENDOR } from './endpoints.ts';
import { readJsonRows } from './json-rows.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;

/** The results, or the envelope's `data` when a server wraps them as it wraps its other answers. */
function resultRoot(doc: unknown): Obj {
  const top = obj(doc) ?? {};
  const inner = obj(top.data);
  return inner && ('request' in inner || 'rowLimit' in inner || 'summary' in inner) ? inner : top;
}

export function displayFields(doc: unknown): string[] {
  const fields = obj(resultRoot(doc).request)?.displayFields;
  if (!Array.isArray(fields)) return [];
  return fields
    .map((f) => (typeof f === 'string' ? f : obj(f)?.fieldName))
    .filter((f): f is string => typeof f === 'string' && f !== '');
}

type Fact = string | number | boolean | null;
const isFact = (e: readonly [string, unknown]): e is readonly [string, Fact] =>
  e[1] === null || ['string', 'number', 'boolean'].includes(typeof e[1]);

/** The entries of `o` that are plain facts (a bigint as its digits); anything else is left out. */
const factsOf = (o: Obj): Record<string, Fact> =>
  Object.fromEntries(
    Object.entries(o)
      .map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v] as const)
      .filter(isFact),
  );

export function resultFacts(doc: unknown): {
  info: ResultInfo;
  rowLimitExceeded: boolean;
  rowLimit?: number;
} {
  const root = resultRoot(doc);
  const request = obj(root.request) ?? {};
  const rowLimitRaw = root.rowLimit ?? request.rowLimit;
  const rowLimit = typeof rowLimitRaw === 'number' ? rowLimitRaw : undefined;
  const facts = factsOf({
    timeZoneAbbreviation: obj(request.metadata)?.timeZoneAbbreviation,
    rowLimit,
    rowLimitExceeded: root.rowLimitExceeded,
    totalCount: root.totalCount,
    reportTemplateName: request.reportTemplateName,
    statusMessage: root.statusMessage,
  });
  const summary = (Array.isArray(root.summary) ? root.summary : [])
    .slice(0, 1000)
    .map((s) => factsOf(obj(s) ?? {}));
  const metadata = obj(request.metadata) ?? {};
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const subject = text(request.reportTemplateName)?.slice(0, 200);
  const from = text(metadata.timezoneDateFrom)?.slice(0, 40);
  const to = text(metadata.timezoneDateTo)?.slice(0, 40);
  return {
    info: {
      ...(typeof request.timeZoneId === 'string' ? { timeZoneId: request.timeZoneId } : {}),
      ...(subject ? { subject } : {}),
      ...(from && to ? { period: { from, to } } : {}),
      ...(summary.length ? { summary } : {}),
      facts,
    },
    rowLimitExceeded: root.rowLimitExceeded === true,
    rowLimit,
  };
}

/** Streams the rows into `append`; `columns` is told the display order as soon as it is known. */
export async function readResults(
  body: Readable,
  sink: { append(rows: Row[]): Promise<void>; columns(names: readonly string[]): void },
  signal: AbortSignal,
): Promise<{ rows: number; facts: ReturnType<typeof resultFacts> }> {
  const { rest, rows } = await readJsonRows(body, {
    rowPaths: [['data'], ['data', 'data']],
    onRowsStart: (head) => {
      const fields = displayFields(head);
      if (fields.length) sink.columns(fields);
    },
    onRows: (batch) => sink.append(batch),
    signal,
  });
  // A server may send `request` after the rows; the display order still wins.
  const fields = displayFields(rest);
  if (fields.length) sink.columns(fields);
  return { rows, facts: resultFacts(rest) };
}

/** The step a results body that could not be read fails at. */
export const RESULTS_STEP = 'reading the results';

/**
 * The results body of a finished report into the export's spool: rows as they stream in, the display
 * order, the facts about the result, and a warning when the vendor's row limit cut the report.
 */
export async function spoolResults(
  body: Readable,
  ctx: Pick<
    RunContext<unknown, unknown>,
    'append' | 'columns' | 'progress' | 'setResultInfo' | 'warn' | 'signal'
  >,
): Promise<void> {
  const { rows, facts } = await readResults(body, ctx, ctx.signal).catch((e: unknown) => {
    if (ctx.signal.aborted || e instanceof ExportError) throw e;
    throw new ExportError({
      vendor: VENDOR,
      step: RESULTS_STEP,
      message: `The results could not be read: ${(e as Error).message}.`,
      hint: 'Retry the export; if it fails again, report it to Xarios support.',
      cause: e,
    });
  });
  ctx.progress({ pages: 1, expectedRows: rows });
  ctx.setResultInfo(facts.info);
  if (facts.rowLimitExceeded)
    ctx.warn(
      `The report was cut at ${facts.rowLimit?.toLocaleString('en-US') ?? 'its row limit'} rows (the vendor's row limit): narrow the dates and export the rest separately.`,
    );
}
