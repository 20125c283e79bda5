/**
 * The engine-relevant part of a run config (src/shared/run-config.ts), with the same names and
 * ranges, and how it maps onto the model, optimizer and learning-rate schedule.
 *
 * Units: `epochs` and `scheduleStep` count epochs; `warmupSteps` counts updates. The schedule is a
 * function of the update count (so a resumed run needs only that count), so epoch-based settings
 * are converted with the nominal epoch length `minBatchesPerEpoch` (d2l's epoch length varies by
 * one minibatch with the random offset; the fewest is the nominal one): a step decay every
 * `scheduleStep · nominal` updates, an exponential decay of γ per `nominal` updates, and a cosine
 * over `epochs · nominal` updates down to 0.
 */
import { runConfigFields, type RunConfig } from '../../shared/run-config';
import type { ModelConfig } from '../model/config';
import type { InitScheme } from '../model/init';
import type { ClipMode } from '../optim/clip';
import type { OptimizerConfig } from '../optim/create';
import type { LrScheduleConfig } from '../optim/lr-schedule';
import { TrainError } from './errors';

export const TRAINER_OPTION_KEYS = [
  'cell', 'numLayers', 'hiddenSize', 'embeddingDim', 'dropout', 'nonlinearity', 'init',
  'numSteps', 'batchSize', 'sampler', 'epochs',
  'optimizer', 'lr', 'momentum', 'weightDecay', 'clip', 'schedule', 'scheduleGamma', 'scheduleStep', 'warmupSteps', 'seed',
] as const satisfies readonly (keyof RunConfig)[];

export type TrainerOptionKey = (typeof TRAINER_OPTION_KEYS)[number];

export type TrainerOptions = Pick<RunConfig, TrainerOptionKey> & {
  /** d2l's `grad_clipping` (default) or torch's `clip_grad_norm_` (θ / (‖g‖ + 1e-6)). */
  clipMode?: ClipMode;
};

/** The engine subset of a full run config. */
export function trainerOptionsFromRunConfig(config: RunConfig): TrainerOptions {
  const out: Partial<TrainerOptions> = {};
  for (const key of TRAINER_OPTION_KEYS) (out as Record<string, unknown>)[key] = config[key];
  return out as TrainerOptions;
}

/** The run-config defaults (d2l's character model) overridden by `partial`, validated. */
export function resolveTrainerOptions(partial: Partial<TrainerOptions> = {}): TrainerOptions {
  const out: Record<string, unknown> = {};
  for (const key of TRAINER_OPTION_KEYS) out[key] = partial[key] ?? runConfigFields[key].default;
  if (partial.clipMode !== undefined) out.clipMode = partial.clipMode;
  const options = out as TrainerOptions;
  validateTrainerOptions(options);
  return options;
}

/** Every field within the run-config ranges (the same bounds the run-setup form enforces). */
export function validateTrainerOptions(o: TrainerOptions): void {
  for (const key of TRAINER_OPTION_KEYS) {
    const spec = runConfigFields[key];
    const v: unknown = o[key];
    const ok = spec.kind === 'choice'
      ? (spec.options as readonly unknown[]).includes(v)
      : typeof v === 'number' && Number.isFinite(v) && v >= spec.min && v <= spec.max && (spec.kind === 'float' || Number.isInteger(v));
    if (!ok) throw new TrainError('InvalidOption', `${spec.label} has an invalid value.`, { field: key, value: v });
  }
  if (o.clipMode !== undefined && o.clipMode !== 'd2l' && o.clipMode !== 'pytorch') {
    throw new TrainError('InvalidOption', 'The clipping mode must be d2l or pytorch.', { field: 'clipMode', value: o.clipMode });
  }
}

export function modelConfigOf(o: TrainerOptions, vocabSize: number): ModelConfig {
  return {
    cell: o.cell, vocabSize, embeddingDim: o.embeddingDim, hiddenSize: o.hiddenSize, numLayers: o.numLayers,
    nonlinearity: o.nonlinearity, dropout: o.numLayers > 1 ? o.dropout : 0,
  };
}

/** 'normal' in the run config is d2l's from-scratch N(0, 0.01²). */
export function initSchemeOf(o: TrainerOptions): InitScheme {
  return o.init === 'normal' ? 'd2l' : 'pytorch';
}

export function optimizerConfigOf(o: TrainerOptions): OptimizerConfig {
  switch (o.optimizer) {
    case 'sgd':
      return { kind: 'sgd', lr: o.lr, momentum: o.momentum, weightDecay: o.weightDecay };
    case 'adam':
      return { kind: 'adam', lr: o.lr, weightDecay: o.weightDecay };
    case 'adamw':
      return { kind: 'adamw', lr: o.lr, weightDecay: o.weightDecay };
    case 'rmsprop':
      return { kind: 'rmsprop', lr: o.lr, momentum: o.momentum, weightDecay: o.weightDecay };
  }
}

/** The schedule in updates, given the nominal number of minibatches per epoch. */
export function lrScheduleOf(o: TrainerOptions, batchesPerEpoch: number): LrScheduleConfig {
  const perEpoch = Math.max(1, batchesPerEpoch);
  const base = { baseLr: o.lr, warmupSteps: o.warmupSteps };
  switch (o.schedule) {
    case 'constant':
      return { ...base, schedule: { kind: 'constant' } };
    case 'step':
      return { ...base, schedule: { kind: 'step', stepSize: o.scheduleStep * perEpoch, gamma: o.scheduleGamma } };
    case 'exp':
      return { ...base, schedule: { kind: 'exponential', gamma: Math.pow(o.scheduleGamma, 1 / perEpoch) } };
    case 'cosine':
      return { ...base, schedule: { kind: 'cosine', totalSteps: Math.max(1, o.epochs * perEpoch), minLr: 0 } };
  }
}

/** Options that change the trajectory of a run: all but `epochs`, unless the cosine schedule depends on it. */
export function trajectoryKeys(o: TrainerOptions): TrainerOptionKey[] {
  return TRAINER_OPTION_KEYS.filter((k) => k !== 'epochs' || o.schedule === 'cosine');
}
