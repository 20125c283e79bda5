export {
  diagnoseDivergence, EXPLODING_LOSS_FACTOR, EXPLODING_LOSS_STEPS, explodingLossReport, type DivergenceCause, type DivergenceReport,
} from './divergence';
export { TrainError, type TrainErrorCode } from './errors';
export {
  initSchemeOf, lrScheduleOf, modelConfigOf, optimizerConfigOf, resolveTrainerOptions, TRAINER_OPTION_KEYS, trainerOptionsFromRunConfig,
  trajectoryKeys, validateTrainerOptions, type TrainerOptionKey, type TrainerOptions,
} from './options';
export { Trainer, type EpochResult, type EvalResult, type StepResult, type TrainerData, type TrainerRuntime } from './trainer';
export {
  checkTrainingMeta, fromCheckpointBundle, hashIds, toCheckpointBundle, TRAINING_STATE_FORMAT, TRAINING_STATE_VERSION,
  type EpochAccumulator, type TrainingMeta, type TrainingState,
} from './training-state';
