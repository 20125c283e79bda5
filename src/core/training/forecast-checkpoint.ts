/**
 * A forecast run's checkpoint: the parameters (state_dict names, what exports and predictions
 * read), the optimizer's slots under `optim.*`, and in the state blob the run's
 * `ForecastCheckpointState` (normalisation, features, split) plus `trainer`: where the step-wise
 * trainer stands (engine/forecast/train.ts), so a resume continues bit-identically.
 */
import type { CheckpointBundle } from '../../engine/formats/checkpoint';
import type { DecodedTensor } from '../../engine/formats/safetensors-types';
import { checkPosition, type ForecastTrainerPosition, type ForecastTrainerState } from '../../engine/forecast/train';
import type { ForecastCheckpointState } from '../forecast/forecast-run';
import { TrainingError } from './training-error';

export interface ForecastTrainingCheckpointState extends ForecastCheckpointState {
  trainer: ForecastTrainerPosition;
}

export interface ForecastResumeState {
  tensors: ReadonlyMap<string, DecodedTensor>;
  state: ForecastTrainingCheckpointState;
}

export function forecastCheckpointBundle(run: ForecastCheckpointState, trainer: ForecastTrainerState): CheckpointBundle {
  const state: ForecastTrainingCheckpointState = { ...run, trainer: trainer.position };
  return { step: trainer.position.updates, tensors: trainer.tensors, state };
}

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** The checkpoint as a resume point; throws when it is not a whole forecast training checkpoint. */
export function decodeForecastCheckpoint(bundle: CheckpointBundle<DecodedTensor>): ForecastResumeState {
  const fail = (reason: string): never => {
    throw new TrainingError('NoCheckpoint', `The checkpoint is not a forecast training checkpoint (${reason}).`, { reason });
  };
  const s = bundle.state as Partial<ForecastTrainingCheckpointState> | null;
  if (typeof s !== 'object' || s === null || s.task !== 'forecast') return fail('no forecast state');
  const norm = s.normalization;
  if (!norm || !isNumbers(norm.mean) || !isNumbers(norm.std) || !Array.isArray(s.features) || norm.mean.length !== s.features.length || norm.std.length !== s.features.length) fail('bad normalisation');
  if (s.trainer === undefined) fail('it was written before forecast runs could resume and holds no training position');
  const position = checkPosition(s.trainer);
  if (position.updates !== bundle.step) fail('step does not match the trainer position');
  return { tensors: bundle.tensors, state: s as ForecastTrainingCheckpointState };
}
