/**
 * One training run (d2l 9.5 `train_ch8`/`train_epoch_ch8`): model, workspace, optimizer, minibatch
 * iterator and carried hidden state, stepping one minibatch at a time so a host can report,
 * checkpoint and stop between any two steps.
 *
 * A step: reset the state when the minibatch starts new sequences (random sampling always,
 * sequential at an epoch's start; otherwise the carried state enters as a constant, i.e. detached),
 * forward, mean cross-entropy, BPTT, check for Inf/NaN (loss, gradient norm, carried state — a
 * failed step skips the update and reports where it went wrong; so does a finite loss that stays
 * far above a uniform guess, see divergence.ts), clip by global norm, learning rate from the
 * schedule, optimizer update.
 *
 * Randomness: the seed initialises the weights, then draws the seeds of two streams, one for the
 * iterator (epoch offsets, shuffles) and one for dropout masks, so turning dropout on does not
 * change the minibatch order. Evaluation draws nothing.
 */
import { SeqIterator } from '../data/seq-iterator';
import { minBatchesPerEpoch } from '../data/seq-batches';
import type { Kernels } from '../kernels/kernels';
import { RnnModel } from '../model/rnn-model';
import { resetState, type RecurrentState } from '../model/state';
import type { ForwardOptions, Workspace } from '../model/workspace';
import { clipGradNorm, globalGradNorm } from '../optim/clip';
import { createOptimizer } from '../optim/create';
import { lrAt, validateLrSchedule, type LrScheduleConfig } from '../optim/lr-schedule';
import type { Optimizer } from '../optim/optimizer';
import { Rng } from '../rng';
import type { FloatArray, NamedTensors } from '../tensor';
import { diagnoseDivergence, EXPLODING_LOSS_FACTOR, EXPLODING_LOSS_STEPS, explodingLossReport, type DivergenceReport } from './divergence';
import { TrainError } from './errors';
import {
  initSchemeOf, lrScheduleOf, modelConfigOf, optimizerConfigOf, trajectoryKeys, validateTrainerOptions, type TrainerOptions,
} from './options';
import {
  CARRY_C, CARRY_H, checkTrainingMeta, hashIds, OPTIM_PREFIX, TRAINING_STATE_FORMAT, TRAINING_STATE_VERSION,
  type EpochAccumulator, type TrainingState,
} from './training-state';

export interface TrainerData {
  /** Training token ids. */
  train: Int32Array;
  /** Held-out ids for `evaluate`; may be empty. */
  val: Int32Array;
  vocabSize: number;
}

export interface TrainerRuntime<A extends FloatArray> {
  /** Float32Array (default) for training, Float64Array for checks. */
  dtype?: new (length: number) => A;
  kernels?: Kernels;
}

export interface StepResult {
  /** Mean cross-entropy of the minibatch (NaN/Inf when the step diverged). */
  loss: number;
  perplexity: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Learning rate of this update. */
  lr: number;
  tokens: number;
  /** 0-based epoch and minibatch index within it. */
  epoch: number;
  stepInEpoch: number;
  /** This was the epoch's last minibatch. */
  epochDone: boolean;
  /** Updates applied so far, this one included. */
  updates: number;
  /** Set when the step produced a non-finite number; the update was skipped and the run stops. */
  diverged: DivergenceReport | null;
}

export interface EpochResult {
  epoch: number;
  /** Mean cross-entropy over the epoch's tokens. */
  loss: number;
  /** exp(loss), as d2l's train_epoch_ch8. */
  perplexity: number;
  gradNormMean: number;
  gradNormLast: number;
  /** Learning rate of the epoch's last update. */
  lr: number;
  tokens: number;
  steps: number;
  diverged: DivergenceReport | null;
}

export interface EvalResult {
  loss: number;
  perplexity: number;
  tokens: number;
}

const emptyEpoch = (): EpochAccumulator => ({ lossSum: 0, tokens: 0, steps: 0, gradNormSum: 0, gradNormLast: NaN, lrLast: NaN });

function allFinite(a: FloatArray): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

export class Trainer<A extends FloatArray = Float32Array> {
  readonly options: Readonly<TrainerOptions>;
  readonly model: RnnModel<A>;
  readonly optimizer: Optimizer<A>;
  readonly iterator: SeqIterator;
  /** Hidden state carried between sequential minibatches, (layers, batch, hidden). */
  readonly carry: RecurrentState<A>;
  /** The schedule in updates, and the nominal epoch length it was converted with. */
  readonly schedule: LrScheduleConfig;
  readonly batchesPerEpoch: number;
  readonly tokensPerStep: number;

