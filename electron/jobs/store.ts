import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { JobRecordSchema, type JobRecord } from '../../shared/jobs.ts';
import { writeFileAtomic } from '../base/atomic-file.ts';
import { stopProfiling } from '../export/csv-profile.ts';

interface QueuedWrite {
  text: string;
  done: Promise<void>;
}

/**
 * One folder per export under `<data>/jobs/<id>/`: `job.json` (the record, written atomically) and
 * `spool/` (the rows). Writes of one job are serialized so a slow disk never reorders them.
 */
export class JobStore {
  private readonly writes = new Map<string, Promise<void>>();
  private readonly queued = new Map<string, QueuedWrite>();

  constructor(readonly dir: string) {}

  newId(): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    return `${stamp}-${randomUUID().slice(0, 8)}`;
  }

  jobDir(id: string): string {
    if (!/^[A-Za-z0-9-]+$/.test(id)) throw new Error(`Not a job id: ${id}`);
    return path.join(this.dir, id);
  }

  spoolDir(id: string): string {
    return path.join(this.jobDir(id), 'spool');
  }

  /** Temporary files of a running export (a download staged on disk); emptied before and after a run. */
  workDir(id: string): string {
    return path.join(this.jobDir(id), 'work');
  }

  /** Removes a job's temporary files: what a run ended or a dead process left in its work folder. */
  async clearWork(id: string): Promise<void> {
    await fs.rm(this.workDir(id), { recursive: true, force: true });
  }

  /**
   * Writes the record after the job's earlier writes. While one write runs, later saves share a single
   * queued write carrying the newest record: a job that changes on every page costs at most one write
   * behind another, never a backlog of stale ones.
   */
  save(record: JobRecord): Promise<void> {
    const text = `${JSON.stringify(record, null, 2)}\n`;
    const waiting = this.queued.get(record.id);
    if (waiting) {
      waiting.text = text;
      return waiting.done;
    }
    const file = path.join(this.jobDir(record.id), 'job.json');
    const previous = this.writes.get(record.id) ?? Promise.resolve();
    const entry: QueuedWrite = { text, done: Promise.resolve() };
    entry.done = previous
      .catch(() => undefined)
      .then(async () => {
        // From here on the text is taken: a newer save queues behind this write.
        if (this.queued.get(record.id) === entry) this.queued.delete(record.id);
        await fs.mkdir(path.dirname(file), { recursive: true });
        await writeFileAtomic(file, entry.text);
      });
    this.queued.set(record.id, entry);
    this.writes.set(record.id, entry.done);
    return entry.done;
  }

  async load(id: string): Promise<JobRecord | undefined> {
    try {
      const text = await fs.readFile(path.join(this.jobDir(id), 'job.json'), 'utf8');
      return JobRecordSchema.parse(JSON.parse(text));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Every readable job, newest first. A damaged record is skipped, never fatal. */
  async list(): Promise<JobRecord[]> {
    const names = await fs.readdir(this.dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [];
      throw e;
    });
    // A name that is not a job id (a stray file) fails to load like a damaged record.
    const records = await Promise.all(names.map((n) => this.load(n).catch(() => undefined)));
    return records
      .filter((r): r is JobRecord => r !== undefined)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async remove(id: string): Promise<boolean> {
    await this.writes.get(id)?.catch(() => undefined);
    this.writes.delete(id);
    const dir = this.jobDir(id);
    const exists = await fs.access(dir).then(
      () => true,
      () => false,
    );
    // A CSV export's profile may still be in the making: it stops before its folder goes.
    await stopProfiling(this.spoolDir(id));
    if (exists) await fs.rm(dir, { recursive: true, force: true });
    return exists;
  }
}
