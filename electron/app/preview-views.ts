/**
 * The preview's sorted or filtered view (electron/export/preview-view.ts), one at a time: built once per
 * (export, its row count, filter, sort) and kept, so scrolling pages through it cheaply; a request for
 * another view stops the build of the one before (the user typed on) and replaces it.
 */
import type { PreviewView } from '../../shared/api.ts';
import { UserError } from '../base/user-error.ts';
import { buildView, ViewTooLargeError, type BuiltView } from '../export/preview-view.ts';
import { SpoolReader } from '../export/spool-reader.ts';
import { EXPORT_HEAP_MB } from './heap.ts';

/**
 * Memory a view may hold while it is built (row numbers, sort keys, the order): as much as the process's
 * heap bound. The arrays live outside the JS heap, so they do not press on it, but they add to the
 * process's memory, and an export may be running beside the preview. Sorting 2,000,000 rows by a number
 * takes about 42 MB, by a text about 42 MB and its UTF-8 bytes (up to 256 a row).
 */
export const VIEW_BUDGET_BYTES = EXPORT_HEAP_MB * 1024 * 1024;

/** Said when a build was stopped because another view replaced it: the window drops the answer. */
export const VIEW_REPLACED = 'This view of the rows was replaced by a newer one.';

interface Entry {
  key: string;
  jobId: string;
  built: Promise<BuiltView>;
  stop: AbortController;
}

export class PreviewViews {
  #current: Entry | undefined;
  /** The view asked for last, noted as each request arrives, before anything is awaited. */
  #latest: { jobId: string; key: string } | undefined;

  constructor(private readonly budgetBytes = VIEW_BUDGET_BYTES) {}

  /**
   * Notes that a request for this view arrived, so that a request for an older view that is still being
   * answered (opening the spool takes a moment) does not replace it. Call it before awaiting anything.
   */
  asked(jobId: string, view: PreviewView): void {
    this.#latest = { jobId, key: viewKey(jobId, view) };
  }

  /**
   * The view of the spool in `dir` over its first `spoolRows` rows, built now or kept from before.
   * Rejects with a UserError when it would not fit in memory, or was replaced by a view asked for later
   * (before or while being built).
   */
  get(jobId: string, dir: string, spoolRows: number, view: PreviewView): Promise<BuiltView> {
    const asked = viewKey(jobId, view);
    if (this.#latest && this.#latest.key !== asked) return Promise.reject(new UserError(VIEW_REPLACED));
    const key = JSON.stringify([asked, spoolRows]);
    if (this.#current?.key === key) return this.#current.built;
    this.#current?.stop.abort();
    const stop = new AbortController();
    const entry: Entry = { key, jobId, stop, built: this.#build(dir, spoolRows, view, stop.signal) };
    this.#current = entry;
    // A failed build is not kept: asking again tries again.
    entry.built.catch(() => {
      if (this.#current === entry) this.#current = undefined;
    });
    return entry.built;
  }

  /** The export whose view is kept (or being built), if any. */
  get keptFor(): string | undefined {
    return this.#current?.jobId;
  }

  /** Forgets the view of this export (it was removed), stopping its build. */
  drop(jobId: string): void {
    if (this.#latest?.jobId === jobId) this.#latest = undefined;
    if (this.#current?.jobId !== jobId) return;
    this.#current.stop.abort();
    this.#current = undefined;
  }

  async #build(dir: string, spoolRows: number, view: PreviewView, signal: AbortSignal): Promise<BuiltView> {
    const reader = await SpoolReader.open(dir);
    try {
      return await buildView(reader, view, { spoolRows, budgetBytes: this.budgetBytes, signal });
    } catch (e) {
      if (signal.aborted) throw new UserError(VIEW_REPLACED);
      if (e instanceof ViewTooLargeError) {
        const mb = Math.ceil(this.budgetBytes / (1024 * 1024));
        throw new UserError(
          view.sort
            ? `Sorting ${spoolRows.toLocaleString('en-US')} rows by “${view.sort.column}” needs more than the ${mb} MB of memory set aside for the preview. Filter the rows first, or sort by a column with shorter values.`
            : `Filtering these ${spoolRows.toLocaleString('en-US')} rows needs more than the ${mb} MB of memory set aside for the preview.`,
        );
      }
      throw e;
    } finally {
      await reader.close();
    }
  }
}

function viewKey(jobId: string, view: PreviewView): string {
  return JSON.stringify([jobId, view.filter ?? null, view.sort ?? null]);
}
