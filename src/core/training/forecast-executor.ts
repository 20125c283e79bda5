/**
 * Trains one forecast run (config.task 'forecast') through the same host protocol as text runs:
 * live `train` records over windows of updates, per epoch a `val` record (normalised loss, MSE /
 * MAE / RMSE in the target's original units and the last-value baseline's) and an `epoch` record,
 * a checkpoint at the end of every epoch and on pause, stop and release, pruned to the last
 * `KEEP_CHECKPOINTS`. A non-finite loss or gradient ends the run `diverged` with divergence.json;
 * the last good checkpoint stays the newest.
 *
 * The series comes from the run's CSV dataset through the shared loader (core/forecast); the
 * normalisation is fitted on the training part at the start and read back from the checkpoint
 * on a resume, so a resumed run sees exactly the numbers it trained on. Records and checkpoints
 * depend on update counts only, so a paused, released and resumed run writes the same numbers as
 * one trained straight through.
 */
import { WindowPredictor } from '../../engine/forecast/evaluate';
import { applyZScore, fitZScore, SeriesWindows, splitWindows, type Normalization } from '../../engine/forecast/series';
import { ForecastTrainer, type ForecastStepResult } from '../../engine/forecast/train';
import { Rng } from '../../engine/rng';
import type { ForecastRunConfig } from '../../shared/forecast-config';
import type { FileSystem } from '../fs/file-system';
import { buildForecastModel, featureNames, splitPoints, type ForecastCheckpointState } from '../forecast/forecast-run';
import { pruneCheckpoints, saveCheckpoint } from '../store/checkpoints';
import { ExecutorBase, windowUpdates, type ExecutorTiming } from './executor-base';
import { forecastCheckpointBundle } from './forecast-checkpoint';
import { loadForecastSeries, type LoadForecastSeries } from './forecast-data';
import { windowFigures } from './forecast-figures';
import type { TrainJob, WorkerMessage } from './protocol';
import { readForecastResumePoint } from './resume-point';
import { readEffectiveForecastConfig } from './run-settings';
import { TrainingError } from './training-error';

/** Checkpoints kept per forecast run (the newest ones; one is written every epoch). */
export const KEEP_CHECKPOINTS = 5;

export interface ForecastExecutorOptions extends ExecutorTiming {
  /** Default: the run's CSV dataset through the shared forecast loader. */
  loadSeries?: LoadForecastSeries;
}

interface Window {
  lossSum: number;
  windows: number;
  steps: number;
  gradNormSum: number;
  lr: number;
}

const newWindow = (): Window => ({ lossSum: 0, windows: 0, steps: 0, gradNormSum: 0, lr: NaN });

export class ForecastExecutor extends ExecutorBase<ForecastTrainer, ForecastRunConfig> {
  private readonly loadSeries: LoadForecastSeries;
  private windows!: SeriesWindows;
  private norm!: Normalization;
  private val!: Int32Array;
  private predictor!: WindowPredictor<Float32Array>;
  private runState!: ForecastCheckpointState;
  private window = newWindow();
  private windowSize = 1;

  constructor(fs: FileSystem, job: TrainJob, postMessage: (message: WorkerMessage) => void, options: ForecastExecutorOptions = {}) {
    super(fs, job, postMessage, options);
    this.loadSeries = options.loadSeries ?? loadForecastSeries;
  }

