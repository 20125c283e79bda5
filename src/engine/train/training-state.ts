/**
 * The complete state of a run between two minibatches, as named tensors plus plain JSON, so it
 * can be written with `encodeCheckpoint` and a restored run continues bit-identically.
 *
 * Tensors: every model parameter under its state_dict name (`rnn.weight_ih_l0`, `output.bias`, …),
 * the optimizer's slots under `optim.<slot>.<parameter>` (`optim.exp_avg.rnn.weight_ih_l0`), and the
 * carried hidden state `carry.h` (and `carry.c` for LSTM), each (layers, batch, hidden).
 */
import type { SeqIteratorPosition } from '../data/seq-iterator';
import type { CheckpointBundle, CheckpointSummary } from '../formats/checkpoint';
import type { DecodedTensor } from '../formats/safetensors-types';
import type { OptimizerKind } from '../optim/optimizer';
import type { RngState } from '../rng';
import type { FloatArray, NamedTensors } from '../tensor';
import { TrainError } from './errors';
import type { TrainerOptions } from './options';

export const TRAINING_STATE_FORMAT = 'rnnlab.training-state';
export const TRAINING_STATE_VERSION = 1;
export const OPTIM_PREFIX = 'optim.';
export const CARRY_H = 'carry.h';
export const CARRY_C = 'carry.c';

/** Running sums of the epoch in progress, so an epoch interrupted by a checkpoint reports the same means. */
export interface EpochAccumulator {
  /** Σ loss · tokens over the epoch's minibatches so far. */
  lossSum: number;
  tokens: number;
  steps: number;
  gradNormSum: number;
  gradNormLast: number;
  lrLast: number;
}

export interface TrainingMeta {
  format: typeof TRAINING_STATE_FORMAT;
  version: typeof TRAINING_STATE_VERSION;
  dtype: 'float32' | 'float64';
  options: TrainerOptions;
  vocabSize: number;
  trainLength: number;
  valLength: number;
  /** FNV-1a of the training and validation ids: a restored run must see the same corpus. */
  dataHash: number;
  /** Optimizer updates applied so far (the learning-rate schedule's step). */
  updates: number;
  optimizer: { kind: OptimizerKind; step: number };
  /** The iterator's Rng (epoch offsets and shuffles) and the dropout Rng. */
  rng: { data: RngState; dropout: RngState };
  iterator: SeqIteratorPosition;
  epochStats: EpochAccumulator;
}

export interface TrainingState<A extends FloatArray = FloatArray> {
  tensors: NamedTensors<A>;
  meta: TrainingMeta;
}

/** The state as a checkpoint bundle for `encodeCheckpoint`; the summary step is the update count. */
export function toCheckpointBundle(state: TrainingState, summary: Omit<CheckpointSummary, 'step'> = {}): CheckpointBundle {
  return { ...summary, step: state.meta.updates, tensors: state.tensors, state: state.meta };
}

/** The state from a decoded checkpoint (`decodeCheckpoint`); tensors must be F32 or F64. */
export function fromCheckpointBundle(bundle: CheckpointBundle<DecodedTensor>): TrainingState {
  const meta = checkTrainingMeta(bundle.state);
  const tensors: NamedTensors = new Map();
  for (const [name, t] of bundle.tensors) {
    if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) {
      throw new TrainError('InvalidState', 'The checkpoint holds a tensor that is not floating point.', { name, dtype: t.dtype });
    }
    tensors.set(name, { shape: [...t.shape], data: t.data });
  }
  if (meta.updates !== bundle.step) throw new TrainError('InvalidState', 'The checkpoint step does not match its training state.', { step: bundle.step, updates: meta.updates });
  return { tensors, meta };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Structural check of a saved meta object; the components check their own parts when restored. */
export function checkTrainingMeta(value: unknown): TrainingMeta {
  const fail = (reason: string): never => {
    throw new TrainError('InvalidState', 'The saved training state is damaged or of another format.', { reason });
  };
  if (!isObject(value)) return fail('not an object');
  if (value.format !== TRAINING_STATE_FORMAT) fail('unknown format');
  if (value.version !== TRAINING_STATE_VERSION) fail('unsupported version');
  if (value.dtype !== 'float32' && value.dtype !== 'float64') fail('bad dtype');
  if (!isObject(value.options)) fail('no options');
  for (const key of ['vocabSize', 'trainLength', 'valLength', 'dataHash', 'updates'] as const) if (!isCount(value[key])) fail(`bad ${key}`);
  const opt = value.optimizer;
  if (!isObject(opt) || typeof opt.kind !== 'string' || !isCount(opt.step)) fail('bad optimizer record');
  const rng = value.rng;
  if (!isObject(rng) || !Array.isArray(rng.data) || !Array.isArray(rng.dropout)) fail('bad rng record');
  if (!isObject(value.iterator)) fail('no iterator position');
  const e = value.epochStats;
  if (!isObject(e) || !['lossSum', 'tokens', 'steps', 'gradNormSum', 'gradNormLast', 'lrLast'].every((k) => typeof e[k] === 'number')) fail('bad epoch statistics');
  return value as unknown as TrainingMeta;
}

/** FNV-1a over the ids of both splits (with the split point), to recognise the corpus a state belongs to. */
export function hashIds(train: Int32Array, val: Int32Array): number {
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    for (let s = 0; s < 32; s += 8) h = Math.imul(h ^ ((v >>> s) & 0xff), 0x01000193) >>> 0;
  };
  for (let i = 0; i < train.length; i++) mix(train[i]!);
  mix(0xffffffff);
  for (let i = 0; i < val.length; i++) mix(val[i]!);
  return h >>> 0;
}
