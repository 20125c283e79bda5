export { divergenceDto } from './divergence-dto';
export { inProcessLauncher } from './in-process-launcher';
export type { FinishOutcome, HostMessage, TrainerChannel, TrainerLauncher, TrainJob, WorkerMessage } from './protocol';
export { RunExecutor, windowUpdates, type ExecutorOptions, type LoadRunData } from './run-executor';
export { markRunning, RESUMABLE_STATES } from './run-lifecycle';
export { readEffectiveConfig, TRAINING_FILE, writeOverrides, type TrainingOverrides } from './run-settings';
export { TrainingError, type TrainingErrorCode } from './training-error';
export { TrainingHost, type TrainingHostOptions } from './training-host';
export { trainerWorkerSpec, workerLauncher, type TrainerWorkerSpec, type WorkerLauncherOptions } from './worker-launcher';
