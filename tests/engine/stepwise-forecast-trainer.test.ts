import { describe, expect, it } from 'vitest';
import {
  applyZScore, d2lSineSeries, fitZScore, ForecastModel, ForecastTrainer, SeriesWindows, splitWindows, trainForecaster,
} from '../../src/engine/forecast';
import { encodeCheckpoint, decodeCheckpoint } from '../../src/engine/formats/checkpoint';
import { Rng } from '../../src/engine/rng';

const T = 200, W = 4, TRAIN_END = 140;

function setup(cell: 'gru' | 'lstm' = 'gru') {
  const raw = d2lSineSeries(new Rng(1)).subarray(0, T);
  const norm = fitZScore(raw, 1, T, TRAIN_END);
  const windows = new SeriesWindows(applyZScore(raw, 1, T, norm), 1, T, W);
  const { train } = splitWindows(T, W, TRAIN_END);
  const model = new ForecastModel({ cell, inputSize: 1, outputSize: 1, hiddenSize: 6, numLayers: 2, nonlinearity: 'tanh', dropout: 0 }, { dtype: Float32Array, rng: new Rng(2) });
  return { windows, train, model };
}

const options = { batchSize: 16, optimizer: { kind: 'adam' as const, lr: 0.01 }, clip: 1 };
const paramsOf = (m: ForecastModel) => [...m.params].map(([name, t]) => [name, Array.from(t.data)]);

describe('step-wise forecast trainer', () => {
  it('trains the same numbers one minibatch at a time as trainForecaster does in one call', () => {
    const a = setup();
    const history = trainForecaster(a.model, a.windows, a.train, { ...options, epochs: 3, rng: new Rng(3) });
    const b = setup();
    const trainer = new ForecastTrainer(b.model, b.windows, b.train, options, new Rng(3));
    const losses: number[] = [];
    while (trainer.epoch < 3) {
      const r = trainer.step();
      expect(r.diverged).toBeNull();
      if (r.epochDone) losses.push(r.epochLoss!);
    }
    expect(trainer.updates).toBe(3 * Math.ceil(a.train.length / 16));
    expect(losses).toEqual(history.map((e) => e.trainLoss));
    expect(paramsOf(b.model)).toEqual(paramsOf(a.model));
  });

  for (const cell of ['gru', 'lstm'] as const) {
    it(`${cell}: a state exported mid-epoch and restored (through a checkpoint file) into a fresh trainer ends bit-identical to an uninterrupted run`, () => {
      const ref = setup(cell);
      const straight = new ForecastTrainer(ref.model, ref.windows, ref.train, options, new Rng(3));
      const refLosses: number[] = [];
      while (straight.epoch < 3) refLosses.push(straight.step().loss);

      const first = setup(cell);
      const t1 = new ForecastTrainer(first.model, first.windows, first.train, options, new Rng(3));
      const losses: number[] = [];
      const cut = t1.batchesPerEpoch + 3; // inside the second epoch
      for (let i = 0; i < cut; i++) losses.push(t1.step().loss);
      const state = t1.exportState();
      expect(state.position).toMatchObject({ epoch: 1, batch: 3, updates: cut });
      expect([...state.tensors.keys()].some((k) => k.startsWith('optim.exp_avg.'))).toBe(true);
      const decoded = decodeCheckpoint(encodeCheckpoint({ step: cut, tensors: state.tensors, state: state.position }));

      const second = setup(cell);
      second.model.initialize(new Rng(99)); // different weights: restore must overwrite them
      const t2 = new ForecastTrainer(second.model, second.windows, second.train, options, new Rng(12345));
      t2.restore({ tensors: decoded.tensors, position: decoded.state });
      while (t2.epoch < 3) losses.push(t2.step().loss);
      expect(losses).toEqual(refLosses);
      expect(paramsOf(second.model)).toEqual(paramsOf(ref.model));
    });
  }

  it('reports a non-finite loss as diverged, skips the update and counts nothing', () => {
    const s = setup();
    const trainer = new ForecastTrainer(s.model, s.windows, s.train, options, new Rng(3));
    trainer.step();
    s.model.param('head.bias')[0] = NaN;
    const before = paramsOf(s.model);
    const r = trainer.step();
    expect(r.diverged).toMatch(/^Training diverged at update 2 \(epoch 1, minibatch 2 of \d+\): the training loss is NaN/);
    expect(r.updates).toBe(1);
    expect(trainer.updates).toBe(1);
    expect(paramsOf(s.model)).toEqual(before);
    expect(() => trainForecaster(s.model, s.windows, s.train, { ...options, epochs: 1, rng: new Rng(3) })).toThrow(/Training diverged at update 1 .*loss is NaN/);
  });

  it('refuses a saved state made for a different split or batch size, and a damaged one', () => {
    const s = setup();
    const trainer = new ForecastTrainer(s.model, s.windows, s.train, options, new Rng(3));
    trainer.step();
    const state = trainer.exportState();
    const other = new ForecastTrainer(s.model, s.windows, s.train.subarray(0, 50), options, new Rng(3));
    expect(() => other.restore(state)).toThrow(/for 136 training windows in minibatches of 16, not 50/);
    const otherBatch = new ForecastTrainer(s.model, s.windows, s.train, { ...options, batchSize: 8 }, new Rng(3));
    expect(() => otherBatch.restore(state)).toThrow(/minibatches of 16/);
    expect(() => trainer.restore({ tensors: state.tensors, position: { ...state.position, rng: [0, 1] } })).toThrow(/damaged or of another format \(bad rng state\)/);
    expect(() => trainer.restore({ tensors: state.tensors, position: { task: 'forecast' } })).toThrow(/unknown format/);
  });

  it('trains a horizon of 2 (targets sized for every step) and refuses windows whose horizon the model does not predict', () => {
    const raw = d2lSineSeries(new Rng(1)).subarray(0, T);
    const norm = fitZScore(raw, 1, T, TRAIN_END);
    const windows = new SeriesWindows(applyZScore(raw, 1, T, norm), 1, T, W, [0], 2);
    const { train } = splitWindows(T, W, TRAIN_END, { horizon: 2 });
    const config = { cell: 'gru' as const, inputSize: 1, outputSize: 1, hiddenSize: 6, numLayers: 1, nonlinearity: 'tanh' as const, dropout: 0 };
    const model = new ForecastModel({ ...config, horizon: 2 }, { dtype: Float32Array, rng: new Rng(2) });
    const trainer = new ForecastTrainer(model, windows, train, options, new Rng(3));
    const losses: number[] = [];
    while (trainer.epoch < 3) {
      const r = trainer.step();
      if (r.epochDone) losses.push(r.epochLoss!);
    }
    expect(losses[2]).toBeLessThan(losses[0]!);
    const oneStep = new ForecastModel(config, { dtype: Float32Array, rng: new Rng(2) });
    expect(() => new ForecastTrainer(oneStep, windows, train, options, new Rng(3))).toThrow(/the model predicts 1 values per window, the windows hold 2/);
  });

  it('applies a changed learning rate from the next update on', () => {
    const s = setup();
    const trainer = new ForecastTrainer(s.model, s.windows, s.train, options, new Rng(3));
    expect(trainer.step().lr).toBe(0.01);
    trainer.lr = 0.001;
    expect(trainer.step().lr).toBe(0.001);
  });
});
