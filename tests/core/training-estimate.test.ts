import { describe, expect, it } from 'vitest';
import { createDataHandlers } from '../../src/core/handlers/runs-handlers';
import { EstimateService, inProcess } from '../../src/core/services/estimate-service';
import { expectedBatchesPerEpoch, measureTrainingTime, validationCount } from '../../src/core/services/training-estimate';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../src/core/training/training-host';
import { numBatches } from '../../src/engine/data/seq-batches';
import { defaultRunConfig } from '../../src/shared/run-config';
import { runEstimateSchema, type RunEstimate } from '../../src/shared/runs';
import { METRICS_LOG, runFile } from '../../src/core/store/layout';
import { readLog } from '../../src/core/store/record-log';
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

  // How close the estimate comes to the real time is a timing figure, measured side by side by
  // `npm run bench -- estimate-accuracy` (bench/README.md), not asserted here: a shared machine's
  // load makes any wall-clock bound in a unit test flaky. This checks what the estimate is made of.
  it('estimates a run from timed minibatches of the real trainer: its parts add up and it counts the run\'s own updates and epochs', async () => {
    const p = await memoryTrainingProject(corpus(12_000, 4));
    const config = { cell: 'lstm' as const, hiddenSize: 48, numSteps: 16, batchSize: 8, epochs: 4, valEvery: 2, sampleEvery: 4, checkpointEvery: 4 };
    const estimate = runEstimateSchema.parse(await measureTrainingTime(p.fs, p.dir, { ...config, datasetId: p.datasetId }, { kernels: 'auto', threads: 1, budgetMs: 300 }));
    expect(estimate.measuredUpdates).toBeGreaterThanOrEqual(3);
    expect(estimate.epochs).toBe(4);
    expect(estimate.secondsPerUpdate).toBeGreaterThan(0);
    expect(estimate.evalSeconds).toBeGreaterThan(0); // two validation passes (every 2 of 4 epochs)
    expect(estimate.seconds).toBeCloseTo(estimate.setupSeconds + estimate.trainSeconds + estimate.evalSeconds, 9);
    // the same run, trained, makes the number of updates the estimate counted on
    const host = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs), kernels: 'auto', threadsPerRun: 1 });
    const runId = await p.createRun(config);
    await host.start(p.dir, runId);
    expect((await host.wait(p.dir, runId)).state).toBe('done');
    const { records } = await readLog(p.fs, runFile(p.dir, runId, METRICS_LOG));
    const updates = Math.max(...records.map((r) => (r as { step: number }).step));
    expect(updates).toBeGreaterThan(20);
    expect(Math.abs(updates - estimate.updatesPerEpoch * 4)).toBeLessThanOrEqual(4);
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
