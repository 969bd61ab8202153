/**
 * What Export Desk knows of the extraction jobs it submitted. The vendor's job list carries only each
 * job's id and status, so the entity, version, days and submission time are noted here, one small file
 * per job in the data folder (shared by the window and the CLI), and shown beside the vendor's list.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CXONE_JOB_ID } from '../../../shared/providers/cxone.ts';
import { writeFileAtomic } from '../../base/atomic-file.ts';
import type { CxoneApi } from './api.ts';

/** What was submitted, the job's id, and when (`createdAt`: ms epoch, on the app's clock). */
export type LedgerEntry = Parameters<CxoneApi['submit']>[0] & { jobId: string; createdAt: number };

/** The vendor keeps a job's file 24 hours; a note is kept a week so the list can still name expired jobs. */
const KEEP_MS = 7 * 24 * 3_600_000;

const dirOf = (dataDir: string): string => join(dataDir, 'cxone-jobs');

/** Notes a submitted job; also drops notes older than a week. */
export async function rememberJob(dataDir: string, entry: LedgerEntry): Promise<void> {
  if (!CXONE_JOB_ID.test(entry.jobId)) return;
  const dir = dirOf(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(join(dir, `${entry.jobId}.json`), JSON.stringify(entry) + '\n');
  for (const name of await readdir(dir)) {
    const id = name.replace(/\.json$/, '');
    if (id === name || id === entry.jobId) continue;
    const old = await recallJob(dataDir, id);
    if (!old || entry.createdAt - old.createdAt > KEEP_MS)
      await unlink(join(dir, name)).catch(() => undefined);
  }
}

/** The note for a job id, or undefined (a job submitted elsewhere, or a note unreadable or gone). */
export async function recallJob(dataDir: string, jobId: string): Promise<LedgerEntry | undefined> {
  // The id came from the vendor: it names a file only when it cannot leave the folder.
  if (!CXONE_JOB_ID.test(jobId)) return undefined;
  try {
    const v = JSON.parse(
      await readFile(join(dirOf(dataDir), `${jobId}.json`), 'utf8'),
    ) as Partial<LedgerEntry>;
    const strings = [v.entityName, v.version, v.startDate, v.endDate].every((s) => typeof s === 'string');
    return strings && v.jobId === jobId && typeof v.createdAt === 'number' ? (v as LedgerEntry) : undefined;
  } catch {
    return undefined;
  }
}
