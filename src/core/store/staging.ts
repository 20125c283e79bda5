/**
 * Multi-file objects (a run folder, a dataset folder) appear and disappear atomically: they are
 * built in a dot-named staging folder and renamed into place, and deleted by renaming them to a
 * dot-named trash folder first. Dot names are never valid ids, so listings never see either.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { FileStat, FileSystem } from '../fs/file-system';
import { removeTree } from '../fs/fs-utils';
import { StoreError } from './store-error';

export const STAGING_MARK = '.staging-';
export const TRASH_MARK = '.trash-';

export async function createStaging(fs: FileSystem, parent: string, id: string): Promise<string> {
  const path = join(parent, `${STAGING_MARK}${id}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(path);
  return path;
}

/** Makes the staged folder's entries durable, then renames it to `target` and syncs the parent. */
export async function commitStaging(fs: FileSystem, staging: string, target: string): Promise<void> {
  if ((await fs.stat(target)) !== undefined) throw new StoreError('Exists', { path: target });
  await fs.syncDir(staging);
  await fs.rename(staging, target);
  await fs.syncDir(dirname(target));
}

/** Best-effort cleanup after a failed build; leftovers are swept by `removeStrays`. */
export async function discardStaging(fs: FileSystem, staging: string): Promise<void> {
  try {
    await removeTree(fs, staging);
  } catch {
    // the original error matters more; a stray staging folder is invisible and swept later
  }
}

/** What `lstat` says of a run or dataset id that a delete may remove: a folder, or a link standing in for one. */
export function isDeletableFolder(st: FileStat | undefined): boolean {
  return st?.kind === 'directory' || st?.kind === 'symlink';
}

/**
 * Removes a folder atomically from the listing's point of view, then deletes its contents. When
 * `path` is a symbolic link the rename moves the link itself, and `removeTree` unlinks it.
 */
export async function removeAtomically(fs: FileSystem, path: string): Promise<void> {
  const trash = join(dirname(path), `${TRASH_MARK}${basename(path)}-${randomBytes(4).toString('hex')}`);
  await fs.rename(path, trash);
  await fs.syncDir(dirname(path));
  await removeTree(fs, trash);
}

export function isStrayName(name: string): boolean {
  return name.startsWith(STAGING_MARK) || name.startsWith(TRASH_MARK) || (name.startsWith('.') && name.includes('.tmp-'));
}
