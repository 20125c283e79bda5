import type { FloatArray } from '../tensor';
import type { ForecastModel, ForecastWorkspace } from './forecast-model';
import { denormalize, SeriesError, type Normalization, type SeriesWindows } from './series';

/** Runs a forecaster over any number of windows, one workspace per batch size, made once. */
export class WindowPredictor<A extends FloatArray> {
  private readonly workspaces = new Map<number, ForecastWorkspace<A>>();

  constructor(readonly model: ForecastModel<A>, readonly window: number) {}

  /** x: (window·count·inputSize) time-major → (count, outputSize) normalised predictions, valid until the next call. */
  predict(x: ArrayLike<number>, count: number): A {
    let ws = this.workspaces.get(count);
    if (ws === undefined) {
      ws = this.model.createWorkspace(this.window, count);
      this.workspaces.set(count, ws);
    }
    ws.forward(x);
    return ws.predictions;
  }
}

/** One-step-ahead predictions in original units for windows `starts`: (count, targets) row-major. */
export function oneStepPredictions<A extends FloatArray>(model: ForecastModel<A>, windows: SeriesWindows, norm: Normalization, starts: ArrayLike<number>): Float64Array {
  const n = starts.length, O = windows.targets.length;
  if (n === 0) return new Float64Array(0);
  const x = new Float32Array(windows.window * n * windows.features);
  windows.fill(starts, 0, n, x, null);
  const pred = new WindowPredictor(model, windows.window).predict(x, n);
  const out = new Float64Array(n * O);
  for (let b = 0; b < n; b++) for (let j = 0; j < O; j++) out[b * O + j] = denormalize(pred[b * O + j]!, windows.targets[j]!, norm);
  return out;
}

/** The value of `feature` at step t in original units. */
function original(windows: SeriesWindows, norm: Normalization, feature: number, t: number): number {
  return denormalize(windows.values[feature * windows.length + t]!, feature, norm);
}

export interface OneStepReport {
  /** Windows evaluated. */
  count: number;
  /** MSE in original units, averaged over windows and targets. */
  mse: number;
  /** Baselines on the same windows: the window's last value, and the training mean. */
  lastValueMse: number;
  meanMse: number;
}

/** One-step-ahead MSE of the model and the baselines over windows `starts`, in original units. */
export function evaluateOneStep<A extends FloatArray>(model: ForecastModel<A>, windows: SeriesWindows, norm: Normalization, starts: ArrayLike<number>): OneStepReport {
  const n = starts.length, O = windows.targets.length, W = windows.window;
  if (n === 0) throw new SeriesError('there are no windows to evaluate');
  const pred = oneStepPredictions(model, windows, norm, starts);
  let se = 0, last = 0, mean = 0;
  for (let b = 0; b < n; b++) {
    const s = starts[b]!;
    for (let j = 0; j < O; j++) {
      const f = windows.targets[j]!;
      const truth = original(windows, norm, f, s + W);
      se += (pred[b * O + j]! - truth) ** 2;
      last += (original(windows, norm, f, s + W - 1) - truth) ** 2;
      mean += (norm.mean[f]! - truth) ** 2;
    }
  }
  const m = n * O;
  return { count: n, mse: se / m, lastValueMse: last / m, meanMse: mean / m };
}

export interface KStepReport {
  k: number[];
  /** Per k: MSE in original units of the k-step-ahead prediction, and of the baselines, over the same rows. */
  mse: number[];
  lastValueMse: number[];
  meanMse: number[];
  /** Index of the first predicted step of each row (its origin: observations end just before it). */
  origins: number[];
  /** Per k, the k-step-ahead predictions in original units (row-major: origin, target), aligned with step origin + k − 1. */
  predictions: Float64Array[];
}

/**
 * d2l's k-step-ahead predictions: for every origin i (rows i = τ…T−maxK), the τ observed values
 * before i are fed in, then each prediction is appended and fed back in, maxK times; the k-th
 * prediction estimates step i + k − 1 (d2l 9.1's `features[:, tau + k − 1]`). Every feature must
 * be predicted (targets = features 0…F−1, in order) so the predictions can be fed back.
 * `from` keeps only origins ≥ from (e.g. the validation part); default all of them.
 */
export function evaluateKStep<A extends FloatArray>(
  model: ForecastModel<A>, windows: SeriesWindows, norm: Normalization, ks: readonly number[], from?: number,
): KStepReport {
  const { features: F, length: T, window: W } = windows;
  if (windows.targets.length !== F || windows.targets.some((f, j) => f !== j)) {
    throw new SeriesError('k-step predictions feed predictions back in, so every feature must be a target, in order');
  }
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new SeriesError(`k must be positive integers, got [${ks.join(', ')}]`);
  const maxK = Math.max(...ks);
  const origins: number[] = [];
  for (let i = Math.max(W, from ?? W); i + maxK - 1 < T; i++) origins.push(i);
  const R = origins.length;
  if (R === 0) throw new SeriesError(`the series (${T} steps) is too short for a window of ${W} and ${maxK} steps ahead`);

  // cols[(r·(W + maxK) + c)·F + f]: observed for c < W, predicted after
  const C = W + maxK;
  const cols = new Float32Array(R * C * F);
  for (let r = 0; r < R; r++) for (let c = 0; c < W; c++) for (let f = 0; f < F; f++) cols[(r * C + c) * F + f] = windows.values[f * T + origins[r]! - W + c]!;
  const predictor = new WindowPredictor(model, W);
  const x = new Float32Array(W * R * F);
  for (let c = W; c < C; c++) {
    for (let t = 0; t < W; t++) for (let r = 0; r < R; r++) for (let f = 0; f < F; f++) x[(t * R + r) * F + f] = cols[(r * C + c - W + t) * F + f]!;
    const pred = predictor.predict(x, R);
    for (let r = 0; r < R; r++) for (let f = 0; f < F; f++) cols[(r * C + c) * F + f] = pred[r * F + f]!;
  }

  const report: KStepReport = { k: [...ks], mse: [], lastValueMse: [], meanMse: [], origins, predictions: [] };
  for (const k of ks) {
    const preds = new Float64Array(R * F);
    let se = 0, last = 0, mean = 0;
    for (let r = 0; r < R; r++) {
      const i = origins[r]!;
      for (let f = 0; f < F; f++) {
        const p = denormalize(cols[(r * C + W + k - 1) * F + f]!, f, norm);
        preds[r * F + f] = p;
        const truth = original(windows, norm, f, i + k - 1);
        se += (p - truth) ** 2;
        last += (original(windows, norm, f, i - 1) - truth) ** 2;
        mean += (norm.mean[f]! - truth) ** 2;
      }
    }
    report.mse.push(se / (R * F));
    report.lastValueMse.push(last / (R * F));
    report.meanMse.push(mean / (R * F));
    report.predictions.push(preds);
  }
  return report;
}
