import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/engine/formats';
import { Rng } from '../../src/engine/rng';
import {
  fromCheckpointBundle, resolveTrainerOptions, toCheckpointBundle, Trainer, type TrainerOptions, type TrainingState,
} from '../../src/engine/train';

const V = 10;

function randomIds(seed: number, n: number): Int32Array {
  const rng = new Rng(seed);
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = rng.nextInt(V);
  return ids;
}

const data = { train: randomIds(3, 900), val: randomIds(4, 200), vocabSize: V };
const small = (o: Partial<TrainerOptions> = {}) => resolveTrainerOptions({ hiddenSize: 12, numSteps: 5, batchSize: 4, ...o });

function losses(t: Trainer, n: number): number[] {
  return Array.from({ length: n }, () => t.trainStep().loss);
}

function paramBytes(t: Trainer): Uint8Array[] {
  return [...t.model.params.values()].map((p) => new Uint8Array(p.data.slice().buffer));
}

/** encodeCheckpoint → bytes → decodeCheckpoint, the way the project store writes and reads it. */
function throughBytes(state: TrainingState): TrainingState {
  const bytes = encodeCheckpoint(toCheckpointBundle(state, { created: '2024-01-01T00:00:00Z' }));
  return fromCheckpointBundle(decodeCheckpoint(bytes));
}

describe('determinism', () => {
  it('gives bit-identical losses and weights for the same seed and config', () => {
    const o = small({ cell: 'lstm', numLayers: 2, dropout: 0.2, sampler: 'random', optimizer: 'adam', lr: 0.01 });
    const a = new Trainer(o, data), b = new Trainer(o, data);
    expect(losses(a, 30)).toEqual(losses(b, 30));
    expect(paramBytes(a)).toEqual(paramBytes(b));
  });

  it('differs for a different seed', () => {
    const a = new Trainer(small({ seed: 1 }), data), b = new Trainer(small({ seed: 2 }), data);
    expect(losses(a, 5)).not.toEqual(losses(b, 5));
  });

  it('keeps the minibatch order when only dropout changes', () => {
    const a = new Trainer(small({ numLayers: 2, dropout: 0 }), data);
    const b = new Trainer(small({ numLayers: 2, dropout: 0.5 }), data);
    for (let i = 0; i < 2 * a.iterator.batchesThisEpoch; i++) {
      a.trainStep();
      b.trainStep();
      expect(b.iterator.position()).toEqual(a.iterator.position());
    }
  });
});

describe('exact resume', () => {
  const cases: Array<[string, Partial<TrainerOptions>, 'mid-epoch' | 'epoch end']> = [
    ['RNN, sequential, SGD', { cell: 'rnn' }, 'mid-epoch'],
    ['GRU, random, Adam', { cell: 'gru', sampler: 'random', optimizer: 'adam', lr: 0.01 }, 'mid-epoch'],
    ['2-layer LSTM with dropout, sequential, Adam', { cell: 'lstm', numLayers: 2, dropout: 0.3, optimizer: 'adam', lr: 0.01 }, 'mid-epoch'],
    ['2-layer LSTM with dropout, random, SGD with momentum', { cell: 'lstm', numLayers: 2, dropout: 0.3, sampler: 'random', momentum: 0.9, lr: 0.5 }, 'mid-epoch'],
    ['GRU, sequential, SGD, cosine schedule', { cell: 'gru', schedule: 'cosine', epochs: 3 }, 'epoch end'],
  ];

  for (const [title, overrides, where] of cases) {
    it(`resumes ${title} bit-identically from ${where} through checkpoint bytes`, () => {
      const o = small(overrides);
      const reference = new Trainer(o, data);
      const k = where === 'epoch end' ? reference.iterator.batchesThisEpoch : 7;
      const n = k + 2 * reference.iterator.batchesThisEpoch + 3;
      const expected = losses(reference, n);

      const first = new Trainer(o, data);
      const head = losses(first, k);
      const saved = first.exportState();
      expect(saved.meta.epochStats.steps).toBe(where === 'epoch end' ? 0 : k);
      const direct = Trainer.restore(o, data, saved);
      const viaBytes = Trainer.restore(o, data, throughBytes(saved));
      // the exporting trainer itself carries on unchanged
      expect([...head, ...losses(first, n - k)]).toEqual(expected);
      expect([...head, ...losses(direct, n - k)]).toEqual(expected);
      expect([...head, ...losses(viaBytes, n - k)]).toEqual(expected);
      expect(paramBytes(viaBytes)).toEqual(paramBytes(reference));
      expect(viaBytes.exportState().meta).toEqual(reference.exportState().meta);
    });
  }

  it('finishes an interrupted epoch with the same epoch statistics', () => {
    const o = small({ cell: 'gru' });
    const reference = new Trainer(o, data);
    const expected = reference.trainEpoch();
    const first = new Trainer(o, data);
    losses(first, 3);
    const resumed = Trainer.restore(o, data, throughBytes(first.exportState()));
    expect(resumed.trainEpoch()).toEqual(expected);
  });

  it('allows more epochs on resume but refuses a state from another config or corpus', () => {
    const o = small();
    const t = new Trainer(o, data);
    losses(t, 2);
    const state = t.exportState();
    expect(Trainer.restore({ ...o, epochs: o.epochs + 100 }, data, state).updates).toBe(2);
    expect(() => Trainer.restore({ ...o, hiddenSize: 13 }, data, state)).toThrow(expect.objectContaining({ code: 'StateMismatch', details: expect.objectContaining({ field: 'hiddenSize' }) }));
    expect(() => Trainer.restore({ ...o, clipMode: 'pytorch' }, data, state)).toThrow(expect.objectContaining({ code: 'StateMismatch' }));
    const otherCorpus = { ...data, train: data.train.slice().reverse() };
    expect(() => Trainer.restore(o, otherCorpus, state)).toThrow(expect.objectContaining({ code: 'StateMismatch' }));
  });

  it('refuses a damaged state', () => {
    const o = small({ optimizer: 'adam', lr: 0.01 });
    const t = new Trainer(o, data);
    losses(t, 2);
    const state = t.exportState();
    expect(() => Trainer.restore(o, data, { ...state, meta: { ...state.meta, format: 'x' as never } })).toThrow(expect.objectContaining({ code: 'InvalidState' }));
    const missing = new Map(state.tensors);
    missing.delete('optim.exp_avg.rnn.weight_hh_l0');
    expect(() => Trainer.restore(o, data, { ...state, tensors: missing })).toThrow(expect.objectContaining({ code: 'InvalidState' }));
    const badIterator = { ...state.meta, iterator: { ...state.meta.iterator, offset: state.meta.iterator.offset + 1 } };
    expect(() => Trainer.restore(o, data, { ...state, meta: badIterator })).toThrow(expect.objectContaining({ code: 'InvalidState' }));
  });
});
