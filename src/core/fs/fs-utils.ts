import { dirname, join } from 'node:path';
import { FsError, type FileSystem } from './file-system';

/** Creates a directory if missing and makes its entry durable in the parent. */
export async function ensureDir(fs: FileSystem, path: string): Promise<void> {
  const st = await fs.stat(path);
  if (st?.kind === 'directory') return;
  if (st !== undefined) throw new FsError('NotDirectory', path);
  try {
    await fs.mkdir(path);
  } catch (e) {
    // another caller made it between the stat and the mkdir (two runs created at once): it is there
    if (e instanceof FsError && e.code === 'Exists' && (await fs.stat(path))?.kind === 'directory') return;
    throw e;
  }
  await fs.syncDir(dirname(path));
}

/**
 * Deletes a directory tree bottom-up. Not atomic: callers first rename the tree out of sight.
 * A symbolic link is unlinked, never descended: a link to a folder outside the project must not
 * cost the user that folder's files.
 */
export async function removeTree(fs: FileSystem, path: string): Promise<void> {
  const st = await fs.lstat(path);
  if (st === undefined) return;
  if (st.kind !== 'directory') {
    await fs.unlink(path);
    return;
  }
  for (const name of await fs.readdir(path)) await removeTree(fs, join(path, name));
  await fs.rmdir(path);
}

/** Reads a whole file, or `undefined` if it does not exist. */
export async function readFileIfExists(fs: FileSystem, path: string): Promise<Uint8Array | undefined> {
  try {
    return await fs.readFile(path);
  } catch (e) {
    if (e instanceof FsError && e.code === 'NotFound') return undefined;
    throw e;
  }
}

/** Reads `length` bytes at `position` (fewer at end of file). */
export async function readRange(fs: FileSystem, path: string, position: number, length: number): Promise<Uint8Array> {
  const handle = await fs.openRead(path);
  try {
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = await handle.read(buf.subarray(got), position + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    await handle.close();
  }
}
