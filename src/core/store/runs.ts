/**
 * Runs: `runs/<id>/` with config.json (immutable once started), run.json (state and timings),
 * metrics.log and samples.log (framed append-only logs) and checkpoints/. A run folder is built
 * in staging and renamed into place, so it exists whole or not at all.
 */
import { join } from 'node:path';
import type { Problem } from '../../shared/dto';
import { FsError, type FileSystem } from '../fs/file-system';
import { writeFileDurable } from '../fs/atomic-write';
import { ensureDir } from '../fs/fs-utils';
import { isValidId, newId } from './ids';
import { jsonBytes, readJsonFile, writeJsonAtomic, type JsonRead } from './json-file';
import { CHECKPOINTS_DIR, METRICS_LOG, RUN_CONFIG_FILE, RUN_FILE, SAMPLES_LOG, runDir, runFile, runsDir } from './layout';
import { LOG_MAGIC } from './log-frame';
import { logHeaderDamage } from './record-log';
import { canTransition } from './run-state';
import { runFileSchema, type RunRecord, type RunState } from './schemas';
import { commitStaging, createStaging, discardStaging, isDeletableFolder, removeAtomically } from './staging';
import { StoreError } from './store-error';
import { z } from 'zod';

const configSchema = z.record(z.string(), z.json());
export type RunConfigJson = z.infer<typeof configSchema>;

export interface CreateRunOptions {
  /** The full run config (validated by the caller against the shared run-config schema). */
  config: RunConfigJson;
  name?: string;
  /** Defaults to a fresh `run-<time>-<random>` id. */
  id?: string;
}

export async function createRun(fs: FileSystem, dir: string, options: CreateRunOptions): Promise<RunRecord> {
  const id = options.id ?? newId('run');
  const target = runDir(dir, id);
  const config = configSchema.parse(options.config);
  const name = (options.name ?? id).trim().slice(0, 200) || id;
  await ensureDir(fs, runsDir(dir));
  if ((await fs.stat(target)) !== undefined) throw new StoreError('Exists', { id });
  const now = new Date().toISOString();
  const record: RunRecord = { formatVersion: 1, id, name, state: 'queued', created: now, updated: now, started: null, finished: null };
  const staging = await createStaging(fs, runsDir(dir), id);
  try {
    await writeFileDurable(fs, join(staging, RUN_CONFIG_FILE), jsonBytes(config));
    await writeFileDurable(fs, join(staging, RUN_FILE), jsonBytes(record));
    await writeFileDurable(fs, join(staging, METRICS_LOG), LOG_MAGIC);
    await writeFileDurable(fs, join(staging, SAMPLES_LOG), LOG_MAGIC);
    await fs.mkdir(join(staging, CHECKPOINTS_DIR));
    await commitStaging(fs, staging, target);
  } catch (e) {
    await discardStaging(fs, staging);
    throw e;
  }
  return record;
}

/** readJsonFile for a file of run `id`; one the disk cannot read is a `CorruptRun` naming it. */
async function readRunJson<S extends z.ZodType>(fs: FileSystem, folder: string, id: string, file: string, schema: S): Promise<JsonRead<z.infer<S>>> {
  try {
    return await readJsonFile(fs, join(folder, file), schema);
  } catch (e) {
    if (e instanceof FsError && e.code === 'Io') throw new StoreError('CorruptRun', { id, file, reason: 'Unreadable' }, e);
    throw e;
  }
}

/** Reads run.json and checks config.json parses; throws `CorruptRun` (naming the file) or `NotFound`. */
export async function readRun(fs: FileSystem, dir: string, id: string): Promise<RunRecord> {
  const folder = runDir(dir, id);
  const st = await fs.stat(folder);
  if (st?.kind !== 'directory') throw new StoreError('NotFound', { kind: 'run', id });
  const run = await readRunJson(fs, folder, id, RUN_FILE, runFileSchema);
  if (!run.ok) throw new StoreError('CorruptRun', { id, file: RUN_FILE, reason: run.reason, detail: run.detail });
  if (run.value.id !== id) throw new StoreError('CorruptRun', { id, file: RUN_FILE, reason: 'IdMismatch' });
  const config = await readRunJson(fs, folder, id, RUN_CONFIG_FILE, configSchema);
  if (!config.ok) throw new StoreError('CorruptRun', { id, file: RUN_CONFIG_FILE, reason: config.reason, detail: config.detail });
  return run.value;
}

export async function readRunConfig(fs: FileSystem, dir: string, id: string): Promise<RunConfigJson> {
  const config = await readJsonFile(fs, runFile(dir, id, RUN_CONFIG_FILE), configSchema);
  if (!config.ok) throw new StoreError(config.reason === 'Missing' ? 'NotFound' : 'CorruptRun', { id, file: RUN_CONFIG_FILE, detail: config.detail });
  return config.value;
}

/** Replaces config.json while the run is still queued. */
export async function updateRunConfig(fs: FileSystem, dir: string, id: string, config: RunConfigJson): Promise<void> {
  const run = await readRun(fs, dir, id);
  if (run.state !== 'queued') throw new StoreError('ConfigLocked', { id, state: run.state });
  await writeJsonAtomic(fs, runFile(dir, id, RUN_CONFIG_FILE), configSchema.parse(config));
}

export interface ListRunsOptions {
  /**
   * Also check the first bytes of every run's metrics.log and samples.log (opening a project does,
   * so a damaged log is named up front). A run with a damaged log is still listed: its state,
   * checkpoints and deletion do not depend on the log.
   */
  checkLogs?: boolean;
}

