/**
 * Measurement 4's body: the results document of a finished Xarios report with `rows` rows, as the vendor's
 * reference describes it (the request with its display fields, then the rows in `data`, sparse: a field
 * without a value is left out, `docId` comes along although it is not a display field, then the summary),
 * written to disk by the myreports simulator's own writer.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { buildReports, CALL_FIELDS, writeResultsDocument } from '../simulators/myreports/reports.ts';

/** The columns of the CSV: the report's display fields in order, then the extra `docId`. */
export const CSV_COLUMNS: readonly string[] = [...CALL_FIELDS, 'docId'];

/** Writes the results document of the simulator's "Call list by user" report, cut to `rows` rows. */
export async function writeResultsBody(file: string, rows: number): Promise<void> {
  const report = buildReports({ callRows: rows, largeRows: 0, cappedLimit: 1 })[0];
  if (!report || report.rowLimit < rows) throw new Error(`the simulator's report cannot hold ${rows} rows`);
  const out = createWriteStream(file);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const request = {
    requestId: '00000000-0000-0000-0000-000000000005',
    tenantId: '00000000-0000-0000-0000-000000000000',
    report,
    createdAt: Date.UTC(2025, 8, 22, 15, 27, 40),
    dateFilter: { presetName: 'ThisYear' },
    timeZoneId: 'Europe/London',
    times: { startMs: Date.UTC(2025, 0, 1), endMs: Date.UTC(2025, 8, 22, 16, 27, 40), stepMs: 37_000 },
    conditions: [],
    found: report.rows,
  };
  await writeResultsDocument(
    {
      write,
      end: async (text) => {
        await write(text);
        out.end();
        await once(out, 'finish');
      },
      closed: () => false,
    },
    request,
    {},
  );
}
