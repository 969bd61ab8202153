/** Saving a finished export: to a path (the CLI, the save dialog) or as a browser download, and its totals. */
import { exportSubject, suggestFileName } from '../../shared/filenames.ts';
import { stat } from 'node:fs/promises';
import type { JobRecord } from '../../shared/jobs.ts';
import { DATA_REMOVED } from '../../shared/job-text.ts';
import type { OutputOptions } from '../../shared/output.ts';
import { writeFileAtomic } from '../base/atomic-file.ts';
import { UserError } from '../base/user-error.ts';
import { beginSave } from '../export/save-journal.ts';
import { saveSpool } from '../export/save.ts';
import { SpoolReader } from '../export/spool.ts';
import { providerRuntime } from '../providers/index.ts';
import { outputMetadata } from './output-metadata.ts';
import type { AppService } from './service.ts';
import { summaryFile, type SummaryFormat } from './summary-file.ts';

const NEEDS_DESKTOP = 'Saving to a file needs the desktop app; use the download.';

export class Saves {
  constructor(private readonly app: Pick<AppService, 'jobs' | 'runner' | 'recipeState' | 'hooks'>) {}

  /** A finished export, or a UserError saying why it cannot be saved yet. */
  async finishedJob(id: string): Promise<JobRecord> {
    const job = await this.app.runner.get(id);
    if (job.state !== 'ready' && job.state !== 'saved')
      throw new UserError(`Only a finished export can be saved; this one is ${job.state}.`);
    if (job.dataRemovedAt) throw new UserError(`This export cannot be saved: ${DATA_REMOVED}`);
    return job;
  }

  /**
   * Notes a finished save (a file, or a browser download) on the job, tells the window, and moves the
   * recipe's `since-last-run` mark. Reads the record afresh so two saves in a row both stay listed.
   */
  async record(
    id: string,
    save: { path: string; format: OutputOptions['format']; rows: number; bytes?: number },
  ) {
    const { jobs, runner, recipeState } = this.app;
    const job = await runner.get(id);
    const now = new Date().toISOString();
    const next: JobRecord = {
      ...job,
      state: 'saved',
      saves: [...job.saves, { ...save, at: now }],
      updatedAt: now,
    };
    await jobs.save(next);
    runner.publish(next);
    const until = job.resolvedQuery
      ? providerRuntime(job.recipe.provider)?.rangeEnd?.(job.resolvedQuery)
      : undefined;
    if (until) await recipeState.recordRun(job.recipe, until, job.schedule);
    return next;
  }

  /** Saves a finished export to a path the user chose (CLI argument or the save dialog). */
  async saveTo(id: string, target: string, output: OutputOptions, signal?: AbortSignal) {
    const job = await this.finishedJob(id);
    const metadata = outputMetadata(job);
    const reader = await SpoolReader.open(this.app.jobs.spoolDir(id));
    const endSave = await beginSave(this.app.jobs.jobDir(id), target);
    try {
      const result = await saveSpool(reader, target, output, {
        ...(signal ? { signal } : {}),
        ...(metadata ? { metadata } : {}),
        sheetTitle: exportSubject(job),
      });
      await this.record(id, {
        path: result.path,
        format: output.format,
        rows: result.rows,
        bytes: result.bytes,
      });
      return result;
    } finally {
      await endSave();
      await reader.close();
    }
  }

  /** Desktop: asks where to save with the dialog the shell provides, then writes the file. */
  async withDialog(jobId: string, output: OutputOptions) {
    const job = await this.finishedJob(jobId);
    const hooks = this.app.hooks;
    if (!hooks.chooseSavePath) throw new UserError(NEEDS_DESKTOP);
    const target = await hooks.chooseSavePath(suggestFileName(job, output.format), output.format);
    if (!target) return { saved: false };
    const result = await this.saveTo(jobId, target, output);
    return { saved: true, path: result.path, rows: result.rows };
  }

  /** Browser mode: a one-time download link for the export in the chosen format. */
  async download(jobId: string, output: OutputOptions) {
    const job = await this.finishedJob(jobId);
    const hooks = this.app.hooks;
    if (!hooks.prepareDownload) throw new UserError('Downloads are only offered in browser mode.');
    const fileName = suggestFileName(job, output.format);
    return {
      ...hooks.prepareDownload(job.id, output, fileName, outputMetadata(job), exportSubject(job)),
      fileName,
    };
  }

  /** Desktop: the report's totals to a file chosen with the save dialog. */
  async summaryWithDialog(jobId: string, format: SummaryFormat) {
    const { fileName, text } = await summaryFile(await this.app.runner.get(jobId), format);
    const hooks = this.app.hooks;
    if (!hooks.chooseSavePath) throw new UserError(NEEDS_DESKTOP);
    const target = await hooks.chooseSavePath(fileName, format);
    if (!target) return { saved: false };
    await writeFileAtomic(target, text, { mode: 0o644 });
    return { saved: true, path: target };
  }

  /**
   * Desktop: shows a saved file of the export (by its place in the export's saves, default the last) in
   * the system file manager. Only a path recorded on the export is ever shown: the page never names one.
   */
  async reveal(jobId: string, index?: number) {
    const saves = (await this.app.runner.get(jobId)).saves;
    const save = index === undefined ? saves.at(-1) : saves[index];
    const hooks = this.app.hooks;
    if (!save || !hooks.revealInFolder) return { shown: false };
    hooks.revealInFolder(save.path);
    return { shown: true };
  }

  /** Every file saved from the export, with whether it is still where it was written. */
  async files(jobId: string) {
    const saves = (await this.app.runner.get(jobId)).saves;
    return Promise.all(
      saves.map(async (save, index) => ({
        index,
        ...save,
        exists: await stat(save.path).then(
          (s) => s.isFile(),
          () => false,
        ),
      })),
    );
  }
}
