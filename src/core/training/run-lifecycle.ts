/** Run-state writes the training host makes beyond the store's plain transitions. */
import type { FileSystem } from '../fs/file-system';
import { writeJsonAtomic } from '../store/json-file';
import { RUN_FILE, runFile } from '../store/layout';
import { readRun, setRunState } from '../store/runs';
import { runFileSchema, type RunRecord, type RunState } from '../store/schemas';

/** States a resume continues from; `queued` is a start. */
export const RESUMABLE_STATES: readonly RunState[] = ['paused', 'interrupted', 'diverged', 'failed', 'done'];

export function markRunning(fs: FileSystem, dir: string, runId: string): Promise<RunRecord> {
  return setRunState(fs, dir, runId, 'running');
}

/** Notes in run.json which kernels train the run (shown with the run's details). */
export async function stampKernels(fs: FileSystem, dir: string, runId: string, kernels: string): Promise<void> {
  const run = await readRun(fs, dir, runId);
  if (run.kernels === kernels.slice(0, 200)) return;
  await writeJsonAtomic(fs, runFile(dir, runId, RUN_FILE), runFileSchema.parse({ ...run, kernels: kernels.slice(0, 200) }));
}
