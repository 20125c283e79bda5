/**
 * The training host a headless sweep (command line, bench) trains its trials on: K slots, the
 * machine's cores shared out between them (each trial's kernels get ⌊cores / K⌋ threads, at least
 * one). One trial at a time trains on this thread; more get a worker thread each.
 */
import { availableParallelism } from 'node:os';
import type { FileSystem } from '../fs/file-system';
import { inProcessLauncher } from '../training/in-process-launcher';
import { TrainingHost } from '../training/training-host';
import { workerLauncher, type TrainerWorkerSpec } from '../training/worker-launcher';

export const threadsPerTrial = (parallel: number, cores: number = availableParallelism()): number => Math.max(1, Math.floor(cores / parallel));

/** `spec`: which trainer worker file to start (default: the one beside this module, from sources or built). */
export function sweepTrainingHost(fs: FileSystem, parallel: number, onError?: (e: unknown) => void, spec?: TrainerWorkerSpec): TrainingHost {
  return new TrainingHost({
    fs, launcher: parallel === 1 ? inProcessLauncher(fs) : workerLauncher(spec ? { spec } : {}), maxConcurrent: parallel, threadsPerRun: threadsPerTrial(parallel),
    ...(onError && { onError }),
  });
}
