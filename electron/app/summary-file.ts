/**
 * The vendor's report totals as a file of their own: the same CSV / JSON writers as the rows, so the
 * options (formula guard, quoting) are the same. Small by construction (at most 1000 rows).
 */
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { suggestFileName } from '../../shared/filenames.ts';
import type { JobRecord } from '../../shared/jobs.ts';
import { OutputOptionsSchema } from '../../shared/output.ts';
import type { Row } from '../../shared/records.ts';
import { rowsToOutput } from '../export/writers.ts';
import { UserError } from '../base/user-error.ts';

export type SummaryFormat = 'csv' | 'json';

export async function summaryFile(
  job: JobRecord,
  format: SummaryFormat,
): Promise<{ fileName: string; text: string }> {
  const summary = job.resultInfo?.summary;
  if (!summary?.length) throw new UserError('This export has no report totals to save.');
  const columns = [...new Set(summary.flatMap((r) => Object.keys(r)))];
  const sink = new PassThrough();
  const written = buffer(sink);
  async function* rows(): AsyncIterable<Row> {
    yield* summary as Row[];
  }
  await rowsToOutput(rows(), columns, OutputOptionsSchema.parse({ format }), sink);
  sink.end();
  const fileName = suggestFileName(job, format).replace(/(\.[a-z]+)$/, `-totals$1`);
  return { fileName, text: (await written).toString('utf8') };
}
