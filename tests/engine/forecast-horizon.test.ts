import { describe, expect, it, vi } from 'vitest';
import {
  applyZScore, baselinePredictions, d2lSineSeries, denormalize, errorMetrics, evaluateKStep, evaluateWindows, fitZScore, ForecastModel,
  oneStepPredictions, predictWindows, recursiveForecast, SeriesError, SeriesWindows, splitWindows, WindowPredictor,
} from '../../src/engine/forecast';
import { Rng } from '../../src/engine/rng';

describe('windows with a horizon and a stride', () => {
  it('keeps every target of a training window before trainEnd and of a validation window at or after it, one start every stride steps', () => {
    const { train, val } = splitWindows(20, 3, 12, { horizon: 2, stride: 3 });
    expect([...train]).toEqual([0, 3, 6]);
    expect([...val]).toEqual([9, 12, 15]);
    for (const s of train) expect(s + 3 + 2 - 1).toBeLessThan(12);
    for (const s of val) { expect(s + 3).toBeGreaterThanOrEqual(12); expect(s + 3 + 2 - 1).toBeLessThan(20); }
  });

  it('gives horizon 1, stride 1 the same windows as before', () => {
    const a = splitWindows(10, 3, 6, { horizon: 1, stride: 1 });
    expect([...a.train]).toEqual([0, 1, 2]);
    expect([...a.val]).toEqual([3, 4, 5, 6]);
    const b = splitWindows(12, 4, 12, { horizon: 3 });
    expect([...b.train]).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...b.val]).toEqual([]);
  });

  it('refuses a bad horizon or stride and a training split without one window plus all its targets, naming the field', () => {
    const field = (f: () => unknown) => { try { f(); } catch (e) { expect(e).toBeInstanceOf(SeriesError); return (e as SeriesError).field; } return undefined; };
    expect(field(() => splitWindows(20, 3, 12, { horizon: 0 }))).toBe('horizon');
    expect(field(() => splitWindows(20, 3, 12, { stride: 1.5 }))).toBe('stride');
    expect(field(() => splitWindows(4, 3, 4, { horizon: 2 }))).toBe('window');
    expect(() => splitWindows(20, 3, 4, { horizon: 2 })).toThrow(/window of 3 plus its 2 targets/);
    expect(() => splitWindows(20, 3, 5, { horizon: 2 })).not.toThrow();
    expect(field(() => new SeriesWindows(new Float32Array(8), 1, 8, 3, [0], 0))).toBe('horizon');
  });

  it('fills y with the next H values of each target, y[b·(O·H) + j·H + h]', () => {
    const T = 8;
    const values = Float32Array.from({ length: 2 * T }, (_, i) => 10 * Math.floor(i / T) + (i % T)); // feature f, step t: 10 f + t
    const w = new SeriesWindows(values, 2, T, 3, [1, 0], 2);
    expect(w.outputSize).toBe(4);
    const x = new Float32Array(3 * 2 * 2), y = new Float32Array(2 * 4);
    w.fill([2, 0], 0, 2, x, y);
    expect([...y]).toEqual([15, 16, 5, 6, 13, 14, 3, 4]);
    expect([...x.subarray(0, 4)]).toEqual([2, 12, 0, 10]);
    expect(() => w.fill([4], 0, 1, x, y)).toThrow(/window start 4 does not fit/); // its second target would be step 8
    expect(() => w.fill([5], 0, 1, x, null)).not.toThrow(); // inputs alone fit
  });
});

