/**
 * How long a run will train, measured rather than guessed: the configured model is built on the
 * real data and trained for a few minibatches with the kernels a trainer would use, and one
 * validation pass over a slice of the held-out ids is timed. The total is
 *
 *   setup (data, model, kernels — and starting the thread, when measured in one) + the first updates
 *   + (the remaining updates of epochs × expected minibatches per epoch) × (seconds per update)
 *   + (validations) × (validation tokens) × (seconds per validation token)
 *
 * The expected minibatches average over every random offset an epoch may draw. Nothing is written.
 * Runs wherever it is called: the estimate service calls it in a worker thread.
 */
import { maxOffset, numBatches } from '../../engine/data/seq-batches';
import type { KernelChoice } from '../../engine/kernels/wasm';
import { Trainer, trainerOptionsFromRunConfig } from '../../engine/train';
import type { RunConfig } from '../../shared/run-config';
import type { RunEstimate } from '../../shared/runs';
import type { FileSystem } from '../fs/file-system';
import { createRunKernels } from '../kernels/run-kernels';
import { parseRunConfig, prepareRunData } from './run-data';
import { ServiceError } from './service-error';

export interface MeasureOptions {
  kernels?: KernelChoice;
  threads?: number;
  /** Wall time spent timing updates after the warm-up (ms); default 1500. */
  budgetMs?: number;
  /** Milliseconds, monotonic. */
  now?: () => number;
}

const WARMUP_UPDATES = 2;
const MIN_UPDATES = 3;
const MAX_UPDATES = 60;

/** Mean minibatches per epoch over the offsets an epoch draws uniformly. */
export function expectedBatchesPerEpoch(config: Pick<RunConfig, 'sampler' | 'batchSize' | 'numSteps'>, trainTokens: number): number {
  const top = maxOffset(config.sampler, config.numSteps);
  let sum = 0;
  for (let offset = 0; offset <= top; offset++) sum += numBatches(config.sampler, trainTokens, config.batchSize, config.numSteps, offset);
  return sum / (top + 1);
}

/** Epochs 1…E that end with a validation pass (every `valEvery`, and the last). */
export function validationCount(epochs: number, valEvery: number): number {
  return Math.floor(epochs / valEvery) + (epochs % valEvery === 0 ? 0 : 1);
}

export async function measureTrainingTime(fs: FileSystem, projectDir: string, rawConfig: unknown, options: MeasureOptions = {}): Promise<RunEstimate> {
  const config = parseRunConfig(rawConfig);
  const now = options.now ?? (() => performance.now());
  const begin = now();
  const budgetMs = options.budgetMs ?? 1500;
  const data = await prepareRunData(fs, projectDir, config);
  const updatesPerEpoch = expectedBatchesPerEpoch(config, data.train.length);
  if (updatesPerEpoch < 1) throw new ServiceError('CorpusTooSmall', { trainTokens: data.train.length, batchSize: config.batchSize, numSteps: config.numSteps });

  const T = config.numSteps, B = config.batchSize;
  // a few minibatches of validation are enough to time it per token
  const valSlice = data.val.subarray(0, Math.min(data.val.length, 4 * T * B + 1));
  const runKernels = await createRunKernels({ kernels: options.kernels ?? 'auto', threads: options.threads ?? 1 });
  try {
    const trainer = new Trainer(trainerOptionsFromRunConfig(config), { train: data.train, val: valSlice, vocabSize: data.vocab.size }, { kernels: runKernels.kernels });
    const setupMs = now() - begin;
    // the first updates compile and warm caches: a trainer pays for them too, once
    const warm0 = now();
    for (let i = 0; i < WARMUP_UPDATES; i++) trainer.trainStep();
    const warmupMs = now() - warm0;
    const start = now();
    let updates = 0;
    while (updates < MIN_UPDATES || (updates < MAX_UPDATES && now() - start < budgetMs)) {
      trainer.trainStep();
      updates++;
    }
    const secondsPerUpdate = (now() - start) / 1000 / updates;

    let evalSeconds = 0;
    if (data.val.length > 1) {
      trainer.evaluate(); // warm-up of the evaluation path
      const t0 = now();
      const ev = trainer.evaluate();
      const perToken = ev && ev.tokens > 0 ? (now() - t0) / 1000 / ev.tokens : 0;
      evalSeconds = validationCount(config.epochs, config.valEvery) * (data.val.length - 1) * perToken;
    }
    const totalUpdates = config.epochs * updatesPerEpoch;
    const trainSeconds = Math.min(totalUpdates, WARMUP_UPDATES) * (warmupMs / 1000 / WARMUP_UPDATES) + Math.max(0, totalUpdates - WARMUP_UPDATES) * secondsPerUpdate;
    const setupSeconds = setupMs / 1000;
    const k = runKernels.description;
    return {
      seconds: setupSeconds + trainSeconds + evalSeconds,
      setupSeconds,
      trainSeconds,
      evalSeconds,
      secondsPerUpdate,
      updatesPerEpoch,
      epochs: config.epochs,
      measuredUpdates: updates,
      tokensPerSec: (T * B) / secondsPerUpdate,
      kernels: `${k.name} (${k.threads} thread${k.threads === 1 ? '' : 's'})`,
    };
  } finally {
    await runKernels.close();
  }
}
