/** Finding (or creating) the project, dataset and run a command names, with usage errors that name the flag. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { importDataset } from '../core/datasets/import-dataset';
import type { FileSystem } from '../core/fs/file-system';
import { listDatasets } from '../core/store/datasets';
import { createProject, readProjectInfo } from '../core/store/project';
import { acquireProjectLock, type ProjectLock } from '../core/store/project-lock';
import { ProjectLockError } from '../core/store/project-lock-error';
import { recoverProject } from '../core/store/recover-project';
import { readRun, readRunConfig } from '../core/store/runs';
import type { DatasetRecord, RunRecord } from '../core/store/schemas';
import { StoreError } from '../core/store/store-error';
import { isForecastConfig } from '../shared/forecast-config';
import { UsageError } from './usage-error';

/** The project at `dir` (absolute), which must exist. */
export async function openProjectDir(fs: FileSystem, dir: string): Promise<string> {
  const abs = resolve(dir);
  try {
    await readProjectInfo(fs, abs);
  } catch (e) {
    if (e instanceof StoreError) throw new UsageError(`--project: ${abs} is not a readable RNN Lab project (${e.message})`);
    throw e;
  }
  return abs;
}

/** The project at `dir`, created (with its parent folders) when the folder is missing or empty. */
export async function openOrCreateProject(fs: FileSystem, dir: string): Promise<string> {
  const abs = resolve(dir);
  const st = await fs.stat(abs);
  if (st?.kind === 'directory' && (await fs.stat(resolve(abs, 'project.json'))) !== undefined) return openProjectDir(fs, abs);
  if (st?.kind === 'file') throw new UsageError(`--project: ${abs} is a file, not a project folder`);
  await mkdir(dirname(abs), { recursive: true });
  const name = basename(abs).replace(/\.rnnlab$/i, '').trim() || 'Project';
  try {
    await createProject(fs, abs, name);
  } catch (e) {
    if (e instanceof StoreError && e.code === 'InvalidName') await createProject(fs, abs, 'Project');
    else if (e instanceof StoreError) throw new UsageError(`--project: cannot create a project at ${abs} (${e.message})`);
    else throw e;
  }
  return abs;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The dataset of `kind` holding exactly the bytes of `file`: an earlier import when there is one, else a new import. */
export async function datasetForFile(fs: FileSystem, projectDir: string, file: string, kind: 'text' | 'csv' = 'text'): Promise<{ dataset: DatasetRecord; reused: boolean }> {
  const path = resolve(file);
  const st = await stat(path).catch(() => undefined);
  if (st === undefined) throw new UsageError(`--data: no such file: ${path}`);
  if (!st.isFile()) throw new UsageError(`--data: not a file: ${path}`);
  const sha = await sha256File(path);
  const { datasets } = await listDatasets(fs, projectDir);
  const existing = datasets.find((d) => d.source.sha256 === sha && d.kind === kind);
  if (existing) return { dataset: existing, reused: true };
  try {
    return { dataset: await importDataset(fs, projectDir, path, { kind }), reused: false };
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    if (typeof err.code === 'string') throw new UsageError(`--data: ${path} cannot be imported (${String(err.message)})`);
    throw e;
  }
}

export async function findRun(fs: FileSystem, projectDir: string, runId: string): Promise<RunRecord> {
  try {
    return await readRun(fs, projectDir, runId);
  } catch (e) {
    if (e instanceof StoreError && (e.code === 'NotFound' || e.code === 'InvalidId')) throw new UsageError(`--run: no run "${runId}" in ${projectDir}`);
    throw e;
  }
}

/** A run that trains on text: a forecast run (rnn-lab train --task forecast) is refused, naming the commands that work on it. */
export async function findTextRun(fs: FileSystem, projectDir: string, runId: string): Promise<RunRecord> {
  const run = await findRun(fs, projectDir, runId);
  if (isForecastConfig(await readRunConfig(fs, projectDir, runId))) {
    throw new UsageError(`--run: ${runId} is a forecast run; this command works on text runs (rnn-lab evaluate and rnn-lab forecast work on forecast runs)`);
  }
  return run;
}

const held = new Set<ProjectLock>();

/**
 * Takes the project's writer lock for this command (throws `ProjectLocked`, naming the holder,
 * when another process has it), then recovers what a crashed writer left: runs still marked
 * running become interrupted and stray temp files go. `main` releases it when the command ends.
 */
export async function lockProject(fs: FileSystem, projectDir: string): Promise<ProjectLock> {
  const attempt = await acquireProjectLock(projectDir);
  if (!attempt.ok) throw new ProjectLockError('ProjectLocked', projectDir, attempt.holder);
  held.add(attempt.lock);
  await recoverProject(fs, projectDir);
  return attempt.lock;
}

/** Releases every lock the command took (also after a failure). */
export async function releaseProjectLocks(): Promise<void> {
  const locks = [...held];
  held.clear();
  await Promise.all(locks.map((l) => l.release()));
}