describe('baselines on the same windows', () => {
  // v_t = t² so every source step is recognisable; identity normalisation
  const T = 14;
  const values = Float32Array.from({ length: T }, (_, t) => t * t);
  const w = new SeriesWindows(values, 1, T, 3, [0], 5);
  const sq = (ts: number[]) => ts.map((t) => t * t);

  it('repeats the last value, repeats the window cyclically and predicts the training mean (0 normalised)', () => {
    const b = baselinePredictions(w, [4]); // window steps 4 5 6, predicting steps 7…11
    expect([...b.values.lastValue]).toEqual(sq([6, 6, 6, 6, 6]));
    expect([...b.values.repeatWindow]).toEqual(sq([4, 5, 6, 4, 5]));
    expect([...b.values.mean]).toEqual([0, 0, 0, 0, 0]);
    expect(b.seasonalPeriod).toBe(3); // the window by default
    expect([...b.values.seasonalNaive]).toEqual([...b.values.repeatWindow]);
  });

  it('reads seasonal naive at t − p·⌈k/p⌉: inside the window for p ≤ τ, before it for p > τ, the last value when that is before step 0', () => {
    expect([...baselinePredictions(w, [4], { seasonalPeriod: 2 }).values.seasonalNaive]).toEqual(sq([5, 6, 5, 6, 5]));
    const long = baselinePredictions(w, [4], { seasonalPeriod: 5 });
    expect([...long.values.seasonalNaive]).toEqual(sq([2, 3, 4, 5, 6]));
    expect(long.seasonalFallbacks).toBe(0);
    const early = baselinePredictions(w, [0], { seasonalPeriod: 5 }); // steps 3…7 → sources −2, −1, 0, 1, 2
    expect([...early.values.seasonalNaive]).toEqual(sq([2, 2, 0, 1, 2]));
    expect(early.seasonalFallbacks).toBe(2);
    expect(() => baselinePredictions(w, [4], { seasonalPeriod: 0 })).toThrow(SeriesError);
  });
});

describe('error metrics', () => {
  it('computes MAE, MSE, RMSE per horizon step and overall, in original units (× std of each target) and normalised', () => {
    // 2 windows, targets [0, 1] with std 2 and 10, H = 2; truth 0, so the errors are the predictions
    const pred = [1, -2, 0.5, 0, 0, 1, -1, 2];
    const m = errorMetrics(pred, new Float64Array(8), 2, [0, 1], 2, { mean: [7, -3], std: [2, 10] });
    expect(m.maeNorm).toBeCloseTo(7.5 / 8, 14);
    expect(m.mseNorm).toBeCloseTo(11.25 / 8, 14);
    expect(m.rmseNorm).toBeCloseTo(Math.sqrt(11.25 / 8), 14);
    expect(m.maePerStep).toEqual([4.25, 6.5]);
    expect(m.msePerStep).toEqual([32.25, 105]);
    expect(m.rmsePerStep[1]).toBeCloseTo(Math.sqrt(105), 14);
    expect(m.mae).toBeCloseTo(5.375, 14);
    expect(m.mse).toBeCloseTo(68.625, 14);
    expect(m.rmse).toBeCloseTo(Math.sqrt(68.625), 14);
  });
});

