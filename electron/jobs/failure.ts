/**
 * What a failed export tells the user: the provider's own ExportError as it is, a full data-folder disk or
 * a record nested too deep as what they are (nothing a retry changes), anything else with the vendor's
 * name and a generic hint.
 */
import { RecordTooDeepError } from '../export/record-depth.ts';
import { dataDiskError } from './disk-errors.ts';
import { ExportError } from './errors.ts';

export async function exportFailure(
  e: unknown,
  dataDir: string,
  vendor: string,
  step: string,
): Promise<{ err: ExportError; diskFull: boolean }> {
  const full = await dataDiskError(e, dataDir, vendor, step);
  if (full) return { err: full, diskFull: true };
  if (e instanceof RecordTooDeepError) {
    const hint = `Running it again will not help: narrow the query so it leaves that record out, and report the record to ${vendor}.`;
    return { err: new ExportError({ vendor, step, message: e.message, hint, cause: e }), diskFull: false };
  }
  if (e instanceof ExportError) return { err: e, diskFull: false };
  const message = e instanceof Error ? e.message : String(e);
  const hint = 'Retry the export; if it fails again, report the message above.';
  return { err: new ExportError({ vendor, step, message, hint, cause: e }), diskFull: false };
}
