/**
 * A job's file goes from its link straight into the export's spool, checked as it streams
 * (RunContext.appendCsv). A download cut off part-way leaves nothing behind: the spool is put back as it
 * was before the file, the part is fetched again through a fresh link, and no row is added twice.
 */
import type { Readable } from 'node:stream';
import type { RunContext } from '../../jobs/provider.ts';

/**
 * The file's rows and header once it is in the spool, or 'cut' when the download broke off. A malformed
 * file (CsvScanError), a full disk or a cancel reject as they are.
 */
export async function spoolDownload(
  body: Readable,
  target: Pick<RunContext<unknown, unknown>, 'appendCsv' | 'signal' | 'logger'>,
): Promise<{ rows: number; columns: string[] } | 'cut'> {
  let broke: unknown;
  const onError = (e: unknown): void => {
    broke ??= e;
  };
  body.on('error', onError);
  try {
    return await target.appendCsv(body);
  } catch (e) {
    const cut = broke !== undefined || (e as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE';
    if (target.signal.aborted || !cut) throw e;
    target.logger.warn('the file download broke off', { error: String(broke ?? e) });
    return 'cut';
  } finally {
    body.off('error', onError);
    body.destroy();
  }
}
