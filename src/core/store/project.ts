/**
 * Projects: a folder `<name>.rnnlab/` whose `project.json` marks it complete. Creation writes
 * project.json atomically, so a crash leaves either no project or a whole one; `datasets/` and
 * `runs/` are created on first use and a missing one reads as empty.
 */
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { Problem } from '../../shared/dto';
import { projectNameSchema } from '../../shared/dto';
import { FsError, type FileSystem } from '../fs/file-system';
import { removeTree } from '../fs/fs-utils';
import { isTempName } from '../fs/atomic-write';
import { listDatasets } from './datasets';
import { readJsonFile, writeJsonAtomic } from './json-file';
import { datasetsDir, projectFile, runsDir } from './layout';
import { listRuns } from './runs';
import { PROJECT_FORMAT_VERSION, projectFileSchema, type DatasetRecord, type ProjectFile, type RunRecord } from './schemas';
import { isStrayName, removeAtomically } from './staging';
import { StoreError } from './store-error';

export interface ProjectInfo extends ProjectFile {
  dir: string;
}

export interface OpenedProject {
  project: ProjectInfo;
  datasets: DatasetRecord[];
  runs: RunRecord[];
  /** Damaged datasets and runs, each skipped so the rest opens. */
  problems: Problem[];
}

export function validateName(name: string): string {
  const parsed = projectNameSchema.safeParse(name);
  if (!parsed.success) throw new StoreError('InvalidName', { name: name.slice(0, 100), reason: parsed.error.issues[0]?.message });
  return parsed.data;
}

function requireAbsolute(dir: string): void {
  if (!isAbsolute(dir)) throw new StoreError('RelativePath', { dir });
}

/** Creates `dir` (or uses it when it exists and is empty) and writes project.json. */
export async function createProject(fs: FileSystem, dir: string, name: string): Promise<ProjectInfo> {
  requireAbsolute(dir);
  const cleanName = validateName(name);
  const st = await fs.stat(dir);
  if (st?.kind === 'file') throw new StoreError('NotADirectory', { dir });
  if (st === undefined) {
    const parent = await fs.stat(dirname(dir));
    if (parent?.kind !== 'directory') throw new StoreError('ParentMissing', { dir: dirname(dir) });
    try {
      await fs.mkdir(dir);
    } catch (e) {
      if (e instanceof FsError && e.code === 'Exists') throw new StoreError('NotEmpty', { dir });
      throw e;
    }
    await fs.syncDir(dirname(dir));
  } else if ((await fs.readdir(dir)).length > 0) {
    throw new StoreError('NotEmpty', { dir });
  }
  const file: ProjectFile = { formatVersion: PROJECT_FORMAT_VERSION, name: cleanName, created: new Date().toISOString(), settings: {} };
  await writeJsonAtomic(fs, projectFile(dir), file);
  return { dir, ...file };
}

export async function readProjectInfo(fs: FileSystem, dir: string): Promise<ProjectInfo> {
  requireAbsolute(dir);
  const st = await fs.stat(dir);
  if (st === undefined) throw new StoreError('NotFound', { dir });
  if (st.kind !== 'directory') throw new StoreError('NotADirectory', { dir });
  const read = await readJsonFile(fs, projectFile(dir), projectFileSchema.pick({ formatVersion: true }).loose());
  if (!read.ok) throw new StoreError(read.reason === 'Missing' ? 'NotAProject' : 'CorruptProject', { dir, detail: read.detail });
  if (read.value.formatVersion > PROJECT_FORMAT_VERSION) throw new StoreError('UnsupportedVersion', { dir, formatVersion: read.value.formatVersion });
  const full = projectFileSchema.safeParse(read.value);
  if (!full.success) throw new StoreError('CorruptProject', { dir, detail: full.error.issues.map((i) => i.path.join('.')).join(', ') });
  return { dir, ...full.data };
}

/** Opens a project: its info, every readable dataset and run, and a problem for each damaged one. */
export async function openProject(fs: FileSystem, dir: string): Promise<OpenedProject> {
  const project = await readProjectInfo(fs, dir);
  const datasets = await listDatasets(fs, dir);
  const runs = await listRuns(fs, dir, { checkLogs: true });
  return { project, datasets: datasets.datasets, runs: runs.runs, problems: [...datasets.problems, ...runs.problems] };
}

/** Changes the display name in project.json; the folder keeps its name. */
export async function renameProject(fs: FileSystem, dir: string, name: string): Promise<ProjectInfo> {
  const info = await readProjectInfo(fs, dir);
  const next: ProjectFile = { formatVersion: info.formatVersion, name: validateName(name), created: info.created, settings: info.settings };
  await writeJsonAtomic(fs, projectFile(dir), next);
  return { dir, ...next };
}

export async function updateProjectSettings(fs: FileSystem, dir: string, settings: ProjectFile['settings']): Promise<ProjectInfo> {
  const info = await readProjectInfo(fs, dir);
  const checked = projectFileSchema.shape.settings.parse(settings);
  const next: ProjectFile = { formatVersion: info.formatVersion, name: info.name, created: info.created, settings: checked };
  await writeJsonAtomic(fs, projectFile(dir), next);
  return { dir, ...next };
}

/** Deletes a project folder; refuses folders that are not projects. */
export async function deleteProject(fs: FileSystem, dir: string): Promise<void> {
  await readProjectInfo(fs, dir).catch((e: unknown) => {
    if (e instanceof StoreError && (e.code === 'CorruptProject' || e.code === 'UnsupportedVersion')) return;
    throw e;
  });
  if (basename(dir) === '') throw new StoreError('OutsideProject', { dir });
  await removeAtomically(fs, dir);
}

/** Deletes what interrupted operations left behind: temp files, staging and trash folders. */
export async function removeStrays(fs: FileSystem, dir: string): Promise<string[]> {
  const removed: string[] = [];
  const sweep = async (folder: string, depth: number): Promise<void> => {
    // lstat: a linked folder (runs/<id>/checkpoints -> elsewhere) is not the project's to sweep
    const st = await fs.lstat(folder);
    if (st?.kind !== 'directory') return;
    for (const name of await fs.readdir(folder)) {
      const path = join(folder, name);
      if (isStrayName(name) || isTempName(name)) {
        await removeTree(fs, path);
        removed.push(path);
      } else if (depth > 0) await sweep(path, depth - 1);
    }
  };
  // project root, datasets/<id>/, runs/<id>/checkpoints/
  await sweep(dir, 0);
  await sweep(datasetsDir(dir), 1);
  await sweep(runsDir(dir), 2);
  return removed;
}
