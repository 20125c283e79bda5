import { describe, expect, it } from 'vitest';
import { createDataHandlers } from '../../src/core/handlers/runs-handlers';
import { EstimateService, inProcess } from '../../src/core/services/estimate-service';
import { expectedBatchesPerEpoch, measureTrainingTime, validationCount } from '../../src/core/services/training-estimate';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../src/core/training/training-host';
import { numBatches } from '../../src/engine/data/seq-batches';
import { defaultRunConfig } from '../../src/shared/run-config';
import { runEstimateSchema, type RunEstimate } from '../../src/shared/runs';
import { corpus, diskTrainingProject, memoryTrainingProject } from './training-fixtures';

describe('training time estimate', () => {
  it('averages the minibatches per epoch over every offset and counts the validation passes', () => {
    const config = { sampler: 'sequential' as const, batchSize: 4, numSteps: 8 };
    const all = Array.from({ length: 9 }, (_, off) => numBatches('sequential', 1000, 4, 8, off));
    expect(expectedBatchesPerEpoch(config, 1000)).toBeCloseTo(all.reduce((a, b) => a + b) / all.length, 12);
    expect(validationCount(10, 10)).toBe(1);
    expect(validationCount(25, 10)).toBe(3);
    expect(validationCount(3, 1)).toBe(3);
  });

  it('comes within 30 % of the time the same run then takes to train on this machine', async () => {
    const p = await memoryTrainingProject(corpus(12_000, 4));
    const config = { cell: 'lstm' as const, hiddenSize: 48, numSteps: 16, batchSize: 8, epochs: 4, valEvery: 2, sampleEvery: 4, checkpointEvery: 4 };
    const host = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs), kernels: 'auto', threadsPerRun: 1 });
    // other test files share the cores and their load comes and goes: a pair (estimate, then the
    // run) measured during a burst says nothing, so up to three pairs are tried
    const ratios: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const estimate = runEstimateSchema.parse(await measureTrainingTime(p.fs, p.dir, { ...config, datasetId: p.datasetId }, { kernels: 'auto', threads: 1, budgetMs: 600 }));
      expect(estimate.measuredUpdates).toBeGreaterThanOrEqual(3);
      const runId = await p.createRun(config);
      const t0 = performance.now();
      await host.start(p.dir, runId);
      expect((await host.wait(p.dir, runId)).state).toBe('done');
      ratios.push(estimate.seconds / ((performance.now() - t0) / 1000));
      if (Math.abs(ratios.at(-1)! - 1) < 0.3) break;
    }
    expect(ratios.at(-1)!, `estimate / real per attempt: ${ratios.map((r) => r.toFixed(2)).join(', ')}`).toBeGreaterThan(0.7);
    expect(ratios.at(-1)!).toBeLessThan(1.3);
  }, 120_000);

  it('answers runs:estimate from a worker thread while this thread keeps running, and refuses a bad dataset in words', async () => {
    const p = await diskTrainingProject(corpus(6000, 2));
    const handlers = createDataHandlers({ fs: p.fs, emit: () => {}, live: new TrainingHost({ fs: p.fs, threadsPerRun: 1 }) });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    let estimate: RunEstimate;
    try {
      estimate = await handlers['runs:estimate']({ projectDir: p.dir, config: { ...defaultRunConfig(p.datasetId), hiddenSize: 16, batchSize: 4, numSteps: 8, epochs: 3 } });
    } finally {
      clearInterval(timer);
    }
    const elapsed = performance.now() - started;
    expect(estimate.seconds).toBeGreaterThan(0);
    expect(estimate.kernels).toMatch(/\(1 thread\)$/);
    // the measurement took over a second; a blocked thread would have let almost no tick through
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
    const bad = new EstimateService({ measure: inProcess(p.fs) }).estimate(p.dir, { datasetId: 'ds-missing' });
    await expect(bad).rejects.toMatchObject({ code: 'DatasetNotFound' });
  }, 60_000);
});