  private readonly data: TrainerData;
  private readonly dataHash: number;
  private readonly ws: Workspace<A>;
  private readonly dataRng: Rng;
  private readonly dropoutRng: Rng;
  private readonly x: Int32Array;
  private readonly y: Int32Array;
  private readonly clipMode: 'd2l' | 'pytorch';
  /** Built once: the hot path allocates nothing but its result record. */
  private readonly trainForward: ForwardOptions<A>;
  private readonly evalForward: ForwardOptions<A>;
  private updatesValue = 0;
  private epochStats: EpochAccumulator = emptyEpoch();
  private lastEpochValue: EpochResult | null = null;
  private divergence: DivergenceReport | null = null;
  /** Updates in a row whose loss was above the exploding-loss limit (divergence.ts). */
  private explodingSteps = 0;
  private readonly explodingLimit: number;
  // validation: `evalRows` parallel streams of the val ids, state carried chunk to chunk
  private readonly evalRows: number;
  private readonly evalWs: Workspace<A> | null;
  private readonly evalState: RecurrentState<A> | null;
  private readonly evalX: Int32Array;
  private readonly evalY: Int32Array;

  /** A fresh run. To continue a saved one use `Trainer.restore`. */
  constructor(options: TrainerOptions, data: TrainerData, runtime: TrainerRuntime<A> = {}, saved?: TrainingState) {
    validateTrainerOptions(options);
    this.options = Object.freeze({ ...options });
    this.data = data;
    this.dataHash = hashIds(data.train, data.val);
    this.explodingLimit = data.vocabSize >= 2 ? EXPLODING_LOSS_FACTOR * Math.log(data.vocabSize) : Infinity;
    const dtype = runtime.dtype ?? (Float32Array as unknown as new (length: number) => A);
    const { numSteps: T, batchSize: B, sampler } = options;
    this.clipMode = options.clipMode ?? 'd2l';
    this.tokensPerStep = T * B;
    const iterOptions = { mode: sampler, batchSize: B, numSteps: T };

    let master: Rng | undefined;
    if (!saved) master = new Rng(options.seed);
    this.model = new RnnModel(modelConfigOf(options, data.vocabSize), { dtype, kernels: runtime.kernels, rng: master, init: initSchemeOf(options) });
    this.optimizer = createOptimizer(this.model.params, this.model.grads, optimizerConfigOf(options), this.model.kernels);
    this.carry = this.model.createState(B);
    if (master) {
      this.dataRng = new Rng(master.nextUint32());
      this.dropoutRng = new Rng(master.nextUint32());
      this.iterator = new SeqIterator(data.train, iterOptions, this.dataRng);
    } else {
      const meta = saved!.meta;
      this.dataRng = new Rng(meta.rng.data);
      this.dropoutRng = new Rng(meta.rng.dropout);
      this.iterator = new SeqIterator(data.train, iterOptions, this.dataRng, meta.iterator);
    }
    this.batchesPerEpoch = minBatchesPerEpoch(sampler, data.train.length, B, T);
    this.schedule = lrScheduleOf(options, this.batchesPerEpoch);
    validateLrSchedule(this.schedule);
    this.ws = this.model.createWorkspace(T, B);
    this.x = new Int32Array(T * B);
    this.y = new Int32Array(T * B);

    this.evalRows = Math.max(0, Math.min(B, data.val.length - 1));
    this.evalWs = this.evalRows === 0 ? null : this.evalRows === B ? this.ws : this.model.createWorkspace(T, this.evalRows);
    this.evalState = this.evalRows === 0 ? null : this.model.createState(this.evalRows);
    this.evalX = new Int32Array(T * this.evalRows);
    this.evalY = new Int32Array(T * this.evalRows);
    this.trainForward = { targets: this.y, initial: this.carry, final: this.carry, training: true, rng: this.dropoutRng };
    this.evalForward = { targets: this.evalY, initial: this.evalState, final: this.evalState ?? undefined, numSteps: T, training: false };

    if (saved) this.load(saved);
  }

