/**
 * Where a resume continues from: the newest checkpoint that reads back whole (a damaged newer one
 * is passed over). When none does, a resume refuses (`NoCheckpoint`) rather than quietly training
 * the run again from update 0 — except for a run that never reached its first checkpoint (it
 * diverged, failed or was interrupted inside the first `checkpointEvery` epochs): nothing was
 * saved, so starting over is what "from the last good checkpoint" means for it.
 *
 * Text runs resume from an engine `TrainingState`, forecast runs from a `ForecastResumeState`
 * (forecast checkpoints are written every epoch); `checkResumable` picks by the run's task.
 */
import type { CheckpointBundle } from '../../engine/formats/checkpoint';
import type { DecodedTensor } from '../../engine/formats/safetensors-types';
import { fromCheckpointBundle, type TrainingState } from '../../engine/train';
import { isForecastConfig } from '../../shared/forecast-config';
import type { MetricRecord } from '../../shared/runs';
import type { FileSystem } from '../fs/file-system';
import { listCheckpoints, loadCheckpoint } from '../store/checkpoints';
import { METRICS_LOG, runFile } from '../store/layout';
import { readLog } from '../store/record-log';
import { readRun, readRunConfig } from '../store/runs';
import { decodeForecastCheckpoint, type ForecastResumeState } from './forecast-checkpoint';
import { readEffectiveConfig } from './run-settings';
import { TrainingError } from './training-error';

/** The training state to resume from; null when the run saved nothing yet and starts over. */
export function readResumePoint(fs: FileSystem, dir: string, runId: string): Promise<{ state: TrainingState; checkpoint: string } | null> {
  return findResumePoint(fs, dir, runId, fromCheckpointBundle, async () => {
    const config = await readEffectiveConfig(fs, dir, runId);
    return Math.min(config.checkpointEvery, config.epochs);
  });
}

/** The same for a forecast run (a checkpoint is due at the end of every epoch). */
export function readForecastResumePoint(fs: FileSystem, dir: string, runId: string): Promise<{ state: ForecastResumeState; checkpoint: string } | null> {
  return findResumePoint(fs, dir, runId, decodeForecastCheckpoint, () => Promise.resolve(1));
}

/** Refuses (NoCheckpoint) a resume that would silently start over; text or forecast run alike. */
export async function checkResumable(fs: FileSystem, dir: string, runId: string): Promise<void> {
  if (isForecastConfig(await readRunConfig(fs, dir, runId))) await readForecastResumePoint(fs, dir, runId);
  else await readResumePoint(fs, dir, runId);
}

async function findResumePoint<S>(
  fs: FileSystem, dir: string, runId: string, decode: (bundle: CheckpointBundle<DecodedTensor>) => S, firstDue: () => Promise<number>,
): Promise<{ state: S; checkpoint: string } | null> {
  const { checkpoints, problems } = await listCheckpoints(fs, dir, runId);
  let unusable: string | null = null;
  for (let i = checkpoints.length - 1; i >= 0; i--) {
    try {
      const bundle = await loadCheckpoint(fs, dir, runId, checkpoints[i]!.name);
      return { state: decode(bundle), checkpoint: checkpoints[i]!.name };
    } catch (e) {
      // damaged or of another format: try the one before
      if (e instanceof TrainingError && unusable === null) unusable = e.message;
    }
  }
  const files = checkpoints.length + problems.length;
  const due = files > 0 || (await checkpointWasDue(fs, dir, runId, firstDue));
  if (!due) return null;
  const run = await readRun(fs, dir, runId);
  const named = run.name ? `“${run.name}” (${runId})` : runId;
  const why = unusable !== null
    ? `${unusable.replace(/^The checkpoint/, 'its newest whole checkpoint').replace(/\.$/, '')}`
    : files > 0
    ? `its ${files === 1 ? 'checkpoint file is' : `${files} checkpoint files are`} damaged and cannot be read`
    : 'its checkpoints are gone from the run folder';
  throw new TrainingError('NoCheckpoint', `Run ${named} cannot be resumed: ${why}. Resuming would silently start it again from the beginning; start a new run with the same settings instead.`, {
    runId, runName: run.name, damaged: files,
  });
}

/** Whether the run trained past the first epoch where it writes a checkpoint (`firstDue`: checkpointEvery, or the epoch total when smaller). */
async function checkpointWasDue(fs: FileSystem, dir: string, runId: string, firstDue: () => Promise<number>): Promise<boolean> {
  const run = await readRun(fs, dir, runId);
  if (run.state === 'done') return true;
  const every = await firstDue();
  const { records } = await readLog(fs, runFile(dir, runId, METRICS_LOG));
  let epochs = 0;
  for (const r of records as MetricRecord[]) if (r.kind === 'epoch' && r.epoch > epochs) epochs = r.epoch;
  return epochs >= every;
}
