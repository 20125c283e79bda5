/** Run-state writes the training host makes beyond the store's plain transitions. */
import type { FileSystem } from '../fs/file-system';
import { setRunState, updateRunFile } from '../store/runs';
import { runFileSchema, type RunRecord, type RunState } from '../store/schemas';

/** States a resume continues from; `queued` is a start. */
export const RESUMABLE_STATES: readonly RunState[] = ['paused', 'interrupted', 'diverged', 'failed', 'done'];

export function markRunning(fs: FileSystem, dir: string, runId: string): Promise<RunRecord> {
  return setRunState(fs, dir, runId, 'running');
}

/** Notes in run.json which kernels train the run (shown with the run's details). */
export async function stampKernels(fs: FileSystem, dir: string, runId: string, kernels: string): Promise<void> {
  const note = kernels.slice(0, 200);
  await updateRunFile(fs, dir, runId, (run) => (run.kernels === note ? null : runFileSchema.parse({ ...run, kernels: note })));
}