  /**
   * Continue a run from `exportState()`. `options` must match the saved ones in everything that
   * shapes the trajectory (`epochs` may change unless the schedule is cosine); `data` must be the
   * same corpus. Loss for loss, the continuation equals the uninterrupted run.
   */
  static restore<A extends FloatArray = Float32Array>(options: TrainerOptions, data: TrainerData, state: TrainingState, runtime: TrainerRuntime<A> = {}): Trainer<A> {
    const meta = checkTrainingMeta(state.meta);
    const saved = meta.options;
    for (const key of trajectoryKeys(saved)) {
      if (options[key] !== saved[key]) throw new TrainError('StateMismatch', 'The saved training state belongs to a different configuration.', { field: key, saved: saved[key], given: options[key] });
    }
    if ((options.clipMode ?? 'd2l') !== (saved.clipMode ?? 'd2l')) throw new TrainError('StateMismatch', 'The saved training state used another clipping mode.', { field: 'clipMode' });
    if (meta.vocabSize !== data.vocabSize || meta.trainLength !== data.train.length || meta.valLength !== data.val.length || meta.dataHash !== hashIds(data.train, data.val)) {
      throw new TrainError('StateMismatch', 'The saved training state belongs to a different corpus or vocabulary.', { vocabSize: meta.vocabSize, trainLength: meta.trainLength });
    }
    try {
      return new Trainer(options, data, runtime, { tensors: state.tensors, meta });
    } catch (err) {
      if (err instanceof TrainError) throw err;
      const e = err as { code?: unknown; message?: unknown };
      throw new TrainError('InvalidState', 'The saved training state does not fit this model.', { code: e.code, reason: String(e.message) });
    }
  }

  /** Updates applied so far. */
  get updates(): number {
    return this.updatesValue;
  }

  /** 0-based epoch in progress. */
  get epoch(): number {
    return this.iterator.epoch;
  }

  /** Minibatches of the current epoch already trained. */
  get stepInEpoch(): number {
    return this.iterator.index;
  }

  /** Learning rate of the next update. */
  get lr(): number {
    return lrAt(this.schedule, this.updatesValue);
  }

  /** The report of the step that diverged, or null while the run is healthy. */
  get diverged(): DivergenceReport | null {
    return this.divergence;
  }

  /** Summary of the last completed epoch. */
  get lastEpoch(): EpochResult | null {
    return this.lastEpochValue;
  }

