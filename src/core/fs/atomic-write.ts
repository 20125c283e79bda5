/**
 * Never overwrite in place: write a temp file beside the target, fsync it, rename it over the
 * target, fsync the directory. A crash at any point leaves either the old file or the new one
 * (plus, at worst, a stray `.tmp-` file that readers ignore and `removeStrays` deletes).
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { FsError, type FileSystem } from './file-system';

export const TEMP_MARK = '.tmp-';

export function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}${TEMP_MARK}${randomBytes(6).toString('hex')}`);
}

export async function writeFileAtomic(fs: FileSystem, path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const temp = tempNameFor(path);
  const handle = await fs.openWrite(temp, 'create');
  try {
    try {
      await handle.write(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (e) {
    // a full disk must not also keep the half-written copy's bytes
    await removeQuietly(fs, temp);
    if (e instanceof FsError && e.code === 'DiskFull') throw new FsError('DiskFull', path, e, bytes.length); // name the file, not its temp
    throw e;
  }
  await fs.syncDir(dirname(path));
}

/** Writes a new file in a directory that is not yet visible (staging): create, write, fsync. */
export async function writeFileDurable(fs: FileSystem, path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const handle = await fs.openWrite(path, 'create');
  try {
    try {
      await handle.write(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (e) {
    await removeQuietly(fs, path); // 'create' made it, so it is ours to remove
    throw e;
  }
}

/** Best-effort cleanup after a failed write; the write's own error is the one worth reporting. */
async function removeQuietly(fs: FileSystem, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // gone already, or the disk is unusable: removeStrays sweeps temp names later
  }
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARK);
}
