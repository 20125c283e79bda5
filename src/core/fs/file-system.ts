/**
 * The small file-system interface the project store and the importers sit on. Two
 * implementations: `NodeFileSystem` (the real disk) and `MemoryFileSystem` (tests: crash after
 * N operations, torn writes, lost unsynced data, flipped bits). Paths are absolute strings.
 */
import { basename } from 'node:path';
import { AppError } from '../../shared/errors';

export type FsErrorCode = 'NotFound' | 'Exists' | 'NotDirectory' | 'IsDirectory' | 'NotEmpty' | 'DiskFull' | 'Crashed' | 'Io';

const SENTENCES: Record<FsErrorCode, string> = {
  NotFound: 'The file or folder does not exist.',
  Exists: 'A file or folder with that name already exists.',
  NotDirectory: 'A folder was expected but a file was found.',
  IsDirectory: 'A file was expected but a folder was found.',
  NotEmpty: 'The folder is not empty.',
  DiskFull: 'The disk is full (or your disk quota is used up); free some space and try again.',
  Crashed: 'The storage stopped responding (simulated crash).',
  Io: 'The disk reported an error.',
};

/** "1.5 MB": how much a failed write wanted, for the sentence. */
function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

function sentence(code: FsErrorCode, path: string, bytes: number | undefined): string {
  if (code !== 'DiskFull' || bytes === undefined) return SENTENCES[code];
  return `The disk is full (or your disk quota is used up): ${sizeText(bytes)} could not be written to ${basename(path)}. Free some space and try again.`;
}

export class FsError extends AppError {
  declare readonly code: FsErrorCode;

  /** `bytes`: how much the failed write was writing, when a write failed (named in a DiskFull sentence). */
  constructor(code: FsErrorCode, path: string, cause?: unknown, bytes?: number) {
    super(code, sentence(code, path, bytes), bytes === undefined ? { path } : { path, bytes });
    this.name = 'FsError';
    if (cause !== undefined) this.cause = cause;
  }
}

export interface FileStat {
  /**
   * `symlink` only from `lstat`; `other` is anything that is neither a regular file nor a folder
   * (a FIFO, a device such as /dev/zero, a socket), which nothing in a project may read or hold.
   */
  kind: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
}

export interface ReadHandle {
  /** Reads up to `buffer.length` bytes at `position`; returns how many were read (0 at end). */
  read(buffer: Uint8Array, position: number): Promise<number>;
  close(): Promise<void>;
}

export interface WriteHandle {
  write(data: Uint8Array): Promise<void>;
  /** Makes the written bytes durable (fsync). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** `create` fails if the file exists, `truncate` creates or empties it, `append` creates or extends it. */
export type WriteMode = 'create' | 'truncate' | 'append';

export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  openRead(path: string): Promise<ReadHandle>;
  openWrite(path: string, mode: WriteMode): Promise<WriteHandle>;
  truncate(path: string, length: number): Promise<void>;
  /** `undefined` when nothing exists at `path`. Follows symbolic links. */
  stat(path: string): Promise<FileStat | undefined>;
  /** Like `stat`, but a symbolic link at `path` is reported as `symlink`, not followed. Deletes use it. */
  lstat(path: string): Promise<FileStat | undefined>;
  /** Entry names, sorted. */
  readdir(path: string): Promise<string[]>;
  /** Creates one directory; the parent must exist. */
  mkdir(path: string): Promise<void>;
  /** Replaces a file at `to`; a directory may only move to a name that does not exist. */
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Removes an empty directory. */
  rmdir(path: string): Promise<void>;
  /** Makes the directory's entries (creations, renames, removals) durable. */
  syncDir(path: string): Promise<void>;
}
