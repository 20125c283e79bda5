import { describe, expect, it } from 'vitest';
import { trialRunConfig, trialTotal } from '../../../src/core/sweeps/sweep-runner';
import { newSweepRecord, type TrialRecord } from '../../../src/core/sweeps/sweep-store';
import { sweepConfigSchema } from '../../../src/shared/sweep';

const record = (over: Record<string, unknown>) =>
  newSweepRecord('sweep-1', sweepConfigSchema.parse({ datasetId: 'd1', name: 'lr scan', base: { valEvery: 10, hiddenSize: 32 }, space: { cell: { values: ['gru', 'lstm'] }, numLayers: { values: [1, 2] } }, ...over }), '2026-12-02T00:00:00.000Z');

describe('trial run configs', () => {
  it('are the base with the trial’s params, validating every epoch, named after the sweep', () => {
    const trial = { number: 3, params: { cell: 'lstm', numLayers: 2 } } as unknown as TrialRecord;
    expect(trialRunConfig(record({}), trial)).toMatchObject({ datasetId: 'd1', hiddenSize: 32, cell: 'lstm', numLayers: 2, valEvery: 1, name: 'lr scan #3' });
  });

  it('run N trials, or the grid’s size when a grid is smaller', () => {
    expect(trialTotal(record({ method: 'grid', trials: 10 }))).toBe(4);
    expect(trialTotal(record({ method: 'grid', trials: 3 }))).toBe(3);
    expect(trialTotal(record({ method: 'random', trials: 10 }))).toBe(10);
  });
});
