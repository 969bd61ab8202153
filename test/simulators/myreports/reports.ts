/**
 * The simulator's workspaces and reports, and the results body: one unpaged JSON document, written in
 * chunks so a million rows never sit in the simulator's memory either. Rows are sparse like the vendor's:
 * null fields are left out and `docId` comes along although it is not a display field.
 */
import type http from 'node:http';
import { passes, withOffset, type Condition, type RowTimes } from './request.ts';

export const WORKSPACES = [
  { id: '00000000-0000-0000-0000-0000000000a1', name: 'Sales', default: true },
  { id: '00000000-0000-0000-0000-0000000000a2', name: 'Support', default: false },
] as const;

export const CALL_FIELDS = [
  'connId',
  'start',
  'userName',
  'userNum',
  'cli',
  'cliName',
  'hgNum',
  'callType',
  'callDir',
  'ans',
  'ref',
  'lost',
  'ring',
  'duration',
  'calledUserNum',
  'calledUserName',
  'callUserName',
  'callUserNum',
  'hgName',
] as const;

export const LARGE_FIELDS = ['connId', 'start', 'userName', 'callDir', 'ans', 'duration'] as const;

export interface SimReport {
  id: string;
  name: string;
  workspaceId: string;
  template: string;
  displayFields: readonly string[];
  /** Rows the report finds for any date range. */
  rows: number;
  /** The vendor's cap; rows beyond it are cut and `rowLimitExceeded` is set. */
  rowLimit: number;
}

export function buildReports(opts: {
  callRows: number;
  largeRows: number;
  cappedLimit: number;
}): SimReport[] {
  const [sales, support] = WORKSPACES;
  return [
    {
      id: '00000000-0000-0000-0000-000000000001',
      name: 'Call list by user',
      workspaceId: sales.id,
      template: 'CallListByUserSegmented',
      displayFields: CALL_FIELDS,
      rows: opts.callRows,
      rowLimit: 1_000_000,
    },
    {
      id: '00000000-0000-0000-0000-000000000002',
      name: 'Large call list',
      workspaceId: sales.id,
      template: 'CallList',
      displayFields: LARGE_FIELDS,
      rows: opts.largeRows,
      rowLimit: 1_000_000,
    },
    {
      id: '00000000-0000-0000-0000-000000000003',
      name: 'Capped call list',
      workspaceId: support.id,
      template: 'CallList',
      displayFields: CALL_FIELDS,
      rows: opts.cappedLimit * 2,
      rowLimit: opts.cappedLimit,
    },
  ];
}

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const pad = (n: number): string => String(n).padStart(2, '0');