  protected async load(): Promise<string> {
    const { fs, job } = this;
    const config = await readEffectiveForecastConfig(fs, job.projectDir, job.runId);
    this.config = config;
    const { raw, length, features } = await this.loadSeries(fs, job.projectDir, config);
    const F = features.length;
    const { trainEnd, valEnd } = splitPoints(length, config);
    const saved = job.resume ? await readForecastResumePoint(fs, job.projectDir, job.runId) : null;
    if (saved) {
      const s = saved.state.state;
      if (s.trainEnd !== trainEnd || s.valEnd !== valEnd || s.features.join('\u0000') !== features.join('\u0000') || s.window !== config.window) {
        throw new TrainingError('NotResumable', `Run ${job.runId} cannot be resumed: its checkpoint was trained on a different split or columns (${s.features.join(', ')}; rows ${s.trainEnd}/${s.valEnd}) than its dataset gives now (${features.join(', ')}; rows ${trainEnd}/${valEnd}).`, { runId: job.runId });
      }
    }
    this.norm = saved ? saved.state.state.normalization : fitZScore(raw, F, length, trainEnd);
    this.windows = new SeriesWindows(applyZScore(raw, F, length, this.norm), F, length, config.window, [0], config.horizon);
    const split = splitWindows(valEnd, config.window, trainEnd, { horizon: config.horizon, stride: config.stride });
    this.val = split.val;
    const rng = new Rng(config.seed);
    const model = buildForecastModel(config, F, rng);
    this.predictor = new WindowPredictor(model, config.window);
    this.trainer = new ForecastTrainer(model, this.windows, split.train, {
      batchSize: config.batchSize, optimizer: { kind: 'adam', lr: config.lr }, ...(config.clip !== null && { clip: config.clip }),
    }, rng);
    this.runState = { task: 'forecast', normalization: this.norm, features: featureNames(config), window: config.window, horizon: config.horizon, targets: [0], trainEnd, valEnd };
    if (saved) {
      this.trainer.restore({ tensors: saved.state.tensors, position: saved.state.state.trainer });
      this.lastCheckpointStep = this.trainer.updates;
      this.baseElapsedSec = await this.elapsedAt(this.trainer.updates);
    }
    this.windowSize = windowUpdates(this.trainer.batchesPerEpoch);
    return 'ts (1 thread)';
  }


  protected fractionalEpoch(): number {
    return this.trainer.epoch + this.trainer.stepInEpoch / this.trainer.batchesPerEpoch;
  }

  protected async trainStep(): Promise<boolean> {
    const r = this.trainer.step();
    const perEpoch = this.trainer.batchesPerEpoch;
    if (r.diverged !== null) {
      this.closeWindow(r.epoch + r.stepInEpoch / perEpoch);
      this.record({ kind: 'train', step: r.updates, epoch: r.epoch, time: this.elapsedSec(), loss: r.loss, gradNorm: r.gradNorm, lr: r.lr });
      const where = Number.isFinite(r.loss) ? 'gradient' : 'loss';
      return this.diverged({ where, parameter: null, timeStep: null, message: r.diverged });
    }
    const w = this.window;
    w.lossSum += r.loss * r.windows;
    w.windows += r.windows;
    w.steps += 1;
    w.gradNormSum += r.gradNorm;
    w.lr = r.lr;
    if (r.epochDone) return this.endOfEpoch(r);
    if (r.updates % this.windowSize === 0) this.closeWindow(r.epoch + (r.stepInEpoch + 1) / perEpoch);
    return false;
  }

  private async endOfEpoch(r: ForecastStepResult): Promise<boolean> {
    const e = r.epoch + 1;
    const final = e >= this.config.epochs;
    this.closeWindow(e);
    const time = this.elapsedSec();
    const v = windowFigures(this.trainer.model, this.windows, this.norm, this.val, {
      loss: this.config.loss, predictor: this.predictor, ...(this.config.seasonalPeriod !== null && { seasonalPeriod: this.config.seasonalPeriod }),
    });
    this.record({ kind: 'val', step: r.updates, epoch: e, time, loss: v.loss, mse: v.mse, mae: v.mae, rmse: v.rmse, baselineMae: v.baselineMae, baselineRmse: v.baselineRmse });
    this.record({ kind: 'epoch', step: r.updates, epoch: e, time, loss: r.epochLoss!, gradNorm: r.epochGradNorm!, lr: r.lr });
    await this.checkpoint(undefined);
    await this.flushLogs();
    this.sendProgress();
    if (final) return this.done();
    return false;
  }

  protected closeWindow(epoch: number): void {
    const w = this.window;
    if (w.steps > 0) {
      this.record({ kind: 'train', step: this.trainer.updates, epoch, time: this.elapsedSec(), loss: w.lossSum / w.windows, gradNorm: w.gradNormSum / w.steps, lr: w.lr });
    }
    this.window = newWindow();
  }

  protected async saveState(): Promise<string> {
    const { projectDir, runId } = this.job;
    const entry = await saveCheckpoint(this.fs, projectDir, runId, forecastCheckpointBundle(this.runState, this.trainer.exportState()));
    await pruneCheckpoints(this.fs, projectDir, runId, { keepLast: KEEP_CHECKPOINTS, keepBest: false });
    return entry.name;
  }
}