describe('evaluating a horizon-H model against every baseline', () => {
  const T = 700, W = 5, H = 3;
  const raw = Float32Array.from(d2lSineSeries(new Rng(4), T), (v) => 20 + 5 * v);
  const norm = fitZScore(raw, 1, T, 500);
  const windows = new SeriesWindows(applyZScore(raw, 1, T, norm), 1, T, W, [0], H);
  const model = new ForecastModel({ cell: 'lstm', inputSize: 1, outputSize: 1, horizon: H, hiddenSize: 6, numLayers: 1, nonlinearity: 'tanh', dropout: 0 }, { dtype: Float32Array, rng: new Rng(5) });
  const starts = Int32Array.from({ length: T - W - H + 1 }, (_, i) => i); // 693 windows: three chunks

  it('predicts in chunks exactly what one window at a time gives', () => {
    const all = predictWindows(model, windows, starts);
    expect(all).toHaveLength(starts.length * H);
    const one = new WindowPredictor(model, W), x = new Float32Array(W);
    for (const b of [0, 255, 256, 400, starts.length - 1]) {
      windows.fill(starts, b, 1, x, null);
      const p = one.predict(x, 1);
      for (let h = 0; h < H; h++) expect(all[b * H + h]).toBe(p[h]);
    }
  });

  it('reports the model and the four baselines on the same windows in original units, with the truth', () => {
    const val = splitWindows(T, W, 500, { horizon: H }).val;
    const r = evaluateWindows(model, windows, norm, val, { seasonalPeriod: 2 });
    expect(r.count).toBe(val.length);
    expect(r.horizon).toBe(H);
    expect(r.seasonalPeriod).toBe(2);
    const pred = predictWindows(model, windows, val);
    let ae = 0, lastAe = 0, meanSe = 0;
    val.forEach((s, b) => {
      for (let h = 0; h < H; h++) {
        const truth = raw[s + W + h]!;
        expect(r.truth[b * H + h]).toBeCloseTo(truth, 3);
        expect(r.predictions[b * H + h]).toBeCloseTo(denormalize(pred[b * H + h]!, 0, norm), 9);
        expect(r.baselinePredictions.lastValue[b * H + h]).toBeCloseTo(raw[s + W - 1]!, 3);
        expect(r.baselinePredictions.seasonalNaive[b * H + h]).toBeCloseTo(raw[s + W + h - 2 * Math.ceil((h + 1) / 2)]!, 3);
        expect(r.baselinePredictions.mean[b * H + h]).toBeCloseTo(norm.mean[0]!, 9);
        ae += Math.abs(r.predictions[b * H + h]! - truth);
        lastAe += Math.abs(raw[s + W - 1]! - truth);
        meanSe += (norm.mean[0]! - truth) ** 2;
      }
    });
    const n = val.length * H;
    expect(r.model.mae).toBeCloseTo(ae / n, 4);
    expect(r.baselines.lastValue.mae).toBeCloseTo(lastAe / n, 4);
    expect(r.baselines.mean.mse).toBeCloseTo(meanSe / n, 3);
    expect(r.model.maeNorm).toBeCloseTo(r.model.mae / norm.std[0]!, 6);
    expect(r.baselines.lastValue.msePerStep).toHaveLength(H);
    // persistence gets worse the further ahead on a smooth series
    expect(r.baselines.lastValue.msePerStep[2]).toBeGreaterThan(r.baselines.lastValue.msePerStep[0]!);
  });

  it('reuses the workspaces of a predictor passed in, e.g. once per epoch', () => {
    const predictor = new WindowPredictor(model, W);
    const made = vi.spyOn(model, 'createWorkspace');
    const val = splitWindows(T, W, 500, { horizon: H }).val;
    const a = evaluateWindows(model, windows, norm, val, { predictor });
    const b = evaluateWindows(model, windows, norm, val, { predictor });
    expect(made).toHaveBeenCalledTimes(1);
    made.mockRestore();
    expect(b.model).toEqual(a.model);
  });

  it('refuses windows whose horizon or features do not match the model, and an empty set', () => {
    const w1 = new SeriesWindows(windows.values, 1, T, W, [0], 1);
    expect(() => evaluateWindows(model, w1, norm, [0])).toThrow(/predicts 1 target\(s\) × 3 step\(s\) but the windows hold 1 × 1/);
    const w2 = new SeriesWindows(new Float32Array(2 * T), 2, T, W, [0], H);
    expect(() => evaluateWindows(model, w2, { mean: [0, 0], std: [1, 1] }, [0])).toThrow(/reads 1 feature\(s\) per step but the series has 2/);
    expect(() => evaluateWindows(model, windows, norm, [])).toThrow(/no windows/);
  });

  it('takes the first horizon step as the one-step-ahead prediction', () => {
    const one = oneStepPredictions(model, windows, norm, [10, 20]);
    const all = predictWindows(model, windows, [10, 20]);
    expect(one[1]).toBeCloseTo(denormalize(all[H]!, 0, norm), 9);
  });
});

