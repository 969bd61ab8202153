/**
 * A schedule's folder as the user typed it (browser mode has no folder dialog): it must be an absolute
 * path to a folder that exists or can be made, and that Export Desk may write to. Said in words when not.
 */
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../base/user-error.ts';

/** Resolves with the folder, made if it was missing; '' (the default folder) is left to the store. */
export async function checkScheduleFolder(folder: string): Promise<string> {
  const typed = folder.trim();
  if (typed === '') return '';
  // eslint-disable-next-line no-control-regex -- the point is to find them
  if (/[\u0000-\u001f\u007f]/.test(typed))
    throw new UserError(
      'The folder cannot hold control characters (line breaks, tabs): type the path again.',
    );
  if (!path.isAbsolute(typed))
    throw new UserError(
      `The folder “${typed}” is not a full path: give one that starts at the top of the disk, such as ${path.resolve('/exports')}.`,
    );
  const dir = path.normalize(typed);
  const found = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    if (error.code === 'ENOTDIR')
      throw new UserError(
        `The folder “${dir}” cannot be made: part of its path is a file, not a folder. Choose another folder.`,
      );
    throw new UserError(`Export Desk cannot look at the folder “${dir}” (${error.code ?? error.message}).`);
  });
  if (found && !found.isDirectory())
    throw new UserError(`“${dir}” is a file, not a folder: choose a folder for the schedule's files.`);
  if (!found) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'an error';
      throw new UserError(
        `The folder “${dir}” does not exist and cannot be made (${code}): choose a folder you may write to.`,
      );
    }
  }
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new UserError(
      `Export Desk may not write to the folder “${dir}”: choose a folder you may write to.`,
    );
  }
  return dir;
}
