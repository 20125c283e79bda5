/**
 * Checkpoints of a run: `runs/<id>/checkpoints/step-<12-digit step>.safetensors`, each a
 * checkpoint bundle (engine/formats/checkpoint.ts), written atomically.
 */
import { join } from 'node:path';
import type { Problem } from '../../shared/dto';
import { decodeCheckpoint, checkpointSummary, encodeCheckpoint, type CheckpointBundle, type CheckpointSummary } from '../../engine/formats/checkpoint';
import { parseSafetensorsHeader, readHeaderLength, type ExpectedTensor } from '../../engine/formats/safetensors-decode';
import { SafetensorsError } from '../../engine/formats/safetensors-error';
import type { DecodedTensor } from '../../engine/formats/safetensors-types';
import { FsError, type FileSystem } from '../fs/file-system';
import { writeFileAtomic } from '../fs/atomic-write';
import { readRange } from '../fs/fs-utils';
import { checkpointsToDelete, type RetentionPolicy } from './checkpoint-retention';
import { checkpointsDir } from './layout';
import { StoreError } from './store-error';

const NAME = /^step-(\d{12})\.safetensors$/;

export interface CheckpointEntry extends CheckpointSummary {
  name: string;
  bytes: number;
}

export function checkpointName(step: number): string {
  if (!Number.isSafeInteger(step) || step < 0 || step >= 1e12) throw new StoreError('InvalidId', { kind: 'checkpoint', step });
  return `step-${String(step).padStart(12, '0')}.safetensors`;
}

function checkpointPath(dir: string, runId: string, name: string): string {
  if (!NAME.test(name)) throw new StoreError('InvalidId', { kind: 'checkpoint', name: name.slice(0, 80) });
  return join(checkpointsDir(dir, runId), name);
}

export async function saveCheckpoint(fs: FileSystem, dir: string, runId: string, bundle: CheckpointBundle): Promise<CheckpointEntry> {
  const stamped: CheckpointBundle = { ...bundle, created: bundle.created ?? new Date().toISOString() };
  const bytes = encodeCheckpoint(stamped);
  const name = checkpointName(bundle.step);
  await writeFileAtomic(fs, checkpointPath(dir, runId, name), bytes);
  const entry: CheckpointEntry = { name, bytes: bytes.length, step: bundle.step, created: stamped.created! };
  if (bundle.valPerplexity !== undefined) entry.valPerplexity = bundle.valPerplexity;
  return entry;
}

/** Reads and fully verifies a checkpoint (checksum, header, and `expect` names/shapes). */
export async function loadCheckpoint(
  fs: FileSystem,
  dir: string,
  runId: string,
  name: string,
  expect?: ReadonlyMap<string, ExpectedTensor>,
): Promise<CheckpointBundle<DecodedTensor>> {
  const path = checkpointPath(dir, runId, name);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (e) {
    if (e instanceof FsError && e.code === 'NotFound') throw new StoreError('NotFound', { kind: 'checkpoint', runId, name });
    throw e;
  }
  return decodeCheckpoint(bytes, expect);
}

/** Summaries from headers only (data not read, so not verified); damaged files become problems. */
export async function listCheckpoints(fs: FileSystem, dir: string, runId: string): Promise<{ checkpoints: CheckpointEntry[]; problems: Problem[] }> {
  const folder = checkpointsDir(dir, runId);
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (e) {
    if (e instanceof FsError && e.code === 'NotFound') return { checkpoints: [], problems: [] };
    throw e;
  }
  const checkpoints: CheckpointEntry[] = [];
  const problems: Problem[] = [];
  for (const name of names) {
    if (!NAME.test(name)) continue;
    const path = join(folder, name);
    try {
      const st = await fs.stat(path);
      if (st?.kind !== 'file') continue;
      const n = readHeaderLength(await readRange(fs, path, 0, 8));
      const header = parseSafetensorsHeader(await readRange(fs, path, 0, 8 + n), st.size);
      checkpoints.push({ name, bytes: st.size, ...checkpointSummary(header.metadata) });
    } catch (e) {
      // pruned by the trainer between the listing and the read: it is simply no longer there
      if (e instanceof FsError && e.code === 'NotFound') continue;
      if (!(e instanceof SafetensorsError)) throw e;
      problems.push({ kind: 'run', id: `${runId}/${name}`, code: e.code, message: e.message });
    }
  }
  checkpoints.sort((a, b) => a.step - b.step);
  return { checkpoints, problems };
}

export async function deleteCheckpoint(fs: FileSystem, dir: string, runId: string, name: string): Promise<void> {
  const path = checkpointPath(dir, runId, name);
  try {
    await fs.unlink(path);
  } catch (e) {
    if (e instanceof FsError && e.code === 'NotFound') throw new StoreError('NotFound', { kind: 'checkpoint', runId, name });
    throw e;
  }
  await fs.syncDir(checkpointsDir(dir, runId));
}

/** Applies the retention policy (keep last K plus the best); returns the deleted names. */
export async function pruneCheckpoints(fs: FileSystem, dir: string, runId: string, policy: RetentionPolicy): Promise<string[]> {
  const { checkpoints } = await listCheckpoints(fs, dir, runId);
  const doomed = checkpointsToDelete(checkpoints, policy);
  for (const name of doomed) await fs.unlink(checkpointPath(dir, runId, name));
  if (doomed.length > 0) await fs.syncDir(checkpointsDir(dir, runId));
  return doomed;
}
