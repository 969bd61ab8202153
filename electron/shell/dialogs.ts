/** The desktop's answers to "where should this go?" and "show me the file". */
import path from 'node:path';
import { openExternalSafely } from './external-links.ts';
import { app as electronApp, dialog, shell } from 'electron';
import type { BrowserWindow, FileFilter, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { OutputFormat } from '../../shared/output.ts';
import type { OpenPurpose, TransportHooks } from '../app/requests.ts';

const ALL_FILES: FileFilter = { name: 'All files', extensions: ['*'] };

export const SAVE_FILTERS: Record<OutputFormat, FileFilter[]> = {
  csv: [{ name: 'CSV (comma-separated values)', extensions: ['csv'] }, ALL_FILES],
  json: [{ name: 'JSON', extensions: ['json'] }, ALL_FILES],
  ndjson: [{ name: 'NDJSON (one JSON object a line)', extensions: ['ndjson', 'jsonl'] }, ALL_FILES],
  xlsx: [{ name: 'Excel workbook', extensions: ['xlsx'] }, ALL_FILES],
  parquet: [{ name: 'Parquet', extensions: ['parquet'] }, ALL_FILES],
};

/** The open dialog for each thing a file is opened for. */
const OPEN_DIALOGS: Record<OpenPurpose, Pick<OpenDialogOptions, 'title' | 'buttonLabel' | 'filters'>> = {
  'ca-file': {
    title: 'Choose the CA certificate file',
    buttonLabel: 'Choose',
    filters: [{ name: 'PEM certificates', extensions: ['pem', 'crt', 'cer'] }, ALL_FILES],
  },
  recipe: {
    title: 'Import recipe',
    buttonLabel: 'Import',
    filters: [{ name: 'Recipe (JSON)', extensions: ['json'] }, ALL_FILES],
  },
};

/**
 * Sets the app's `chooseSavePath`, `chooseOpenPath`, `chooseFolder` and `revealInFolder` hooks. The save and open dialogs
 * are the only way a path reaches the app from the window: the page never names one.
 */
export function installDialogHooks(
  target: { hooks: TransportHooks },
  parentWindow: () => BrowserWindow | undefined,
): void {
  target.hooks.chooseSavePath = async (suggestedName, format) => {
    const options: SaveDialogOptions = {
      title: 'Save export',
      buttonLabel: 'Save',
      defaultPath: path.join(electronApp.getPath('downloads'), suggestedName),
      filters: SAVE_FILTERS[format],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const parent = parentWindow();
    const result =
      parent && !parent.isDestroyed()
        ? await dialog.showSaveDialog(parent, options)
        : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? undefined : result.filePath;
  };
  target.hooks.chooseOpenPath = async (purpose) => {
    const options: OpenDialogOptions = {
      ...OPEN_DIALOGS[purpose],
      defaultPath: electronApp.getPath(purpose === 'recipe' ? 'downloads' : 'documents'),
      properties: ['openFile'],
    };
    const parent = parentWindow();
    const result =
      parent && !parent.isDestroyed()
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options);
    return result.canceled ? undefined : result.filePaths[0];
  };
  target.hooks.chooseFolder = async () => {
    const options: OpenDialogOptions = {
      title: 'Choose the folder for this schedule’s files',
      buttonLabel: 'Choose',
      defaultPath: electronApp.getPath('documents'),
      properties: ['openDirectory', 'createDirectory'],
    };
    const parent = parentWindow();
    const result =
      parent && !parent.isDestroyed()
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options);
    return result.canceled ? undefined : result.filePaths[0];
  };
  target.hooks.revealInFolder = (file) => shell.showItemInFolder(file);
  // A vendor's sign-in page opens in the system browser, through the one safe-open helper.
  target.hooks.openSignInPage = (url) => openExternalSafely(url);
}
