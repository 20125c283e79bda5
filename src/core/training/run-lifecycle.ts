/**
 * Moving a run into `running` for a start or a resume. The store's transition table treats
 * `done`, `diverged` and `failed` as final, but a resume with a higher epoch total, a lower
 * learning rate after a divergence, or after a crashed trainer continues the *same* run from its
 * last good checkpoint (the contract's `runs:resume`), so those three reopen here, explicitly.
 */
import type { FileSystem } from '../fs/file-system';
import { writeJsonAtomic } from '../store/json-file';
import { RUN_FILE, runFile } from '../store/layout';
import { canTransition } from '../store/run-state';
import { readRun, setRunState } from '../store/runs';
import { runFileSchema, type RunRecord, type RunState } from '../store/schemas';

/** States a resume continues from; `queued` is a start. */
export const RESUMABLE_STATES: readonly RunState[] = ['paused', 'interrupted', 'diverged', 'failed', 'done'];
const REOPENABLE: readonly RunState[] = ['done', 'diverged', 'failed'];

export async function markRunning(fs: FileSystem, dir: string, runId: string): Promise<RunRecord> {
  const run = await readRun(fs, dir, runId);
  if (canTransition(run.state, 'running') || !REOPENABLE.includes(run.state)) return setRunState(fs, dir, runId, 'running');
  const next: RunRecord = { ...run, state: 'running', updated: new Date().toISOString(), finished: null };
  delete next.message;
  await writeJsonAtomic(fs, runFile(dir, runId, RUN_FILE), runFileSchema.parse(next));
  return next;
}

/**
 * Notes in run.json which kernels train the run (read by the runs service). The store's schema
 * does not keep the field, so the host writes it again after each state change it makes.
 */
export async function stampKernels(fs: FileSystem, dir: string, runId: string, kernels: string): Promise<void> {
  const run = await readRun(fs, dir, runId);
  await writeJsonAtomic(fs, runFile(dir, runId, RUN_FILE), { ...run, kernels: kernels.slice(0, 200) });
}
