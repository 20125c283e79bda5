import type { FloatArray } from '../tensor';
import { baselinePredictions, BASELINES, type BaselineName } from './baselines';
import { headSize, type ForecastModel, type ForecastWorkspace } from './forecast-model';
import { errorMetrics, type ErrorMetrics } from './metrics';
import { denormalize, SeriesError, type Normalization, type SeriesWindows } from './series';

/** Windows per forward when predicting many windows, so a workspace stays small whatever the split size. */
const CHUNK = 256;

/** Runs a forecaster over any number of windows, one workspace per batch size, made once. */
export class WindowPredictor<A extends FloatArray> {
  private readonly workspaces = new Map<number, ForecastWorkspace<A>>();

  constructor(readonly model: ForecastModel<A>, readonly window: number) {}

  /** x: (window·count·inputSize) time-major → (count, outputSize·horizon) normalised predictions, valid until the next call. */
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

function checkModelFits<A extends FloatArray>(model: ForecastModel<A>, windows: SeriesWindows): void {
  if (model.config.inputSize !== windows.features) {
    throw new SeriesError(`the model reads ${model.config.inputSize} feature(s) per step but the series has ${windows.features}`, 'covariates');
  }
  if (headSize(model.config) !== windows.outputSize) {
    throw new SeriesError(`the model predicts ${model.config.outputSize} target(s) × ${model.config.horizon ?? 1} step(s) but the windows hold ${windows.targets.length} × ${windows.horizon}`, 'horizon');
  }
}

/**
 * Normalised predictions (count, O·H) for windows `starts`, in chunks of at most 256 windows.
 * Pass a `predictor` kept across calls (e.g. per epoch) to reuse its workspaces.
 */
export function predictWindows<A extends FloatArray>(
  model: ForecastModel<A>, windows: SeriesWindows, starts: ArrayLike<number>, predictor: WindowPredictor<A> = new WindowPredictor(model, windows.window),
): Float64Array {
  checkModelFits(model, windows);
  const n = starts.length, width = windows.outputSize, W = windows.window, F = windows.features;
  const out = new Float64Array(n * width);
  const x = new Float32Array(W * Math.min(n, CHUNK) * F);
  for (let from = 0; from < n; from += CHUNK) {
    const count = Math.min(CHUNK, n - from);
    const xs = x.subarray(0, W * count * F);
    windows.fill(starts, from, count, xs, null);
    const pred = predictor.predict(xs, count);
    for (let i = 0; i < count * width; i++) out[from * width + i] = pred[i]!;
  }
  return out;
}

/** Normalised values (count, O·H) → original units, in place. */
function denormalizeRows(v: Float64Array, targets: readonly number[], horizon: number, norm: Normalization): Float64Array {
  const width = targets.length * horizon;
  for (let i = 0; i < v.length; i++) v[i] = denormalize(v[i]!, targets[Math.floor((i % width) / horizon)]!, norm);
  return v;
}

/** One-step-ahead predictions (the first horizon step) in original units for windows `starts`: (count, targets) row-major. */
export function oneStepPredictions<A extends FloatArray>(model: ForecastModel<A>, windows: SeriesWindows, norm: Normalization, starts: ArrayLike<number>): Float64Array {
  const n = starts.length, O = windows.targets.length, H = windows.horizon;
  if (n === 0) return new Float64Array(0);
  const pred = predictWindows(model, windows, starts);
  const out = new Float64Array(n * O);
  for (let b = 0; b < n; b++) for (let j = 0; j < O; j++) out[b * O + j] = denormalize(pred[b * O * H + j * H]!, windows.targets[j]!, norm);
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

/** One-step-ahead MSE (the first horizon step) of the model and the baselines over windows `starts`, in original units. */
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

export interface WindowEvaluationOptions<A extends FloatArray> {
  /** Period of the seasonal-naive baseline (default: the window τ); see baselinePredictions. */
  seasonalPeriod?: number;
  /** Reused across calls (e.g. per epoch) so workspaces are made once. */
  predictor?: WindowPredictor<A>;
}

export interface WindowEvaluation {
  /** Windows evaluated. */
  count: number;
  horizon: number;
  /** Feature index of each target. */
  targets: number[];
  model: ErrorMetrics;
  baselines: Record<BaselineName, ErrorMetrics>;
  /** Original units, (count, O·H) row-major: target j, step h at j·H + h. */
  predictions: Float64Array;
  truth: Float64Array;
  baselinePredictions: Record<BaselineName, Float64Array>;
  seasonalPeriod: number;
  /** Seasonal-naive predictions that fell back to the last value (no value one period back). */
  seasonalFallbacks: number;
}

/**
 * The model and every baseline on the same windows `starts`: MAE/RMSE/MSE in original and
 * normalised units, per horizon step and overall, plus the predictions and the truth in original
 * units. What the CLI, the training worker (per epoch on validation) and the app report.
 */
export function evaluateWindows<A extends FloatArray>(
  model: ForecastModel<A>, windows: SeriesWindows, norm: Normalization, starts: ArrayLike<number>, options: WindowEvaluationOptions<A> = {},
): WindowEvaluation {
  const n = starts.length, H = windows.horizon, O = windows.targets.length, width = O * H;
  const { window: W, length: T } = windows;
  if (n === 0) throw new SeriesError('there are no windows to evaluate');
  const pred = predictWindows(model, windows, starts, options.predictor);
  const truth = new Float64Array(n * width);
  for (let b = 0; b < n; b++) {
    const s = starts[b]!;
    if (!(s >= 0 && s + W + H <= T)) throw new SeriesError(`window start ${s} and its ${H} target step(s) do not fit a series of ${T} steps`);
    for (let j = 0; j < O; j++) for (let h = 0; h < H; h++) truth[b * width + j * H + h] = windows.values[windows.targets[j]! * T + s + W + h]!;
  }
  const base = baselinePredictions(windows, starts, { seasonalPeriod: options.seasonalPeriod });
  const metrics = (p: Float64Array) => errorMetrics(p, truth, n, windows.targets, H, norm);
  const baselines = {} as Record<BaselineName, ErrorMetrics>;
  for (const name of BASELINES) baselines[name] = metrics(base.values[name]);
  const report: WindowEvaluation = {
    count: n, horizon: H, targets: [...windows.targets], model: metrics(pred), baselines,
    predictions: pred, truth, baselinePredictions: base.values, seasonalPeriod: base.seasonalPeriod, seasonalFallbacks: base.seasonalFallbacks,
  };
  denormalizeRows(report.predictions, windows.targets, H, norm);
  denormalizeRows(report.truth, windows.targets, H, norm);
  for (const name of BASELINES) denormalizeRows(report.baselinePredictions[name], windows.targets, H, norm);
  return report;
}

/** Refuses recursive prediction unless every feature is a target, in order (predictions are fed back as inputs). */
function checkRecursive<A extends FloatArray>(model: ForecastModel<A>, windows: SeriesWindows, what: string): void {
  const F = windows.features;
  if (windows.targets.length !== F || windows.targets.some((f, j) => f !== j)) {
    throw new SeriesError(`${what} feed predictions back in, so every feature must be a target, in order; a run with covariates cannot do that (train on the target alone)`, 'covariates');
  }
  checkModelFits(model, windows);
}

/**
 * cols[(r·C + c)·F + f] holds observed values for c < τ; fills c = τ…C−1 by predicting H columns at
 * a time from the τ columns before them (the last block is cut at C).
 */
function rollForward<A extends FloatArray>(predictor: WindowPredictor<A>, cols: Float32Array, R: number, C: number, F: number, W: number, H: number): void {
  const x = new Float32Array(W * R * F);
  for (let c = W; c < C; c += H) {
    for (let t = 0; t < W; t++) for (let r = 0; r < R; r++) for (let f = 0; f < F; f++) x[(t * R + r) * F + f] = cols[(r * C + c - W + t) * F + f]!;
    const pred = predictor.predict(x, R);
    // prediction layout: row r, target f, step h at r·F·H + f·H + h
    for (let r = 0; r < R; r++) for (let f = 0; f < F; f++) for (let h = 0; h < H && c + h < C; h++) cols[(r * C + c + h) * F + f] = pred[(r * F + f) * H + h]!;
  }
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
 * prediction estimates step i + k − 1 (d2l 9.1's `features[:, tau + k − 1]`). A model with
 * horizon H predicts H steps per pass and all H are fed back. Every feature must
 * be predicted (targets = features 0…F−1, in order) so the predictions can be fed back.
 * `from` keeps only origins ≥ from (e.g. the validation part); default all of them.
 */
export function evaluateKStep<A extends FloatArray>(
  model: ForecastModel<A>, windows: SeriesWindows, norm: Normalization, ks: readonly number[], from?: number,
): KStepReport {
  const { features: F, length: T, window: W, horizon: H } = windows;
  checkRecursive(model, windows, 'k-step predictions');
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new SeriesError(`k must be positive integers, got [${ks.join(', ')}]`, 'k');
  const maxK = Math.max(...ks);
  const origins: number[] = [];
  for (let i = Math.max(W, from ?? W); i + maxK - 1 < T; i++) origins.push(i);
  const R = origins.length;
  if (R === 0) throw new SeriesError(`the series (${T} steps) is too short for a window of ${W} and ${maxK} steps ahead`, 'k');

  const C = W + maxK;
  const cols = new Float32Array(R * C * F);
  for (let r = 0; r < R; r++) for (let c = 0; c < W; c++) for (let f = 0; f < F; f++) cols[(r * C + c) * F + f] = windows.values[f * T + origins[r]! - W + c]!;
  rollForward(new WindowPredictor(model, W), cols, R, C, F, W, H);

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

export interface RecursiveForecast {
  /** Step index of each forecast value: origin, origin + 1, … (may run past the series end). */
  index: number[];
  /** Original units, (steps, targets) row-major; with the target alone simply one value per step. */
  forecast: Float64Array;
  /** The observed value at each step in original units, NaN past the end of the series. */
  actual: Float64Array;
}

/**
 * Recursive multi-step forecast from `origin` (d2l 9.1): the τ observed steps before `origin` are
 * fed in, each prediction is appended and fed back, `steps` times (H at a time for a horizon-H
 * model). `origin` may be anything in τ…T, so `origin = T` forecasts past the end of the series.
 * Needs every feature predicted: a run with covariates is refused (their future is unknown).
 */
export function recursiveForecast<A extends FloatArray>(
  model: ForecastModel<A>, windows: SeriesWindows, norm: Normalization, origin: number, steps: number,
): RecursiveForecast {
  const { features: F, length: T, window: W, horizon: H } = windows;
  checkRecursive(model, windows, 'recursive forecasts');
  if (!Number.isInteger(origin) || origin < W || origin > T) {
    throw new SeriesError(`the forecast origin must be a step index in ${W}..${T} (the ${W} steps before it are the observed window), got ${origin}`, 'from');
  }
  if (!Number.isInteger(steps) || steps < 1) throw new SeriesError(`the number of forecast steps must be a positive integer, got ${steps}`, 'steps');
  const C = W + steps;
  const cols = new Float32Array(C * F);
  for (let c = 0; c < W; c++) for (let f = 0; f < F; f++) cols[c * F + f] = windows.values[f * T + origin - W + c]!;
  rollForward(new WindowPredictor(model, W), cols, 1, C, F, W, H);
  const forecast = new Float64Array(steps * F), actual = new Float64Array(steps * F);
  for (let i = 0; i < steps; i++) {
    for (let f = 0; f < F; f++) {
      forecast[i * F + f] = denormalize(cols[(W + i) * F + f]!, f, norm);
      actual[i * F + f] = origin + i < T ? original(windows, norm, f, origin + i) : NaN;
    }
  }
  return { index: Array.from({ length: steps }, (_, i) => origin + i), forecast, actual };
}