/** Tenant-local time without an offset, as the vendor writes row timestamps. */
function localTime(times: RowTimes, i: number): string {
  const d = new Date(times.startMs + Math.floor((i * times.stepMs) / 1000) * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Row `i` of a report: deterministic, sparse, with an extra `docId` key. */
export function reportRow(report: SimReport, i: number, times: RowTimes): Record<string, unknown> {
  const all: Record<string, unknown> = {
    connId: uuid(i + 1),
    start: localTime(times, i),
    userName: `Test User ${(i % 9) + 1}`,
    userNum: String(101 + (i % 9)),
    cli: i % 5 === 4 ? undefined : `+1123456${String(7000 + (i % 3000)).padStart(4, '0')}`,
    cliName: i % 2 === 0 ? '' : undefined,
    hgNum: i % 3 === 2 ? undefined : '200',
    callType: (i % 2) + 1,
    callDir: (i % 3) + 1,
    ans: i % 4 === 0 ? undefined : 1,
    ref: i % 7 === 0 ? 1 : undefined,
    lost: i % 11 === 0 ? 1 : undefined,
    ring: (i % 13) + 0.5,
    duration: (i * 7) % 600,
    calledUserNum: i % 6 === 0 ? undefined : '07977502880',
    calledUserName: i % 2 === 1 ? undefined : 'Unknown',
    callUserName: i % 3 === 0 ? `Test User ${(i % 9) + 1}` : undefined,
    callUserNum: i % 3 === 0 ? String(101 + (i % 9)) : undefined,
    hgName: i % 3 === 2 ? undefined : 'Queue 200',
  };
  const row: Record<string, unknown> = {};
  for (const f of report.displayFields) if (all[f] !== undefined) row[f] = all[f];
  row.docId = uuid(1_000_000_000 + i);
  return row;
}

export interface ResultRequest {
  requestId: string;
  tenantId: string;
  report: SimReport;
  createdAt: number;
  dateFilter: Record<string, unknown>;
  timeZoneId: string;
  /** Where the date filter put the rows (tenant-local). */
  times: RowTimes;
  /** additionalConditions, checked. */
  conditions: Condition[];
  /** How many rows the request finds (countFound), before the row limit. */
  found: number;
}

/** The rows a request finds, in order, before the row limit cuts them. */
export function* foundRows(
  r: Pick<ResultRequest, 'report' | 'times' | 'conditions'>,
): Generator<Record<string, unknown>> {
  for (let k = 0; k < r.report.rows; k++) {
    const row = reportRow(r.report, k, r.times);
    if (r.conditions.length === 0 || passes(row, r.conditions)) yield row;
  }
}

export function countFound(r: Pick<ResultRequest, 'report' | 'times' | 'conditions'>): number {
  if (r.conditions.length === 0) return r.report.rows;
  let n = 0;
  for (const _ of foundRows(r)) n++;
  return n;
}

/** The rows the results carry: those found, up to the row limit (for tests). */
export function returnedRows(
  r: Pick<ResultRequest, 'report' | 'times' | 'conditions'>,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const row of foundRows(r)) {
    if (out.length >= r.report.rowLimit) break;
    out.push(row);
  }
  return out;
}

/** The results document's head: everything the vendor's example puts before `data`. */
function head(r: ResultRequest, returned: number, exceeded: boolean): Record<string, unknown> {
  return {
    requestId: r.requestId,
    tenantId: r.tenantId,
    request: {
      requestId: r.requestId,
      dateCreated: new Date(r.createdAt).toISOString(),
      tenantId: r.tenantId,
      reportId: r.report.id,
      reportTemplateName: r.report.template,
      filterConditions: [
        { fieldName: 'start', operator: '>=', values: [withOffset(r.times.startMs, r.timeZoneId)] },
        { fieldName: 'end', operator: '<', values: [withOffset(r.times.endMs, r.timeZoneId)] },
        ...r.conditions,
      ],
      sortFields: [{ fieldName: 'start', direction: 1 }],
      displayFields: r.report.displayFields.map((fieldName) => ({ fieldName, mandatory: false })),
      childDisplayFields: [],
      ignoreDisplayFields: false,
      metadata: {
        reportName: null,
        dateFilter: r.dateFilter,
        // The period the filter resolved to, in the tenant's time without an offset; the end its last second.
        timezoneDateFrom: new Date(r.times.startMs).toISOString().slice(0, 19),
        timezoneDateTo: new Date(Math.max(r.times.startMs, r.times.endMs - 1000)).toISOString().slice(0, 19),
        timeZoneAbbreviation: 'BST',
      },
      source: 'api.onboarding',
      pageSize: -1,
      batchSize: -1,
      rowLimit: r.report.rowLimit,
      timeZoneId: r.timeZoneId,
      countryCode: 'GB',
      locale: 'en-GB',
      maxRows: 0,
    },
    effort: 210.17,
    queryDuration: 2076,
    totalDuration: 2121,
    queryCount: 2053,
    rowLimitExceeded: exceeded,
    totalCount: returned,
  };
}

/** Where the results document goes, piece by piece: `write` waits for room, `end` takes the last piece. */
export interface ResultsSink {
  write(text: string): Promise<void>;
  end(text: string): Promise<void>;
  /** Stops the rows early (the client went away). */
  closed(): boolean;
}

/** Writes the results document to `sink`; `dataFirst` puts `request` after `data`. */
export async function writeResultsDocument(
  sink: ResultsSink,
  r: ResultRequest,
  opts: { dataFirst?: boolean },
): Promise<void> {
  const found = r.found;
  const returned = Math.min(found, r.report.rowLimit);
  const exceeded = found > r.report.rowLimit;
  const h = head(r, returned, exceeded);
  const headText = JSON.stringify(h).slice(1, -1);
  if (!opts.dataFirst) await sink.write(`{${headText},"data":[`);
  else await sink.write('{"data":[');
  const sums = { ans: 0, ref: 0, lost: 0, ring: 0, duration: 0 };
  const CHUNK = 500;
  const rows = foundRows(r);
  for (let i = 0; i < returned && !sink.closed(); i += CHUNK) {
    const parts: string[] = [];
    for (let k = i; k < Math.min(returned, i + CHUNK); k++) {
      const row = rows.next().value as Record<string, unknown>;
      for (const key of Object.keys(sums) as (keyof typeof sums)[])
        if (typeof row[key] === 'number') sums[key] += row[key];
      parts.push(JSON.stringify(row));
    }
    await sink.write((i === 0 ? '\n' : ',\n') + parts.join(',\n'));
  }
  const summary = [{ ...sums, ring: Math.round(sums.ring * 10) / 10 }];
  const tail = {
    summary,
    ...(opts.dataFirst ? h : {}),
    status: 1,
    statusMessage: 'Report processing complete',
    rowLimit: r.report.rowLimit,
  };
  await sink.end(`],${JSON.stringify(tail).slice(1)}`);
}

/** Streams the results document as the answer, waiting for the socket to drain. */
export async function writeResults(
  res: http.ServerResponse,
  r: ResultRequest,
  opts: { dataFirst?: boolean },
): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  await writeResultsDocument(
    {
      write: (text) =>
        res.write(text) ? Promise.resolve() : new Promise((resolve) => res.once('drain', resolve)),
      end: async (text) => void res.end(text),
      closed: () => res.destroyed,
    },
    r,
    opts,
  );
}

/** The summary the body carries, computed the same way (for tests). */
export function expectedSummary(
  r: Pick<ResultRequest, 'report' | 'times' | 'conditions'>,
): Record<string, number> {
  const sums = { ans: 0, ref: 0, lost: 0, ring: 0, duration: 0 };
  for (const row of returnedRows(r))
    for (const key of Object.keys(sums) as (keyof typeof sums)[])
      if (typeof row[key] === 'number') sums[key] += row[key];
  return { ...sums, ring: Math.round(sums.ring * 10) / 10 };
}
