/** The contract's requests, each carried out by the part of the application it concerns. */
import { isTerminal } from '../../shared/jobs.ts';
import { runAgainLabel } from '../../shared/job-text.ts';
import { runningElsewhere } from '../base/liveness.ts';
import { UserError } from '../base/user-error.ts';
import type { Handlers } from './requests.ts';
import type { AppService } from './service.ts';
import { summaryFile } from './summary-file.ts';
import { testProxy } from './proxy-test.ts';
import { checkCaFile, keepCaFile } from './ca-file.ts';
import { scheduleHandlers } from './schedule-handlers.ts';

export function createHandlers(app: AppService): Handlers {
  return {
    'app.info': async () => app.info(),
    'settings.get': () => app.settings.get(),
    'settings.set': (patch) => app.setSettings(patch),
    'settings.testProxy': ({ proxyUrl }) => testProxy(proxyUrl),
    'settings.chooseCaFile': async () => {
      if (!app.hooks.chooseOpenPath)
        throw new UserError('This window cannot open a file dialog: choose the file with “Choose CA file…”.');
      const file = await app.hooks.chooseOpenPath('ca-file');
      if (file === undefined) return {};
      await checkCaFile(file);
      return { path: file };
    },
    'settings.keepCaFile': async ({ name, text }) => ({ path: await keepCaFile(app.paths.root, name, text) }),
    'storage.usage': () => app.pruner.usage(),
    'storage.prune': async () => {
      const { exports, bytes } = await app.pruner.prune();
      return { exports, bytes };
    },
    'connections.list': () => app.connections.list(),
    'connections.save': (input) => app.connections.save(input),
    'connections.remove': async ({ id }) => ({ removed: await app.connections.remove(id) }),
    'connections.setSecret': ({ id, field, value }) => app.connections.setSecret(id, field, value),
    'connections.deleteSecret': ({ id, field }) => app.connections.deleteSecret(id, field),
    'connections.test': ({ id }) => app.calls.test(id),
    'connections.testDraft': async ({ name, provider, settings, secrets }) => {
      // Settings the form would not save are said as a failed test, like any other reason it cannot work.
      let valid: Record<string, unknown>;
      try {
        valid = app.connections.validateSettings(provider, settings);
      } catch (e) {
        if (e instanceof UserError) return { ok: false, message: e.message };
        throw e;
      }
      const draft = {
        id: 'unsaved',
        name: name.trim() || 'New connection',
        provider,
        settings: valid,
        secrets: Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, v !== ''])),
        createdAt: '',
        updatedAt: '',
      };
      return app.calls.testDraft(draft, secrets);
    },
    'connections.lookup': async ({ id, name, params }) => ({
      items: await app.calls.lookup(id, name, params),
    }),
    'connections.signIn': ({ id }) => app.signIns.begin(id),
    'connections.signInResult': ({ id }) => app.signIns.result(id),
    'exports.start': ({ recipe }) => app.runner.start(recipe),
    'exports.cancel': ({ jobId }) => {
      app.runner.cancel(jobId);
      return app.runner.get(jobId);
    },
    'exports.retry': async ({ jobId }) => {
      const job = await app.runner.get(jobId);
      if (!isTerminal(job.state)) throw new UserError('This export is still running.');
      // Said in the window's words: the runner's own message names the command line's list command.
      const name = job.recipe.connection;
      if (!(await app.connections.find(name)))
        throw new UserError(
          `The connection “${name}” was deleted. Add it again under Connections (named “${name}”), then ${runAgainLabel(job.state)}.`,
        );
      return app.runner.start(job.recipe);
    },
    'jobs.list': () => app.jobs.list(),
    'jobs.get': ({ jobId }) => app.runner.get(jobId),
    'jobs.remove': async ({ jobId }) => {
      if (app.runner.isActive(jobId) || (await runningElsewhere(app.jobs.jobDir(jobId))))
        throw new UserError('Cancel the export before removing it.');
      app.runner.forget(jobId);
      app.views.drop(jobId);
      return { removed: await app.jobs.remove(jobId) };
    },
    'jobs.files': ({ jobId }) => app.saves.files(jobId),
    'jobs.setLayout': async ({ jobId, layout }) => {
      const job = await app.runner.get(jobId);
      // A running export's record is the runner's: the change goes through it, or its next write would drop it.
      if (!isTerminal(job.state) && app.runner.isActive(jobId)) return app.runner.update(jobId, { layout });
      const next = { ...job, layout, updatedAt: new Date().toISOString() };
      await app.jobs.save(next);
      app.runner.publish(next);
      return next;
    },
    'preview.page': ({ jobId, offset, limit, view }) => app.previewPage(jobId, offset, limit, view),
    'preview.profile': ({ jobId }) => app.profile(jobId),
    'exports.save': ({ jobId, output }) => app.saves.withDialog(jobId, output),
    'exports.prepareDownload': ({ jobId, output }) => app.saves.download(jobId, output),
    'exports.saveSummary': ({ jobId, format }) => app.saves.summaryWithDialog(jobId, format),
    'exports.summaryFile': async ({ jobId, format }) => summaryFile(await app.runner.get(jobId), format),
    'exports.reveal': ({ jobId, index }) => app.saves.reveal(jobId, index),
    'recipes.list': () => app.recipes.list(),
    'recipes.save': ({ recipe, fileName }) => app.recipes.save(recipe, fileName),
    'recipes.import': ({ file }) => app.recipes.import(file),
    'recipes.remove': ({ fileName }) => app.recipes.remove(fileName),
    ...scheduleHandlers(app),
  };
}
