import { MemoryFileSystem } from '../../src/core/fs/memory-file-system';
import { createProject } from '../../src/core/store/project';

export const PROJECT = '/home/u/demo.rnnlab';

/** A memory file system holding one freshly created (durable) project. */
export async function memoryProject(): Promise<MemoryFileSystem> {
  const fs = new MemoryFileSystem();
  fs.seedDir('/home/u');
  await createProject(fs, PROJECT, 'Demo');
  return fs;
}

/** The error code a promise rejects with, or 'ok'. Non-coded errors fail the test. */
export async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
    return 'ok';
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') throw e;
    return code;
  }
}
