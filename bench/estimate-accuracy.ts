/**
 * How close the run-setup time estimate (`runs:estimate`) comes to the real training time: for a
 * few configurations it measures the estimate exactly as the app does (a worker thread timing a few
 * minibatches with the training host's kernels and threads), then trains the same run through a
 * TrainingHost with worker trainers and prints estimate / real. The issue asks for every ratio
 * within 0.7–1.3. Run: `npm run bench -- estimate-accuracy [--quick]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeFileSystem } from '../src/core/fs/node-file-system';
import { createProject } from '../src/core/store/project';
import { importDataset } from '../src/core/datasets/import-dataset';
import { RunsService } from '../src/core/services/runs-service';
import { EstimateService } from '../src/core/services/estimate-service';
import { TrainingHost } from '../src/core/training/training-host';
import type { RunConfig } from '../src/shared/run-config';

const quick = process.argv.includes('--quick');
const CORPUS = join(import.meta.dirname, '..', 'resources', 'demo', 'demo.rnnlab', 'datasets', 'demo-corpus', 'source.txt');

const CONFIGS: Array<{ label: string; config: Partial<RunConfig> }> = [
  { label: 'rnn-256 d2l 10k tokens', config: { cell: 'rnn', hiddenSize: 256, maxTokens: 10_000, epochs: quick ? 4 : 12, valEvery: 2 } },
  { label: 'gru-128 word 2 layers', config: { cell: 'gru', hiddenSize: 128, numLayers: 2, tokenizer: 'word', minFreq: 3, maxTokens: 6_000, numSteps: 20, batchSize: 16, epochs: quick ? 3 : 8 } },
  { label: 'lstm-256 random sampling', config: { cell: 'lstm', hiddenSize: 256, sampler: 'random', maxTokens: 8_000, epochs: quick ? 3 : 8, valEvery: 1 } },
];

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'rnnlab-estimate-'));
  const fs = new NodeFileSystem();
  const dir = join(root, 'bench.rnnlab');
  await createProject(fs, dir, 'Estimate bench');
  const dataset = await importDataset(fs, dir, CORPUS);
  const host = new TrainingHost({ fs, maxConcurrent: 1 });
  const estimates = new EstimateService({ trainerKernels: () => host.trainerKernels() });
  const runs = new RunsService({ fs, live: host });
  console.log(`corpus ${CORPUS}; trainer kernels ${JSON.stringify(host.trainerKernels())}`);
  console.log('config                          estimate s   real s   estimate/real');
  const ratios: number[] = [];
  try {
    for (const { label, config } of CONFIGS) {
      const full = { ...config, datasetId: dataset.id, name: label, checkpointEvery: 1000, sampleEvery: 1000 };
      const est = await estimates.estimate(dir, full);
      const { id } = await runs.create(dir, full);
      const t0 = performance.now();
      await host.start(dir, id);
      const done = await host.wait(dir, id);
      const real = (performance.now() - t0) / 1000;
      if (done.state !== 'done') throw new Error(`${label} ended ${done.state}`);
      ratios.push(est.seconds / real);
      console.log(`${label.padEnd(30)} ${est.seconds.toFixed(2).padStart(10)} ${real.toFixed(2).padStart(8)} ${(est.seconds / real).toFixed(2).padStart(15)}   (${est.kernels}, ${est.measuredUpdates} updates timed)`);
    }
  } finally {
    await host.shutdown();
    await rm(root, { recursive: true, force: true });
  }
  const worst = Math.max(...ratios.map((r) => Math.abs(r - 1)));
  console.log(`worst deviation ${(worst * 100).toFixed(0)} % (target ≤ 30 %); load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

await main();
