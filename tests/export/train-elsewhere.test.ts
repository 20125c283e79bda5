/**
 * "Train elsewhere" against the real PyTorch: the exported folder's train.py, started from our
 * initial weights, trains like our engine (first-epoch loss within 1e-4, final validation
 * perplexity within 2 %) for both samplers, SGD and Adam, GRU and LSTM with two layers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPytorchRun } from '../../src/core/export/train-elsewhere';
import { loadRunData } from '../../src/core/services/run-data';
import { Trainer, trainerOptionsFromRunConfig } from '../../src/engine/train';
import type { RunConfig } from '../../src/shared/run-config';
import { corpus, diskTrainingProject, type TrainingProject } from '../core/training-fixtures';
import { readJsonl } from './elsewhere-fixture';
import { python } from './torch-runner';

const CASES: Array<{ label: string; config: Partial<RunConfig> }> = [
  { label: 'GRU ×2, sequential, SGD with step decay', config: { cell: 'gru', numLayers: 2, hiddenSize: 16, sampler: 'sequential', optimizer: 'sgd', lr: 1, clip: 1, schedule: 'step', scheduleStep: 1, scheduleGamma: 0.5 } },
  { label: 'LSTM ×2 with an embedding, random, Adam with warm-up and cosine', config: { cell: 'lstm', numLayers: 2, hiddenSize: 16, embeddingDim: 8, sampler: 'random', optimizer: 'adam', lr: 0.01, clip: 1, schedule: 'cosine', warmupSteps: 5 } },
  { label: 'ReLU RNN, sequential, RMSprop with momentum, weight decay and exponential decay', config: { cell: 'rnn', nonlinearity: 'relu', hiddenSize: 12, sampler: 'sequential', optimizer: 'rmsprop', lr: 0.003, momentum: 0.5, weightDecay: 1e-4, clip: 5, schedule: 'exp', scheduleGamma: 0.8 } },
  { label: 'GRU with d2l’s normal init, random, AdamW', config: { cell: 'gru', init: 'normal', hiddenSize: 12, sampler: 'random', optimizer: 'adamw', lr: 0.01, weightDecay: 0.05, clip: 1 } },
];

/** Our engine on the same run: the first epoch's loss and the validation perplexity after `epochs`. */
async function ours(project: TrainingProject, runId: string, epochs: number) {
  const data = await loadRunData(project.fs, project.dir, runId);
  const trainer = new Trainer(trainerOptionsFromRunConfig(data.config), { train: data.train, val: data.val, vocabSize: data.vocab.size });
  const losses: number[] = [];
  for (let e = 0; e < epochs; e++) losses.push(trainer.trainEpoch().loss);
  return { losses, valPerplexity: trainer.evaluate()!.perplexity };
}

describe('train.py of an exported run', () => {
  let project: TrainingProject;
  beforeAll(async () => {
    project = await diskTrainingProject(corpus(4000, 5));
  });

  for (const { label, config } of CASES) {
    it(`trains like our engine: ${label}`, async () => {
      const runId = await project.createRun({ ...config, epochs: 2, batchSize: 4, numSteps: 8, valEvery: 1 });
      const out = mkdtempSync(join(tmpdir(), 'rnnlab-elsewhere-'));
      await exportPytorchRun(project.fs, { projectDir: project.dir, runId, out });
      python('train.py', ['--epochs', '2', '--device', 'cpu'], out);
      const records = readJsonl(join(out, 'output', 'metrics.jsonl'));
      const epochs = records.filter((r) => r.kind === 'epoch');
      const vals = records.filter((r) => r.kind === 'val');
      const reference = await ours(project, runId, 2);
      expect(epochs.map((r) => r.epoch)).toEqual([1, 2]);
      expect(Math.abs(epochs[0]!.loss! - reference.losses[0]!)).toBeLessThan(1e-4);
      expect(Math.abs(vals.at(-1)!.perplexity! / reference.valPerplexity - 1)).toBeLessThan(0.02);
    }, 60_000);
  }
});
