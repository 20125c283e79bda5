/**
 * Where a resume continues from: the newest checkpoint that reads back whole (a damaged newer one
 * is passed over). When none does, a resume refuses (`NoCheckpoint`) rather than quietly training
 * the run again from update 0 — except for a run that never reached its first checkpoint (it
 * diverged, failed or was interrupted inside the first `checkpointEvery` epochs): nothing was
 * saved, so starting over is what "from the last good checkpoint" means for it.
 */
import { fromCheckpointBundle, type TrainingState } from '../../engine/train';
import type { MetricRecord } from '../../shared/runs';
import type { FileSystem } from '../fs/file-system';
import { listCheckpoints, loadCheckpoint } from '../store/checkpoints';
import { METRICS_LOG, runFile } from '../store/layout';
import { readLog } from '../store/record-log';
import { readRun } from '../store/runs';
import { readEffectiveConfig } from './run-settings';
import { TrainingError } from './training-error';

/** The training state to resume from; null when the run saved nothing yet and starts over. */
export async function readResumePoint(fs: FileSystem, dir: string, runId: string): Promise<{ state: TrainingState; checkpoint: string } | null> {
  const { checkpoints, problems } = await listCheckpoints(fs, dir, runId);
  for (let i = checkpoints.length - 1; i >= 0; i--) {
    try {
      const bundle = await loadCheckpoint(fs, dir, runId, checkpoints[i]!.name);
      return { state: fromCheckpointBundle(bundle), checkpoint: checkpoints[i]!.name };
    } catch {
      // damaged or of another format: try the one before
    }
  }
  const files = checkpoints.length + problems.length;
  const due = files > 0 || (await checkpointWasDue(fs, dir, runId));
  if (!due) return null;
  const run = await readRun(fs, dir, runId);
  const named = run.name ? `“${run.name}” (${runId})` : runId;
  const why = files > 0
    ? `its ${files === 1 ? 'checkpoint file is' : `${files} checkpoint files are`} damaged and cannot be read`
    : 'its checkpoints are gone from the run folder';
  throw new TrainingError('NoCheckpoint', `Run ${named} cannot be resumed: ${why}. Resuming would silently start it again from the beginning; start a new run with the same settings instead.`, {
    runId, runName: run.name, damaged: files,
  });
}

/** Whether the run trained past a point where it writes a checkpoint (an epoch multiple of checkpointEvery, or its end). */
async function checkpointWasDue(fs: FileSystem, dir: string, runId: string): Promise<boolean> {
  const run = await readRun(fs, dir, runId);
  if (run.state === 'done') return true;
  const config = await readEffectiveConfig(fs, dir, runId);
  const { records } = await readLog(fs, runFile(dir, runId, METRICS_LOG));
  let epochs = 0;
  for (const r of records as MetricRecord[]) if (r.kind === 'epoch' && r.epoch > epochs) epochs = r.epoch;
  return epochs >= Math.min(config.checkpointEvery, config.epochs);
}
