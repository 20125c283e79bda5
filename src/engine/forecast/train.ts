/**
 * Minibatch training of a forecaster on shuffled windows (d2l "Sequence Models"), one minibatch
 * per `step()` so a host can report, checkpoint, pause and stop between any two of them.
 *
 * A step: the epoch's window order is drawn from the Rng when the epoch starts; each minibatch
 * starts from a zero state (windows are independent, as in d2l), forward, the model's loss (MSE,
 * MAE or Huber on normalised values) on the next `horizon` values predicted from the last step,
 * BPTT, a check for Inf/NaN (loss, gradient norm: a failed step skips the update and reports it),
 * clipping by global norm, optimizer update.
 *
 * `exportState()` is the complete state between two minibatches — parameters, optimizer slots
 * (`optim.<slot>.<param>`), and a JSON position (epoch, minibatch, Rng states, the epoch's running
 * loss) — so `restore` continues bit-identically to a run that never stopped.
 */
import { clipGradNorm, globalGradNorm } from '../optim/clip';
import { createOptimizer, type OptimizerConfig } from '../optim/create';
import type { Optimizer, OptimizerKind } from '../optim/optimizer';
import type { Rng, RngState } from '../rng';
import type { NamedTensors } from '../tensor';
import { headSize, type ForecastModel, type ForecastWorkspace } from './forecast-model';
import { SeriesError, shuffledBatches, type SeriesWindows } from './series';

export interface ForecastTrainerOptions {
  batchSize: number;
  optimizer: OptimizerConfig;
  /** Global gradient-norm threshold (d2l's grad_clipping); omitted means no clipping. */
  clip?: number;
}

export interface ForecastTrainOptions extends ForecastTrainerOptions {
  epochs: number;
  /** Shuffles the windows each epoch (and draws dropout masks). */
  rng: Rng;
}

export interface ForecastEpoch {
  epoch: number;
  /** Mean normalised loss over the epoch's windows. */
  trainLoss: number;
}

export interface ForecastStepResult {
  /** Mean normalised loss of the minibatch (non-finite when the step diverged). */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Learning rate of this update. */
  lr: number;
  /** Windows in the minibatch. */
  windows: number;
  /** 0-based epoch and minibatch index within it. */
  epoch: number;
  stepInEpoch: number;
  /** This was the epoch's last minibatch; `epochLoss` and `epochGradNorm` are then the epoch's means (over windows, over updates). */
  epochDone: boolean;
  epochLoss: number | null;
  epochGradNorm: number | null;
  /** Updates applied so far, this one included. */
  updates: number;
  /** Set when the loss or the gradient was not finite: the update was skipped; the sentence says where. */
  diverged: string | null;
}

export const FORECAST_TRAINER_FORMAT = 'rnnlab.forecast-trainer';
export const FORECAST_OPTIM_PREFIX = 'optim.';

/** Where a forecast trainer stands between two minibatches (JSON; the tensors travel beside it). */
export interface ForecastTrainerPosition {
  format: typeof FORECAST_TRAINER_FORMAT;
  version: 1;
  /** Completed epochs. */
  epoch: number;
  /** Minibatches done in the epoch in progress. */
  batch: number;
  updates: number;
  /** Training windows the position was made with (a restore must see the same split). */
  trainWindows: number;
  batchSize: number;
  /** The Rng now, and before the epoch in progress drew its order (null at an epoch boundary). */
  rng: RngState;
  epochRng: RngState | null;
  /** Σ loss·windows, windows and Σ gradient norm of the epoch in progress. */
  epochLossSum: number;
  epochWindows: number;
  epochGradNormSum: number;
  optimizer: { kind: OptimizerKind; step: number };
}

export interface ForecastTrainerState {
  /** Parameters under their state_dict names, optimizer slots under `optim.<slot>.<param>`. */
  tensors: NamedTensors<Float32Array>;
  position: ForecastTrainerPosition;
}

interface Slot {
  ws: ForecastWorkspace<Float32Array>;
  x: Float32Array;
  y: Float32Array;
}

export class ForecastTrainer {
  readonly batchesPerEpoch: number;
  private readonly optimizer: Optimizer<Float32Array>;
  private readonly workspaces = new Map<number, Slot>();
  private order: Int32Array[] | null = null;
  private epochRng: RngState | null = null;
  private completedEpochs = 0;
  private batch = 0;
  private updateCount = 0;
  private epochLossSum = 0;
  private epochWindows = 0;
  private epochGradNormSum = 0;

