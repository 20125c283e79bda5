import { describe, expect, it } from 'vitest';
import { gridSize, searchSpaceSchema, spaceIssues, spaceParams, sweepConfigSchema } from '../../../src/shared/sweep';

const messages = (space: Record<string, unknown>) => spaceIssues(space as never).map((i) => `${i.field}: ${i.message}`);

describe('search space validation', () => {
  it('accepts lists, ranges and log ranges over run-config fields', () => {
    expect(messages({ cell: { values: ['gru', 'lstm'] }, hiddenSize: { low: 8, high: 64 }, lr: { low: 1e-3, high: 1, log: true } })).toEqual([]);
  });

  it('refuses an unknown field, naming it', () => {
    expect(messages({ learningRate: { low: 0.1, high: 1 } })).toEqual(['learningRate: "learningRate" is not a run-config field.']);
  });

  it('refuses a range over a choice field and a value outside its options', () => {
    expect(messages({ cell: { low: 0, high: 1 } })).toEqual(['cell: Cell (cell) is a choice; give it a list of values, not a range.']);
    expect(messages({ cell: { values: ['gru', 'transformer'] } })).toEqual(['cell: Cell (cell) cannot be "transformer"; choose from rnn, gru, lstm.']);
  });

  it('refuses fractional bounds for int fields, inverted or out-of-bounds ranges, and log ranges from 0', () => {
    expect(messages({ hiddenSize: { low: 8.5, high: 64 } })).toEqual(['hiddenSize: Hidden size (hiddenSize) takes whole numbers; its range needs whole low and high.']);
    expect(messages({ hiddenSize: { low: 64, high: 8 } })).toEqual(['hiddenSize: Hidden size (hiddenSize) needs low below high (got 64 … 8).']);
    expect(messages({ dropout: { low: 0, high: 1 } })).toEqual(['dropout: Dropout (dropout) must stay between 0 and 0.9 (got 0 … 1).']);
    expect(messages({ momentum: { low: 0, high: 0.9, log: true } })).toEqual(['momentum: Momentum (momentum) on a log scale needs low above 0 (got 0).']);
  });

  it('refuses list values of the wrong type, fractional ints, duplicates and monitoring fields', () => {
    expect(messages({ numLayers: { values: [1, 1.5, 'two', 1] } })).toEqual([
      'numLayers: Layers (numLayers) takes whole numbers, not 1.5.',
      'numLayers: Layers (numLayers) takes numbers, not "two".',
      'numLayers: Layers (numLayers) lists 1 twice.',
    ]);
    expect(messages({ valEvery: { values: [1, 2] } })).toEqual(['valEvery: Validate every (epochs) (valEvery) is a monitoring setting; a sweep cannot vary it.']);
  });

  it('refuses specs that are neither a list nor a range, in a sentence naming the field', () => {
    expect(messages({ lr: 5 })).toEqual(['lr: Give lr a list {"values": [...]} or a range {"low": a, "high": b}, not 5.']);
    expect(messages({ lr: { low: 1 } })).toEqual(['lr: The range for lr needs numbers "low" and "high".']);
    expect(messages({ lr: { min: 1, max: 2 } })).toEqual(['lr: lr has unknown keys "min", "max"; give it a list {"values": [...]} or a range {"low": a, "high": b}, with "log": true for a log range.']);
    expect(messages({ lr: { values: [] } })).toEqual(['lr: The list for lr needs at least one value.']);
    expect(messages({ lr: { values: [1], low: 2 } })).toEqual(['lr: lr is a list; drop "low" (a list takes only "values").']);
    expect(messages({ lr: { low: 0.1, high: 1, log: 'yes' } })).toEqual(['lr: The "log" of lr must be true or false.']);
    expect(searchSpaceSchema.safeParse([1]).error?.issues[0]?.message).toBe('The search space must be an object mapping run-config fields to lists or ranges.');
  });

  it('refuses an empty space', () => {
    expect(messages({})).toEqual([': The search space is empty; give at least one field to vary.']);
  });

  it('describes each parameter with its distribution kind', () => {
    expect(spaceParams({ cell: { values: ['gru'] }, hiddenSize: { low: 8, high: 64 }, lr: { low: 0.01, high: 1, log: true } })).toEqual([
      { field: 'cell', kind: 'categorical', values: ['gru'] },
      { field: 'hiddenSize', kind: 'int', low: 8, high: 64, log: false },
      { field: 'lr', kind: 'float', low: 0.01, high: 1, log: true },
    ]);
    expect(gridSize({ cell: { values: ['gru', 'lstm'] }, numLayers: { values: [1, 2, 3] } })).toBe(6);
    expect(gridSize({ cell: { values: ['gru', 'lstm'] }, lr: { low: 0.1, high: 1 } })).toBeNull();
  });
});

describe('sweep config', () => {
  it('fills the base run config from defaults and the dataset', () => {
    const c = sweepConfigSchema.parse({ datasetId: 'd1', base: { hiddenSize: 16 }, space: { lr: { low: 0.1, high: 2 } } });
    expect(c.base).toMatchObject({ datasetId: 'd1', hiddenSize: 16, cell: 'rnn' });
    expect(c).toMatchObject({ method: 'random', prune: 'none', trials: 20, parallel: 1, objective: 'val-perplexity', seed: 0 });
  });

  it('refuses a grid over a range, naming the field', () => {
    const r = sweepConfigSchema.safeParse({ datasetId: 'd1', method: 'grid', space: { cell: { values: ['gru'] }, lr: { low: 0.1, high: 2 } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual(['A grid sweep needs lists; give lr a list of values instead of a range.']);
  });

  it('refuses a bad base config with the run-config sentence', () => {
    const r = sweepConfigSchema.safeParse({ datasetId: 'd1', base: { hiddenSize: 0 }, space: { lr: { low: 0.1, high: 2 } } });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['base.hiddenSize', 'Hidden size must be at least 1.']]);
  });
});