/** Every readable run (oldest first), and a problem naming the run and file for each damaged one. */
export async function listRuns(fs: FileSystem, dir: string, options: ListRunsOptions = {}): Promise<{ runs: RunRecord[]; problems: Problem[] }> {
  const runs: RunRecord[] = [];
  const problems: Problem[] = [];
  let names: string[];
  try {
    names = await fs.readdir(runsDir(dir));
  } catch (e) {
    if (e instanceof FsError && e.code === 'NotFound') return { runs, problems };
    throw e;
  }
  for (const name of names) {
    if (!isValidId(name)) continue;
    try {
      runs.push(await readRun(fs, dir, name));
    } catch (e) {
      if (e instanceof FsError && e.code === 'Io') {
        // the folder itself cannot be read (a link loop, an I/O error)
        problems.push({ kind: 'run', id: name, code: 'CorruptRun', message: new StoreError('CorruptRun', { id: name, file: `${name}/`, reason: 'Unreadable' }).message });
        continue;
      }
      if (!(e instanceof StoreError)) throw e;
      if (e.code === 'NotFound') continue; // a stray file named like an id
      problems.push({ kind: 'run', id: name, code: e.code, message: e.message });
      continue;
    }
    if (options.checkLogs) {
      const damaged: string[] = [];
      for (const file of [METRICS_LOG, SAMPLES_LOG]) {
        const reason = await logHeaderDamage(fs, runFile(dir, name, file));
        if (reason !== null) damaged.push(new StoreError('CorruptLog', { id: name, file, reason }).message);
      }
      if (damaged.length > 0) problems.push({ kind: 'run', id: name, code: 'CorruptLog', message: damaged.join(' ') });
    }
  }
  runs.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1));
  return { runs, problems };
}

export interface StatePatch {
  message?: string;
}

/**
 * run.json is read, changed and rewritten by several callers (the training host's state changes,
 * a rename from the UI, the kernels note); each change runs behind the previous one for the same
 * file, so none of them writes over another's update. (Other processes are kept out by the
 * project lock.)
 */
const runFileQueues = new WeakMap<FileSystem, Map<string, Promise<unknown>>>();

/** Applies `change` to the current run.json, after every earlier change to the same file has landed. */
export function updateRunFile(fs: FileSystem, dir: string, id: string, change: (run: RunRecord) => RunRecord | null): Promise<RunRecord> {
  const path = runFile(dir, id, RUN_FILE);
  let queues = runFileQueues.get(fs);
  if (!queues) runFileQueues.set(fs, (queues = new Map()));
  const previous = queues.get(path) ?? Promise.resolve();
  const next = previous.then(async () => {
    const run = await readRun(fs, dir, id);
    const changed = change(run);
    if (changed === null) return run;
    await writeJsonAtomic(fs, path, changed);
    return changed;
  });
  const settled = next.catch(() => undefined);
  queues.set(path, settled);
  void settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return next;
}

/**
 * Notes a validation perplexity in run.json when it beats the best one noted so far. Returns
 * whether run.json changed. Non-finite values (a diverged run) are never a best.
 */
export async function recordBestValPerplexity(fs: FileSystem, dir: string, id: string, perplexity: number): Promise<boolean> {
  if (!Number.isFinite(perplexity) || perplexity <= 0) return false;
  let changed = false;
  await updateRunFile(fs, dir, id, (run) => {
    if (run.bestValPerplexity !== undefined && run.bestValPerplexity <= perplexity) return null;
    changed = true;
    return { ...run, bestValPerplexity: perplexity };
  });
  return changed;
}

/** Moves a run to `state` if the transition is allowed, stamping started/finished times. */
export function setRunState(fs: FileSystem, dir: string, id: string, state: RunState, patch: StatePatch = {}): Promise<RunRecord> {
  return updateRunFile(fs, dir, id, (run) => {
    if (!canTransition(run.state, state)) throw new StoreError('BadTransition', { id, from: run.state, to: state });
    const now = new Date().toISOString();
    const next: RunRecord = {
      ...run,
      state,
      updated: now,
      started: run.started ?? (state === 'running' ? now : null),
      finished: ['done', 'failed', 'diverged'].includes(state) ? now : null,
    };
    if (patch.message !== undefined) next.message = patch.message.slice(0, 2000);
    else delete next.message;
    return next;
  });
}

export function renameRun(fs: FileSystem, dir: string, id: string, name: string): Promise<RunRecord> {
  const clean = name.trim();
  if (clean.length === 0 || clean.length > 200 || /[\u0000-\u001f]/.test(clean)) return Promise.reject(new StoreError('InvalidName', { name: name.slice(0, 100) }));
  return updateRunFile(fs, dir, id, (run) => ({ ...run, name: clean, updated: new Date().toISOString() }));
}

/**
 * Deletes a run (damaged ones too): it vanishes from listings in one rename. A run folder that is
 * a symbolic link loses the link only, never what it points to.
 */
export async function deleteRun(fs: FileSystem, dir: string, id: string): Promise<void> {
  const folder = runDir(dir, id);
  if (!isDeletableFolder(await fs.lstat(folder))) throw new StoreError('NotFound', { kind: 'run', id });
  await removeAtomically(fs, folder);
}

/**
 * After a crash: runs still marked `running` become `interrupted` (resume continues them from
 * their last checkpoint). Only the process holding the project lock may call this; `isLive` names
 * the runs that process is itself training, which are left alone. Returns the ids it marked.
 */
export async function markInterruptedRuns(fs: FileSystem, dir: string, isLive: (id: string) => boolean = () => false): Promise<string[]> {
  const { runs } = await listRuns(fs, dir);
  const ids: string[] = [];
  for (const run of runs) {
    if (run.state !== 'running' || isLive(run.id)) continue;
    await setRunState(fs, dir, run.id, 'interrupted', { message: 'The app stopped while this run was training.' });
    ids.push(run.id);
  }
  return ids;
}
