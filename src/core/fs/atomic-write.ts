/**
 * Never overwrite in place: write a temp file beside the target, fsync it, rename it over the
 * target, fsync the directory. A crash at any point leaves either the old file or the new one
 * (plus, at worst, a stray `.tmp-` file that readers ignore and `removeStrays` deletes).
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { FileSystem } from './file-system';

export const TEMP_MARK = '.tmp-';

export function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}${TEMP_MARK}${randomBytes(6).toString('hex')}`);
}

export async function writeFileAtomic(fs: FileSystem, path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const temp = tempNameFor(path);
  const handle = await fs.openWrite(temp, 'create');
  try {
    await handle.write(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, path);
  await fs.syncDir(dirname(path));
}

/** Writes a new file in a directory that is not yet visible (staging): create, write, fsync. */
export async function writeFileDurable(fs: FileSystem, path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const handle = await fs.openWrite(path, 'create');
  try {
    await handle.write(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARK);
}