  /** One minibatch: forward, loss, BPTT, finiteness check, clipping, update. */
  trainStep(): StepResult {
    if (this.divergence) throw new TrainError('Diverged', 'This run diverged; restore a checkpoint to continue.', { step: this.divergence.step });
    const it = this.iterator, x = this.x, y = this.y; // y is the target buffer of trainForward
    // a restored position may sit at the end of an epoch: `next` then starts the next one and writes nothing
    if (!it.next(x, y) && !it.next(x, y)) throw new Error('the iterator produced an empty epoch');
    const epoch = it.epoch, stepInEpoch = it.index - 1;
    if (it.startsNewSequence) resetState(this.carry);
    const lr = lrAt(this.schedule, this.updatesValue);
    const model = this.model;
    model.zeroGrads();
    const loss = this.ws.forward(x, this.trainForward);
    this.ws.backward();
    // clipping leaves non-finite gradients untouched and returns their norm
    const theta = this.options.clip;
    const gradNorm = theta > 0 ? clipGradNorm(model.grads, theta, this.clipMode, model.kernels) : globalGradNorm(model.grads, model.kernels);
    const tokens = this.tokensPerStep;
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm) || !allFinite(this.carry.h) || (this.carry.c !== null && !allFinite(this.carry.c))) {
      this.divergence = diagnoseDivergence(model, this.ws, { loss, gradNorm, step: this.updatesValue, epoch, stepInEpoch, lr });
      return { loss, perplexity: Math.exp(loss), gradNorm, lr, tokens, epoch, stepInEpoch, epochDone: false, updates: this.updatesValue, diverged: this.divergence };
    }
    // finite but far above a uniform guess, update after update: diverged all the same
    this.explodingSteps = loss > this.explodingLimit ? this.explodingSteps + 1 : 0;
    if (this.explodingSteps >= EXPLODING_LOSS_STEPS) {
      this.divergence = explodingLossReport({ loss, gradNorm, step: this.updatesValue, epoch, stepInEpoch, lr }, this.data.vocabSize, this.explodingSteps);
      return { loss, perplexity: Math.exp(loss), gradNorm, lr, tokens, epoch, stepInEpoch, epochDone: false, updates: this.updatesValue, diverged: this.divergence };
    }
    this.optimizer.lr = lr;
    this.optimizer.step();
    this.updatesValue += 1;

    const e = this.epochStats;
    e.lossSum += loss * tokens;
    e.tokens += tokens;
    e.steps += 1;
    e.gradNormSum += gradNorm;
    e.gradNormLast = gradNorm;
    e.lrLast = lr;
    const epochDone = it.index >= it.batchesThisEpoch;
    if (epochDone) {
      this.lastEpochValue = this.summarise(epoch, e, null);
      this.epochStats = emptyEpoch();
      it.next(x, y); // start the next epoch now, so counters and saved states point at it
    }
    return { loss, perplexity: Math.exp(loss), gradNorm, lr, tokens, epoch, stepInEpoch, epochDone, updates: this.updatesValue, diverged: null };
  }

  /** Trains to the end of the current epoch (the rest of it, after a mid-epoch restore). */
  trainEpoch(): EpochResult {
    for (;;) {
      const r = this.trainStep();
      if (r.diverged) return this.summarise(r.epoch, this.epochStats, r.diverged);
      if (r.epochDone) return this.lastEpochValue!;
    }
  }

  /**
   * Perplexity over the validation ids: up to `batchSize` contiguous streams, read in chunks of
   * `numSteps` with the state carried (no dropout, no randomness). Each stream starts from a zero
   * state; the last (length − 1) mod streams ids are left out. Null without validation data.
   */
  evaluate(): EvalResult | null {
    const ws = this.evalWs, state = this.evalState;
    if (!ws || !state) return null;
    const rows = this.evalRows, T = this.options.numSteps, val = this.data.val;
    const rowLength = Math.floor((val.length - 1) / rows);
    const x = this.evalX, y = this.evalY;
    resetState(state);
    let total = 0, count = 0;
    for (let start = 0; start < rowLength; start += T) {
      const steps = Math.min(T, rowLength - start);
      for (let b = 0; b < rows; b++) {
        const from = b * rowLength + start;
        for (let t = 0; t < steps; t++) {
          x[t * rows + b] = val[from + t]!;
          y[t * rows + b] = val[from + t + 1]!;
        }
      }
      this.evalForward.numSteps = steps;
      const loss = ws.forward(x, this.evalForward);
      total += loss * steps * rows;
      count += steps * rows;
    }
    const loss = total / count;
    return { loss, perplexity: Math.exp(loss), tokens: count };
  }

  /** A copy of everything a resumed run needs (see training-state.ts for the layout). */
  exportState(): TrainingState<A> {
    if (this.divergence) throw new TrainError('Diverged', 'A diverged run has no state worth saving; keep the last checkpoint.', { step: this.divergence.step });
    const tensors: NamedTensors<A> = new Map();
    for (const [name, t] of this.model.params) tensors.set(name, { shape: [...t.shape], data: t.data.slice() as A });
    const opt = this.optimizer.exportState();
    for (const [name, t] of opt.tensors) tensors.set(OPTIM_PREFIX + name, t);
    const { numLayers: L, batch: B, hiddenSize: H } = this.carry;
    tensors.set(CARRY_H, { shape: [L, B, H], data: this.carry.h.slice() as A });
    if (this.carry.c) tensors.set(CARRY_C, { shape: [L, B, H], data: this.carry.c.slice() as A });
    return {
      tensors,
      meta: {
        format: TRAINING_STATE_FORMAT,
        version: TRAINING_STATE_VERSION,
        dtype: this.model.dtype === (Float64Array as unknown) ? 'float64' : 'float32',
        options: { ...this.options },
        vocabSize: this.data.vocabSize,
        trainLength: this.data.train.length,
        valLength: this.data.val.length,
        dataHash: this.dataHash,
        updates: this.updatesValue,
        optimizer: { kind: opt.kind, step: opt.step },
        rng: { data: this.dataRng.getState(), dropout: this.dropoutRng.getState() },
        iterator: this.iterator.position(),
        epochStats: { ...this.epochStats },
      },
    };
  }

  private load(state: TrainingState): void {
    const { tensors, meta } = state;
    const params = new Map<string, { shape: readonly number[]; data: ArrayLike<number> }>();
    const optim: NamedTensors = new Map();
    for (const [name, t] of tensors) {
      if (name.startsWith(OPTIM_PREFIX)) optim.set(name.slice(OPTIM_PREFIX.length), t);
      else if (name !== CARRY_H && name !== CARRY_C) params.set(name, t);
    }
    this.model.loadParameters(params);
    this.optimizer.importState({ kind: meta.optimizer.kind, step: meta.optimizer.step, tensors: optim });
    const setCarry = (dst: A | null, name: string) => {
      const src = tensors.get(name);
      if ((dst === null) !== (src === undefined) || (dst && src!.data.length !== dst.length)) {
        throw new TrainError('InvalidState', 'The saved hidden state does not fit this model.', { name });
      }
      if (dst) dst.set(src!.data);
    };
    setCarry(this.carry.h, CARRY_H);
    setCarry(this.carry.c, CARRY_C);
    this.updatesValue = meta.updates;
    this.epochStats = { ...meta.epochStats };
  }

  private summarise(epoch: number, e: EpochAccumulator, diverged: DivergenceReport | null): EpochResult {
    const loss = e.tokens > 0 ? e.lossSum / e.tokens : NaN;
    return {
      epoch, loss, perplexity: Math.exp(loss), gradNormMean: e.steps > 0 ? e.gradNormSum / e.steps : NaN, gradNormLast: e.gradNormLast,
      lr: e.lrLast, tokens: e.tokens, steps: e.steps, diverged,
    };
  }
}
