/**
 * Files a user picks as a destination (an export, a saved chart) must never replace what a project
 * keeps: its project.json, its datasets, runs and sweeps, its lock. A save dialog or `--out` may
 * point anywhere, including inside an open project, so every such write asks here first.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import type { FileSystem } from '../fs/file-system';
import { DATASETS_DIR, PROJECT_FILE, RUNS_DIR } from './layout';
import { LOCK_DIR } from './project-lock';
import { StoreError } from './store-error';

/** The top-level entries of a project folder that RNN Lab owns; anything else there is the user's. */
const PROJECT_ENTRIES: ReadonlySet<string> = new Set([PROJECT_FILE, DATASETS_DIR, RUNS_DIR, 'sweeps', LOCK_DIR]);

/** The project folder whose data `path` would replace, or undefined when the path is free to write. */
export async function projectDataAt(fs: FileSystem, path: string): Promise<string | undefined> {
  const target = resolve(path);
  for (let dir = dirname(target); ; dir = dirname(dir)) {
    if ((await fs.stat(resolve(dir, PROJECT_FILE)))?.kind === 'file') {
      const first = relative(dir, target).split(sep)[0]!;
      return PROJECT_ENTRIES.has(first) ? dir : undefined; // the nearest project decides
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Refuses, before anything is written, when any of `paths` lies in a project's own data. */
export async function refuseProjectData(fs: FileSystem, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const projectDir = await projectDataAt(fs, path);
    if (projectDir !== undefined) {
      throw new StoreError('ProjectData', { path, projectDir });
    }
  }
}