describe('recursive multi-step forecasts', () => {
  const T = 60, W = 4;
  const raw = d2lSineSeries(new Rng(9), T);
  const norm = fitZScore(raw, 1, T, 40);

  /** The d2l definition written out: predict from the last τ values, append, H at a time. */
  function byHand(model: ForecastModel<Float64Array>, values: Float32Array, origin: number, steps: number, H: number): number[] {
    const ws = model.createWorkspace(W, 1);
    const buf = Array.from(values.subarray(origin - W, origin));
    while (buf.length < W + steps) {
      ws.forward(buf.slice(-W));
      for (let h = 0; h < H; h++) buf.push(Math.fround(ws.predictions[h]!)); // columns are kept in float32
    }
    return buf.slice(W, W + steps).map((v) => denormalize(v, 0, norm));
  }

  for (const H of [1, 2]) {
    const windows = new SeriesWindows(applyZScore(raw, 1, T, norm), 1, T, W, [0], H);
    const model = new ForecastModel({ cell: 'gru', inputSize: 1, outputSize: 1, horizon: H, hiddenSize: 6, numLayers: 1, nonlinearity: 'tanh', dropout: 0 }, { dtype: Float64Array, rng: new Rng(2) });

    it(`feeds predictions back ${H} at a time from an origin inside the series, beside the observed values (horizon ${H})`, () => {
      const r = recursiveForecast(model, windows, norm, 30, 7);
      expect(r.index).toEqual([30, 31, 32, 33, 34, 35, 36]);
      const expected = byHand(model, windows.values, 30, 7, H);
      for (let i = 0; i < 7; i++) {
        expect(r.forecast[i]).toBeCloseTo(expected[i]!, 9);
        expect(r.actual[i]).toBeCloseTo(raw[30 + i]!, 5);
      }
    });

    it(`forecasts past the end of the series, where nothing is observed (horizon ${H})`, () => {
      const r = recursiveForecast(model, windows, norm, T, 5);
      expect(r.index[0]).toBe(T);
      expect([...r.actual].every(Number.isNaN)).toBe(true);
      const expected = byHand(model, windows.values, T, 5, H);
      for (let i = 0; i < 5; i++) expect(r.forecast[i]).toBeCloseTo(expected[i]!, 9);
    });

    it(`gives the k-step table the same predictions as a recursive forecast from each origin (horizon ${H})`, () => {
      const report = evaluateKStep(model, windows, norm, [1, 3, 5], 40);
      for (const r of [0, 5, report.origins.length - 1]) {
        const f = recursiveForecast(model, windows, norm, report.origins[r]!, 5);
        expect(report.predictions[0]![r]).toBeCloseTo(f.forecast[0]!, 9);
        expect(report.predictions[1]![r]).toBeCloseTo(f.forecast[2]!, 9);
        expect(report.predictions[2]![r]).toBeCloseTo(f.forecast[4]!, 9);
      }
    });
  }

  it('refuses a run with covariates and an origin without a full window before it, naming the field', () => {
    const field = (f: () => unknown) => { try { f(); } catch (e) { expect(e).toBeInstanceOf(SeriesError); return [(e as SeriesError).field, (e as Error).message]; } return undefined; };
    const two = new SeriesWindows(new Float32Array(2 * T), 2, T, W, [0]);
    const model2 = new ForecastModel({ cell: 'gru', inputSize: 2, outputSize: 1, hiddenSize: 3, numLayers: 1, nonlinearity: 'tanh', dropout: 0 }, { dtype: Float64Array, rng: new Rng(1) });
    const [f1, m1] = field(() => recursiveForecast(model2, two, { mean: [0, 0], std: [1, 1] }, 10, 3))!;
    expect(f1).toBe('covariates');
    expect(m1).toMatch(/covariates/);
    const windows = new SeriesWindows(applyZScore(raw, 1, T, norm), 1, T, W);
    const model = new ForecastModel({ cell: 'gru', inputSize: 1, outputSize: 1, hiddenSize: 3, numLayers: 1, nonlinearity: 'tanh', dropout: 0 }, { dtype: Float64Array, rng: new Rng(1) });
    expect(field(() => recursiveForecast(model, windows, norm, 3, 3))![0]).toBe('from');
    expect(field(() => recursiveForecast(model, windows, norm, T + 1, 3))![0]).toBe('from');
    expect(field(() => recursiveForecast(model, windows, norm, T, 0))![0]).toBe('steps');
  });
});
