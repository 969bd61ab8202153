import type { RequestName, Settings } from '../../shared/api.ts';
import { suggestFileName } from '../../shared/filenames.ts';
import type { Recipe } from '../../shared/jobs.ts';
import type { OutputOptions } from '../../shared/output.ts';
import { runningElsewhere } from '../base/liveness.ts';
import { writeFileAtomic } from '../base/atomic-file.ts';
import type { ConnectionStore } from './connections.ts';
import { outputMetadata } from './output-metadata.ts';
import { summaryFile, type SummaryFormat } from './summary-file.ts';
import type { AppService } from './service.ts';
import { UserError } from '../base/user-error.ts';

/** Desktop: asks where to save with the dialog the shell provides, then writes the file. */
async function saveWithDialog(app: AppService, jobId: string, output: OutputOptions) {
  const job = await app.finishedJob(jobId);
  if (!app.hooks.chooseSavePath)
    throw new UserError('Saving to a file needs the desktop app; use the download.');
  const target = await app.hooks.chooseSavePath(suggestFileName(job, output.format), output.format);
  if (!target) return { saved: false };
  const result = await app.saveJobTo(jobId, target, output);
  return { saved: true, path: result.path, rows: result.rows };
}

/** Browser mode: a one-time download link for the export in the chosen format. */
async function prepareDownload(app: AppService, jobId: string, output: OutputOptions) {
  const job = await app.finishedJob(jobId);
  if (!app.hooks.prepareDownload) throw new UserError('Downloads are only offered in browser mode.');
  const fileName = suggestFileName(job, output.format);
  return { ...app.hooks.prepareDownload(job.id, output, fileName, outputMetadata(job)), fileName };
}

/** Desktop: the report's totals to a file chosen with the save dialog. */
async function saveSummary(app: AppService, jobId: string, format: SummaryFormat) {
  const { fileName, text } = await summaryFile(await app.getJob(jobId), format);
  if (!app.hooks.chooseSavePath)
    throw new UserError('Saving to a file needs the desktop app; use the download.');
  const target = await app.hooks.chooseSavePath(fileName, format);
  if (!target) return { saved: false };
  await writeFileAtomic(target, text, { mode: 0o644 });
  return { saved: true, path: target };
}

async function reveal(app: AppService, jobId: string) {
  const last = (await app.getJob(jobId)).saves.at(-1);
  if (!last || !app.hooks.revealInFolder) return { shown: false };
  app.hooks.revealInFolder(last.path);
  return { shown: true };
}

async function removeJob(app: AppService, jobId: string) {
  if (app.runner.isActive(jobId) || (await runningElsewhere(app.jobs.jobDir(jobId))))
    throw new UserError('Cancel the export before removing it.');
  app.runner.forget(jobId);
  return { removed: await app.jobs.remove(jobId) };
}

/** Carries out one request of the contract; the input was validated against its schema by the caller. */
export async function dispatch(
  app: AppService,
  name: RequestName,
  i: Record<string, unknown>,
): Promise<unknown> {
  switch (name) {
    case 'app.info':
      return app.info();
    case 'settings.get':
      return app.settings.get();
    case 'settings.set':
      return app.setSettings(i as Partial<Settings>);
    case 'connections.list':
      return app.connections.list();
    case 'connections.save':
      return app.connections.save(i as Parameters<ConnectionStore['save']>[0]);
    case 'connections.remove':
      return { removed: await app.connections.remove(String(i.id)) };
    case 'connections.setSecret':
      return app.connections.setSecret(String(i.id), String(i.field), String(i.value));
    case 'connections.deleteSecret':
      return app.connections.deleteSecret(String(i.id), String(i.field));
    case 'connections.test':
      return app.testConnection(String(i.id));
    case 'connections.lookup':
      return { items: await app.lookup(String(i.id), String(i.name), i.params as Record<string, string>) };
    case 'connections.signIn':
      return app.signIns.begin(String(i.id));
    case 'connections.signInResult':
      return app.signIns.result(String(i.id));
    case 'exports.start':
      return app.startExport(i.recipe as Recipe);
    case 'exports.cancel':
      app.runner.cancel(String(i.jobId));
      return app.getJob(String(i.jobId));
    case 'exports.retry':
      return app.retry(String(i.jobId));
    case 'jobs.list':
      return app.jobs.list();
    case 'jobs.get':
      return app.getJob(String(i.jobId));
    case 'jobs.remove':
      return removeJob(app, String(i.jobId));
    case 'preview.page':
      return app.previewPage(String(i.jobId), Number(i.offset), Number(i.limit));
    case 'exports.save':
      return saveWithDialog(app, String(i.jobId), i.output as OutputOptions);
    case 'exports.prepareDownload':
      return prepareDownload(app, String(i.jobId), i.output as OutputOptions);
    case 'exports.saveSummary':
      return saveSummary(app, String(i.jobId), i.format as SummaryFormat);
    case 'exports.summaryFile':
      return summaryFile(await app.getJob(String(i.jobId)), i.format as SummaryFormat);
    case 'exports.reveal':
      return reveal(app, String(i.jobId));
  }
}