  constructor(
    readonly model: ForecastModel<Float32Array>,
    readonly windows: SeriesWindows,
    readonly trainStarts: Int32Array,
    readonly options: ForecastTrainerOptions,
    readonly rng: Rng,
  ) {
    if (trainStarts.length === 0) throw new SeriesError('there are no training windows');
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new SeriesError(`the batch size must be a positive integer, got ${options.batchSize}`);
    if (headSize(model.config) !== windows.outputSize) throw new SeriesError(`the model predicts ${headSize(model.config)} values per window, the windows hold ${windows.outputSize} (targets × horizon)`);
    this.batchesPerEpoch = Math.ceil(trainStarts.length / options.batchSize);
    this.optimizer = createOptimizer(model.params, model.grads, options.optimizer, model.inner.kernels);
  }

  /** Completed epochs. */
  get epoch(): number {
    return this.completedEpochs;
  }

  /** Minibatches done in the epoch in progress. */
  get stepInEpoch(): number {
    return this.batch;
  }

  get updates(): number {
    return this.updateCount;
  }

  get lr(): number {
    return this.optimizer.lr;
  }

  set lr(value: number) {
    this.optimizer.lr = value;
  }

  step(): ForecastStepResult {
    if (this.order === null) {
      this.epochRng = this.rng.getState();
      this.order = shuffledBatches(this.trainStarts, this.options.batchSize, this.rng);
    }
    const { model, windows } = this;
    const batch = this.order[this.batch]!;
    const B = batch.length;
    const slot = this.workspace(B);
    windows.fill(batch, 0, B, slot.x, slot.y);
    model.zeroGrads();
    const loss = slot.ws.forward(slot.x, { targets: slot.y, training: true, rng: this.rng });
    const epoch = this.completedEpochs, stepInEpoch = this.batch, lr = this.optimizer.lr;
    const result = (gradNorm: number, diverged: string | null, epochDone = false, epochLoss: number | null = null, epochGradNorm: number | null = null): ForecastStepResult => ({
      loss, gradNorm, lr, windows: B, epoch, stepInEpoch, epochDone, epochLoss, epochGradNorm, updates: this.updateCount, diverged,
    });
    const at = `update ${this.updateCount + 1} (epoch ${epoch + 1}, minibatch ${stepInEpoch + 1} of ${this.batchesPerEpoch})`;
    if (!Number.isFinite(loss)) return result(NaN, `Training diverged at ${at}: the training loss is ${loss}. Lower the learning rate or set gradient clipping, then resume.`);
    slot.ws.backward();
    const gradNorm = this.options.clip !== undefined ? clipGradNorm(model.grads, this.options.clip, 'd2l', model.inner.kernels) : globalGradNorm(model.grads, model.inner.kernels);
    if (!Number.isFinite(gradNorm)) return result(gradNorm, `Training diverged at ${at}: the gradient norm is ${gradNorm}. Lower the learning rate or set gradient clipping, then resume.`);
    this.optimizer.step();
    this.updateCount++;
    this.epochLossSum += loss * B;
    this.epochWindows += B;
    this.epochGradNormSum += gradNorm;
    this.batch++;
    if (this.batch < this.order.length) return result(gradNorm, null);
    const epochLoss = this.epochLossSum / this.epochWindows;
    const epochGradNorm = this.epochGradNormSum / this.batch;
    this.completedEpochs++;
    this.batch = 0;
    this.order = null;
    this.epochRng = null;
    this.epochLossSum = 0;
    this.epochWindows = 0;
    this.epochGradNormSum = 0;
    return result(gradNorm, null, true, epochLoss, epochGradNorm);
  }

  exportState(): ForecastTrainerState {
    const tensors: NamedTensors<Float32Array> = new Map();
    for (const [name, t] of this.model.params) tensors.set(name, { shape: [...t.shape], data: t.data.slice() });
    const opt = this.optimizer.exportState();
    for (const [name, t] of opt.tensors) tensors.set(FORECAST_OPTIM_PREFIX + name, t);
    return {
      tensors,
      position: {
        format: FORECAST_TRAINER_FORMAT, version: 1, epoch: this.completedEpochs, batch: this.batch, updates: this.updateCount,
        trainWindows: this.trainStarts.length, batchSize: this.options.batchSize, rng: this.rng.getState(), epochRng: this.epochRng,
        epochLossSum: this.epochLossSum, epochWindows: this.epochWindows, epochGradNormSum: this.epochGradNormSum, optimizer: { kind: opt.kind, step: opt.step },
      },
    };
  }

