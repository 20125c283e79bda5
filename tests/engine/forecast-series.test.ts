import { describe, expect, it } from 'vitest';
import {
  applyZScore, d2lSineSeries, D2L_SERIES, denormalize, evaluateKStep, evaluateOneStep, fitZScore, ForecastModel,
  oneStepPredictions, SeriesError, SeriesWindows, shuffledBatches, splitWindows,
} from '../../src/engine/forecast';
import { RnnModel } from '../../src/engine/model';
import { Rng } from '../../src/engine/rng';

describe('z-score fitted on the training split only', () => {
  it('takes mean and population std of each feature over steps before trainEnd, ignoring what follows', () => {
    // feature 0: 1 2 3 | 100 ; feature 1: 4 4 6 | -50
    const series = Float32Array.from([1, 2, 3, 100, 4, 4, 6, -50]);
    const norm = fitZScore(series, 2, 4, 3);
    expect(norm.mean[0]).toBeCloseTo(2, 12);
    expect(norm.std[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(norm.mean[1]).toBeCloseTo(14 / 3, 12);
    expect(norm.std[1]).toBeCloseTo(Math.sqrt(((4 - 14 / 3) ** 2 * 2 + (6 - 14 / 3) ** 2) / 3), 12);
    const z = applyZScore(series, 2, 4, norm);
    expect(z[3]).toBeCloseTo((100 - 2) / Math.sqrt(2 / 3), 4);
    for (let f = 0; f < 2; f++) for (let t = 0; t < 4; t++) expect(denormalize(z[f * 4 + t]!, f, norm)).toBeCloseTo(series[f * 4 + t]!, 4);
  });

  it('gives a feature that is constant over the training split std 1 instead of dividing by zero', () => {
    const norm = fitZScore(Float32Array.from([5, 5, 5, 9]), 1, 4, 3);
    expect(norm).toEqual({ mean: [5], std: [1] });
  });

  it('refuses a series whose size does not match features × steps, naming both', () => {
    expect(() => fitZScore(new Float32Array(7), 2, 4, 3)).toThrow(/7 values, expected 2 features × 4 steps/);
  });
});

describe('windows and the contiguous split', () => {
  it('puts windows whose target falls before trainEnd in training and the rest in validation', () => {
    const { train, val } = splitWindows(10, 3, 6);
    expect([...train]).toEqual([0, 1, 2]);
    expect([...val]).toEqual([3, 4, 5, 6]);
    for (const s of train) expect(s + 3).toBeLessThan(6);
    for (const s of val) expect(s + 3).toBeGreaterThanOrEqual(6);
  });

  it('refuses a training split too short for one window and its target', () => {
    expect(() => splitWindows(10, 4, 4)).toThrow(SeriesError);
    expect(() => splitWindows(4, 4, 4)).toThrow(/shorter than one window of 4/);
  });

  it('fills time-major inputs [window, batch, features] and next-value targets', () => {
    const T = 6;
    // feature f at step t holds 10·f + t
    const values = Float32Array.from({ length: 2 * T }, (_, i) => 10 * Math.floor(i / T) + (i % T));
    const w = new SeriesWindows(values, 2, T, 3, [1, 0]);
    const x = new Float32Array(3 * 2 * 2), y = new Float32Array(2 * 2);
    w.fill([2, 0], 0, 2, x, y);
    // step t, window b, feature f → 10 f + start_b + t
    expect([...x]).toEqual([2, 12, 0, 10, 3, 13, 1, 11, 4, 14, 2, 12]);
    expect([...y]).toEqual([15, 5, 13, 3]);
    expect(() => w.fill([3], 0, 1, x, y)).toThrow(/window start 3 does not fit/);
  });

  it('shuffles every window into exactly one minibatch, reproducibly from the seed', () => {
    const starts = Int32Array.from({ length: 23 }, (_, i) => i);
    const a = shuffledBatches(starts, 5, new Rng(7));
    expect(a.map((b) => b.length)).toEqual([5, 5, 5, 5, 3]);
    const flat = a.flatMap((b) => [...b]);
    expect([...flat].sort((p, q) => p - q)).toEqual([...starts]);
    expect(flat).not.toEqual([...starts]);
    expect(shuffledBatches(starts, 5, new Rng(7)).flatMap((b) => [...b])).toEqual(flat);
  });
});

describe('the d2l generator', () => {
  it('draws x_t = sin(0.01 t) + N(0, 0.2²) for t = 1…1000 from the seeded rng', () => {
    const x = d2lSineSeries(new Rng(3));
    expect(x).toHaveLength(D2L_SERIES.length);
    expect(d2lSineSeries(new Rng(3))).toEqual(x);
    expect(d2lSineSeries(new Rng(4))).not.toEqual(x);
    let s = 0, s2 = 0;
    for (let i = 0; i < x.length; i++) { const r = x[i]! - Math.sin(0.01 * (i + 1)); s += r; s2 += r * r; }
    const mean = s / x.length, sd = Math.sqrt(s2 / x.length - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 0.2)).toBeLessThan(0.02);
    expect(d2lSineSeries(new Rng(3), 5, 0)[0]).toBeCloseTo(Math.sin(0.01), 7);
  });
});

describe('evaluation', () => {
  const T = 60, W = 4;
  const raw = d2lSineSeries(new Rng(9), T);
  const norm = fitZScore(raw, 1, T, 40);
  const windows = new SeriesWindows(applyZScore(raw, 1, T, norm), 1, T, W);
  const model = new ForecastModel({ cell: 'gru', inputSize: 1, outputSize: 1, hiddenSize: 6, numLayers: 1, nonlinearity: 'tanh', dropout: 0 }, { dtype: Float64Array, rng: new Rng(2) });
  const orig = (t: number) => denormalize(windows.values[t]!, 0, norm);

  /** One window at a time, batch 1: the d2l definition written out. */
  function predictOne(inputs: number[]): number {
    const ws = model.createWorkspace(W, 1);
    ws.forward(inputs);
    return ws.predictions[0]!;
  }

  it('computes k-step-ahead predictions by feeding predictions back in, as d2l defines them', () => {
    const ks = [1, 2, 5];
    const report = evaluateKStep(model, windows, norm, ks);
    expect(report.origins[0]).toBe(W);
    expect(report.origins.at(-1)).toBe(T - 5);
    for (const [r, origin] of report.origins.entries()) {
      if (r % 7 !== 0) continue;
      const buf = Array.from({ length: W }, (_, c) => windows.values[origin - W + c]!);
      const preds: number[] = [];
      for (let step = 0; step < 5; step++) {
        const p = predictOne(buf.slice(-W));
        buf.push(Math.fround(p)); // the evaluator keeps its columns in float32
        preds.push(denormalize(Math.fround(p), 0, norm));
      }
      ks.forEach((k, j) => expect(report.predictions[j]![r]).toBeCloseTo(preds[k - 1]!, 9));
    }
    // MSE and baselines per k over the same rows
    ks.forEach((k, j) => {
      let se = 0, last = 0, mean = 0;
      report.origins.forEach((i, r) => {
        se += (report.predictions[j]![r]! - orig(i + k - 1)) ** 2;
        last += (orig(i - 1) - orig(i + k - 1)) ** 2;
        mean += (norm.mean[0]! - orig(i + k - 1)) ** 2;
      });
      const n = report.origins.length;
      expect(report.mse[j]).toBeCloseTo(se / n, 9);
      expect(report.lastValueMse[j]).toBeCloseTo(last / n, 9);
      expect(report.meanMse[j]).toBeCloseTo(mean / n, 9);
    });
  });

  it('makes the 1-step column of the k-step table equal the one-step predictions', () => {
    const report = evaluateKStep(model, windows, norm, [1, 3], 44);
    expect(report.origins[0]).toBe(44);
    const one = oneStepPredictions(model, windows, norm, report.origins.map((i) => i - W));
    for (let r = 0; r < one.length; r++) expect(report.predictions[0]![r]).toBeCloseTo(one[r]!, 5);
  });

  it('reports one-step MSE and the last-value and mean baselines in original units', () => {
    const starts = splitWindows(T, W, 40).val;
    const rep = evaluateOneStep(model, windows, norm, starts);
    const pred = oneStepPredictions(model, windows, norm, starts);
    let se = 0, last = 0, mean = 0;
    starts.forEach((s, b) => {
      const truth = orig(s + W);
      se += (pred[b]! - truth) ** 2;
      last += (orig(s + W - 1) - truth) ** 2;
      mean += (norm.mean[0]! - truth) ** 2;
    });
    expect(rep.count).toBe(starts.length);
    expect(rep.mse).toBeCloseTo(se / starts.length, 12);
    expect(rep.lastValueMse).toBeCloseTo(last / starts.length, 12);
    expect(rep.meanMse).toBeCloseTo(mean / starts.length, 12);
    expect(pred[0]).toBeCloseTo(denormalize(predictOne(Array.from({ length: W }, (_, t) => windows.values[starts[0]! + t]!)), 0, norm), 12);
  });

  it('refuses k-step evaluation when not every feature is predicted', () => {
    const two = new SeriesWindows(new Float32Array(2 * T), 2, T, W, [0]);
    expect(() => evaluateKStep(model, two, { mean: [0, 0], std: [1, 1] }, [1])).toThrow(/every feature must be a target/);
  });
});

describe('the language model workspace fed float rows', () => {
  it('gives the same logits and recurrent gradients from the embedded rows as from the token ids', () => {
    const config = { cell: 'lstm' as const, vocabSize: 7, embeddingDim: 3, hiddenSize: 4, numLayers: 2, nonlinearity: 'tanh' as const, dropout: 0 };
    const model = new RnnModel(config, { dtype: Float64Array, rng: new Rng(8) });
    const ids = Int32Array.from([1, 4, 0, 6, 2, 2]);
    const targets = Int32Array.from([3, 1, 5, 0, 2, 4]);
    const ws = model.createWorkspace(3, 2);
    model.zeroGrads();
    ws.forward(ids, { targets });
    const logits = Float64Array.from(ws.logits); // backward turns them into their gradient
    ws.backward();
    const grads = new Map([...model.grads].map(([n, t]) => [n, Float64Array.from(t.data)]));
    const dLogits = new Float64Array(ws.logits.length);
    // the cross-entropy gradient, written out: (softmax − onehot) / N
    for (let r = 0; r < 6; r++) {
      let z = 0;
      for (let j = 0; j < 7; j++) z += Math.exp(logits[r * 7 + j]!);
      for (let j = 0; j < 7; j++) dLogits[r * 7 + j] = (Math.exp(logits[r * 7 + j]!) / z - (j === targets[r] ? 1 : 0)) / 6;
    }
    const table = model.param('embedding.weight');
    const rows = Array.from(ids).flatMap((id) => Array.from(table.subarray(id * 3, id * 3 + 3)));
    model.zeroGrads();
    ws.forwardInputs(rows);
    expect([...ws.logits]).toEqual([...logits]);
    ws.backwardFromOutputs(dLogits);
    for (const [name, g] of grads) {
      if (name === 'embedding.weight') expect(model.grad(name).every((v) => v === 0)).toBe(true);
      else for (let i = 0; i < g.length; i++) expect(model.grad(name)[i]).toBeCloseTo(g[i]!, 12);
    }
  });

  it('refuses float rows for a one-hot model', () => {
    const model = new RnnModel({ cell: 'gru', vocabSize: 5, embeddingDim: 0, hiddenSize: 3, numLayers: 1, nonlinearity: 'tanh', dropout: 0 }, { dtype: Float64Array });
    expect(() => model.createWorkspace(2, 1).forwardInputs(new Float64Array(10))).toThrow(/one-hot ids/);
  });
});
