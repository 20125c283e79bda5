import { promises as fsp, constants, type Stats } from 'node:fs';
import { FsError, type FileStat, type FileSystem, type ReadHandle, type WriteHandle, type WriteMode } from './file-system';

const CODES: Record<string, FsError['code']> = {
  ENOENT: 'NotFound',
  EEXIST: 'Exists',
  ENOTDIR: 'NotDirectory',
  EISDIR: 'IsDirectory',
  ENOTEMPTY: 'NotEmpty',
  ENOSPC: 'DiskFull',
  EDQUOT: 'DiskFull',
};

/** Maps a node:fs error to an `FsError` by its errno code; `bytes` is what a failed write was writing. */
export function fsErrorFrom(path: string, e: unknown, bytes?: number): FsError {
  const errno = (e as NodeJS.ErrnoException | null)?.code;
  return new FsError((errno !== undefined && CODES[errno]) || 'Io', path, e, bytes);
}

const wrap = fsErrorFrom;

async function guard<T>(path: string, op: () => Promise<T>, bytes?: number): Promise<T> {
  try {
    return await op();
  } catch (e) {
    throw wrap(path, e, bytes);
  }
}

function kindOf(s: Stats): FileStat['kind'] {
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isDirectory()) return 'directory';
  return s.isFile() ? 'file' : 'other';
}

async function statWith(path: string, op: (path: string) => Promise<Stats>): Promise<FileStat | undefined> {
  try {
    const s = await op(path);
    return { kind: kindOf(s), size: s.size };
  } catch (e) {
    const err = wrap(path, e);
    if (err.code === 'NotFound' || err.code === 'NotDirectory') return undefined;
    throw err;
  }
}

const FLAGS: Record<WriteMode, number> = {
  create: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
  truncate: constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC,
  append: constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND,
};

/** The real disk, through node:fs/promises. */
export class NodeFileSystem implements FileSystem {
  readFile(path: string): Promise<Uint8Array> {
    return guard(path, async () => new Uint8Array(await fsp.readFile(path)));
  }

  openRead(path: string): Promise<ReadHandle> {
    return guard(path, async () => {
      const fh = await fsp.open(path, 'r');
      return {
        read: (buffer, position) => guard(path, async () => (await fh.read(buffer, 0, buffer.length, position)).bytesRead),
        close: () => guard(path, () => fh.close()),
      };
    });
  }

  openWrite(path: string, mode: WriteMode): Promise<WriteHandle> {
    return guard(path, async () => {
      const fh = await fsp.open(path, FLAGS[mode], 0o644);
      return {
        write: (data) =>
          guard(
            path,
            async () => {
              let done = 0;
              while (done < data.length) done += (await fh.write(data, done, data.length - done)).bytesWritten;
            },
            data.length,
          ),
        sync: () => guard(path, () => fh.sync()),
        close: () => guard(path, () => fh.close()),
      };
    });
  }

  truncate(path: string, length: number): Promise<void> {
    return guard(path, () => fsp.truncate(path, length));
  }

  stat(path: string): Promise<FileStat | undefined> {
    return statWith(path, fsp.stat);
  }

  lstat(path: string): Promise<FileStat | undefined> {
    return statWith(path, fsp.lstat);
  }

  readdir(path: string): Promise<string[]> {
    return guard(path, async () => (await fsp.readdir(path)).sort());
  }

  mkdir(path: string): Promise<void> {
    return guard(path, () => fsp.mkdir(path));
  }

  rename(from: string, to: string): Promise<void> {
    return guard(from, () => fsp.rename(from, to));
  }

  unlink(path: string): Promise<void> {
    return guard(path, () => fsp.unlink(path));
  }

  rmdir(path: string): Promise<void> {
    return guard(path, () => fsp.rmdir(path));
  }

  async syncDir(path: string): Promise<void> {
    // Windows cannot open a directory for fsync; NTFS journals metadata itself.
    if (process.platform === 'win32') return;
    await guard(path, async () => {
      const fh = await fsp.open(path, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    });
  }
}
