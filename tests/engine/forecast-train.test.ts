import { describe, expect, it } from 'vitest';
import {
  applyZScore, D2L_SERIES, d2lSineSeries, evaluateKStep, evaluateOneStep, evaluateWindows, fitZScore, ForecastModel, SeriesWindows, shuffledBatches,
  splitWindows, trainForecaster,
} from '../../src/engine/forecast';
import { createOptimizer } from '../../src/engine/optim/create';
import { Rng } from '../../src/engine/rng';

/*
 * d2l "Sequence Models" reproduction: x_t = sin(0.01 t) + N(0, 0.2²), T = 1000, τ = 4, first 600
 * for training. The noise floor for one-step MSE is 0.04. Set RNNLAB_FORECAST_REPORT=1 to print
 * the table.
 */
const K = [1, 4, 16, 64];

function reproduce(cell: 'gru' | 'lstm') {
  const { length: T, window: W, trainSize } = D2L_SERIES;
  const raw = d2lSineSeries(new Rng(1));
  const norm = fitZScore(raw, 1, T, trainSize);
  const windows = new SeriesWindows(applyZScore(raw, 1, T, norm), 1, T, W);
  const split = splitWindows(T, W, trainSize);
  const model = new ForecastModel({ cell, inputSize: 1, outputSize: 1, hiddenSize: 16, numLayers: 1, nonlinearity: 'tanh', dropout: 0 }, { dtype: Float32Array, rng: new Rng(2) });
  const history = trainForecaster(model, windows, split.train, { epochs: 10, batchSize: 16, optimizer: { kind: 'adam', lr: 0.01 }, clip: 1, rng: new Rng(3) });
  const oneStep = evaluateOneStep(model, windows, norm, split.val);
  const kStep = evaluateKStep(model, windows, norm, K);
  if (process.env.RNNLAB_FORECAST_REPORT) {
    console.log(`${cell}: train loss (normalised) ${history.map((e) => e.trainLoss.toFixed(4)).join(' ')}`);
    console.log(`${cell}: one-step val MSE ${oneStep.mse.toFixed(4)} (last value ${oneStep.lastValueMse.toFixed(4)}, mean ${oneStep.meanMse.toFixed(4)}) over ${oneStep.count} windows`);
    console.log(`${cell}: k-step MSE over all ${kStep.origins.length} origins, k = ${K.join(', ')}: ${kStep.mse.map((m) => m.toFixed(4)).join(', ')}; last value ${kStep.lastValueMse.map((m) => m.toFixed(4)).join(', ')}`);
  }
  return { history, oneStep, kStep };
}

describe('forecaster on the d2l sine series', () => {
  for (const cell of ['gru', 'lstm'] as const) {
    it(`${cell.toUpperCase()}: one-step MSE near the 0.04 noise floor, better than last value, k-step MSE growing with k`, () => {
      const { history, oneStep, kStep } = reproduce(cell);
      expect(history.at(-1)!.trainLoss).toBeLessThan(history[0]!.trainLoss);
      expect(oneStep.count).toBe(D2L_SERIES.length - D2L_SERIES.trainSize);
      expect(oneStep.mse).toBeLessThan(0.06);
      expect(oneStep.mse).toBeGreaterThan(0.03); // cannot beat the noise by much: a sanity bound on the metric itself
      expect(oneStep.mse).toBeLessThan(oneStep.lastValueMse);
      expect(oneStep.mse).toBeLessThan(oneStep.meanMse);
      for (let j = 1; j < K.length; j++) expect(kStep.mse[j]).toBeGreaterThan(kStep.mse[j - 1]!);
      expect(kStep.mse[3]).toBeGreaterThan(4 * kStep.mse[0]!);
    });
  }
});

describe('a horizon-4 forecaster on the d2l sine series', () => {
  it('learns all four steps at once (MSE, MAE and Huber) and beats last value and mean on validation, also at the far step', () => {
    const { length: T, window: W, trainSize } = D2L_SERIES;
    const H = 4;
    const raw = d2lSineSeries(new Rng(1));
    const norm = fitZScore(raw, 1, T, trainSize);
    const windows = new SeriesWindows(applyZScore(raw, 1, T, norm), 1, T, W, [0], H);
    const split = splitWindows(T, W, trainSize, { horizon: H });
    for (const loss of ['mse', 'mae', 'huber'] as const) {
      const model = new ForecastModel({ cell: 'gru', inputSize: 1, outputSize: 1, horizon: H, loss, hiddenSize: 16, numLayers: 1, nonlinearity: 'tanh', dropout: 0 }, { dtype: Float32Array, rng: new Rng(2) });
      // the minibatch loop of trainForecaster, with y sized for H values per window
      const optimizer = createOptimizer(model.params, model.grads, { kind: 'adam', lr: 0.01 });
      const rng = new Rng(3);
      const before = evaluateWindows(model, windows, norm, split.val);
      for (let epoch = 0; epoch < 8; epoch++) {
        for (const batch of shuffledBatches(split.train, 16, rng)) {
          const x = new Float32Array(W * batch.length), y = new Float32Array(batch.length * windows.outputSize);
          windows.fill(batch, 0, batch.length, x, y);
          model.zeroGrads();
          const ws = model.createWorkspace(W, batch.length);
          ws.forward(x, { targets: y });
          ws.backward();
          optimizer.step();
        }
      }
      const r = evaluateWindows(model, windows, norm, split.val, { seasonalPeriod: W });
      if (process.env.RNNLAB_FORECAST_REPORT) {
        console.log(`horizon ${H}, ${loss}: val MSE per step ${r.model.msePerStep.map((m) => m.toFixed(4)).join(' ')}; last value ${r.baselines.lastValue.msePerStep.map((m) => m.toFixed(4)).join(' ')}; MAE ${r.model.mae.toFixed(4)} vs ${r.baselines.lastValue.mae.toFixed(4)} (repeat window ${r.baselines.repeatWindow.mae.toFixed(4)}, seasonal ${r.baselines.seasonalNaive.mae.toFixed(4)}, mean ${r.baselines.mean.mae.toFixed(4)})`);
      }
      expect(r.model.mse).toBeLessThan(before.model.mse / 4);
      expect(r.model.mse).toBeLessThan(0.06);
      expect(r.model.mae).toBeLessThan(r.baselines.lastValue.mae);
      expect(r.model.mae).toBeLessThan(r.baselines.mean.mae);
      expect(r.model.msePerStep[H - 1]).toBeLessThan(r.baselines.lastValue.msePerStep[H - 1]! * 0.75);
    }
  });
});
