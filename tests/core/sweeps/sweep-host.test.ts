import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../src/core/fs/memory-file-system';
import { sweepTrainingHost, threadsPerTrial } from '../../../src/core/sweeps/sweep-host';

describe('a headless sweep’s training host', () => {
  it('splits the cores between the K trials, at least one thread each', () => {
    expect([threadsPerTrial(1, 8), threadsPerTrial(2, 8), threadsPerTrial(3, 8), threadsPerTrial(4, 2), threadsPerTrial(16, 8)]).toEqual([8, 4, 2, 1, 1]);
  });

  it('gives each trial’s kernels that many threads', () => {
    const k = 2;
    expect(sweepTrainingHost(new MemoryFileSystem(), k).trainerKernels().threads).toBe(Math.max(1, Math.floor(availableParallelism() / k)));
  });
});