  /** Continues from `exportState()` of a trainer over the same windows and batch size. */
  restore(state: { tensors: ReadonlyMap<string, { shape: readonly number[]; data: ArrayLike<number | bigint> }>; position: unknown }): void {
    const p = checkPosition(state.position);
    if (p.trainWindows !== this.trainStarts.length || p.batchSize !== this.options.batchSize) {
      throw new SeriesError(`the saved training state is for ${p.trainWindows} training windows in minibatches of ${p.batchSize}, not ${this.trainStarts.length} in minibatches of ${this.options.batchSize}`);
    }
    if (p.batch >= this.batchesPerEpoch || (p.batch > 0 && p.epochRng === null)) throw new SeriesError('the saved training state is damaged (minibatch position)');
    const params = new Map<string, { shape: readonly number[]; data: ArrayLike<number> }>();
    const slots: NamedTensors = new Map();
    for (const [name, t] of state.tensors) {
      if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) throw new SeriesError(`the saved training state holds a tensor that is not floating point (${name})`);
      if (name.startsWith(FORECAST_OPTIM_PREFIX)) slots.set(name.slice(FORECAST_OPTIM_PREFIX.length), { shape: [...t.shape], data: Float32Array.from(t.data) });
      else params.set(name, { shape: t.shape, data: t.data });
    }
    this.model.loadParameters(params);
    this.optimizer.importState({ kind: p.optimizer.kind, step: p.optimizer.step, tensors: slots });
    this.completedEpochs = p.epoch;
    this.batch = p.batch;
    this.updateCount = p.updates;
    this.epochLossSum = p.epochLossSum;
    this.epochWindows = p.epochWindows;
    this.epochGradNormSum = p.epochGradNormSum;
    this.order = null;
    this.epochRng = null;
    if (p.batch > 0) {
      // the epoch's order, drawn again from the Rng as it was when the epoch began
      this.rng.setState(p.epochRng!);
      this.order = shuffledBatches(this.trainStarts, this.options.batchSize, this.rng);
      this.epochRng = p.epochRng;
    }
    this.rng.setState(p.rng);
  }

  private workspace(B: number): Slot {
    let slot = this.workspaces.get(B);
    if (slot === undefined) {
      const { window: W, features: F } = this.windows;
      slot = { ws: this.model.createWorkspace(W, B), x: new Float32Array(W * B * F), y: new Float32Array(B * this.windows.outputSize) };
      this.workspaces.set(B, slot);
    }
    return slot;
  }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isRngState = (v: unknown): v is RngState => Array.isArray(v) && v.length === 4 && v.every((x) => isCount(x) && x <= 0xffffffff);

/** Structural check of a saved position; throws SeriesError when it is damaged or of another format. */
export function checkPosition(value: unknown): ForecastTrainerPosition {
  const fail = (reason: string): never => {
    throw new SeriesError(`the saved training state is damaged or of another format (${reason})`);
  };
  if (typeof value !== 'object' || value === null) return fail('not an object');
  const p = value as Record<string, unknown>;
  if (p.format !== FORECAST_TRAINER_FORMAT || p.version !== 1) fail('unknown format');
  for (const key of ['epoch', 'batch', 'updates', 'trainWindows', 'batchSize', 'epochWindows'] as const) if (!isCount(p[key])) fail(`bad ${key}`);
  if (typeof p.epochLossSum !== 'number' || typeof p.epochGradNormSum !== 'number') fail('bad epoch sums');
  if (!isRngState(p.rng) || !(p.epochRng === null || isRngState(p.epochRng))) fail('bad rng state');
  const opt = p.optimizer as Record<string, unknown> | null;
  if (typeof opt !== 'object' || opt === null || typeof opt.kind !== 'string' || !isCount(opt.step)) fail('bad optimizer record');
  return value as ForecastTrainerPosition;
}

/** Trains `epochs` epochs straight through; throws SeriesError when a step diverges. */
export function trainForecaster(
  model: ForecastModel<Float32Array>, windows: SeriesWindows, trainStarts: Int32Array, options: ForecastTrainOptions,
  onEpoch?: (e: ForecastEpoch) => void,
): ForecastEpoch[] {
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new SeriesError(`epochs must be a positive integer, got ${options.epochs}`);
  const trainer = new ForecastTrainer(model, windows, trainStarts, options, options.rng);
  const history: ForecastEpoch[] = [];
  while (trainer.epoch < options.epochs) {
    const r = trainer.step();
    if (r.diverged !== null) throw new SeriesError(r.diverged);
    if (r.epochDone) {
      const record = { epoch: trainer.epoch, trainLoss: r.epochLoss! };
      history.push(record);
      onEpoch?.(record);
    }
  }
  return history;
}
