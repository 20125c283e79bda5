import type { Rng } from '../rng';

/*
 * Windowed series data (d2l "Sequence Models"): a series of F features × T steps, stored
 * feature-major (series[f·T + t]); windows of τ steps predict the next H values (horizon H).
 * The split is contiguous: training windows have all their targets before `trainEnd`, validation
 * windows at or after it (their inputs may reach back into the training part).
 */

export class SeriesError extends RangeError {
  /** The run-config field the problem concerns (e.g. 'window', 'horizon', 'covariates'), when one does. */
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'SeriesError';
  }
}

/** Per-feature mean and standard deviation (population, ddof 0), fitted on the training split only. */
export interface Normalization {
  mean: number[];
  std: number[];
}

function checkShape(series: ArrayLike<number>, features: number, length: number): void {
  if (!Number.isInteger(features) || features < 1) throw new SeriesError(`a series needs at least one feature, got ${features}`);
  if (series.length !== features * length) throw new SeriesError(`series holds ${series.length} values, expected ${features} features × ${length} steps`);
}

/**
 * Mean and std of each feature over steps [0, trainEnd). A feature constant over that range
 * gets std 1 (it is only shifted), so normalising never divides by zero.
 */
export function fitZScore(series: ArrayLike<number>, features: number, length: number, trainEnd: number): Normalization {
  checkShape(series, features, length);
  if (!Number.isInteger(trainEnd) || trainEnd < 1 || trainEnd > length) throw new SeriesError(`the training split must end within 1..${length}, got ${trainEnd}`);
  const mean: number[] = [], std: number[] = [];
  for (let f = 0; f < features; f++) {
    let s = 0;
    for (let t = 0; t < trainEnd; t++) s += series[f * length + t]!;
    const m = s / trainEnd;
    let v = 0;
    for (let t = 0; t < trainEnd; t++) { const d = series[f * length + t]! - m; v += d * d; }
    const sd = Math.sqrt(v / trainEnd);
    mean.push(m);
    std.push(sd > 0 && Number.isFinite(sd) ? sd : 1);
  }
  return { mean, std };
}

/** (x − mean) / std per feature, as a new array. */
export function applyZScore(series: ArrayLike<number>, features: number, length: number, norm: Normalization): Float32Array {
  checkShape(series, features, length);
  const out = new Float32Array(features * length);
  for (let f = 0; f < features; f++) {
    const m = norm.mean[f]!, s = norm.std[f]!;
    for (let t = 0; t < length; t++) out[f * length + t] = (series[f * length + t]! - m) / s;
  }
  return out;
}

/** A normalised value of `feature` back in original units. */
export function denormalize(value: number, feature: number, norm: Normalization): number {
  return value * norm.std[feature]! + norm.mean[feature]!;
}

export interface WindowOptions {
  /** Steps predicted after each window (default 1). */
  horizon?: number;
  /** Steps between consecutive window starts (default 1). */
  stride?: number;
}

function positiveInteger(value: number, field: string, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new SeriesError(`${what} must be a positive integer, got ${value}`, field);
}

/**
 * Window starts s (inputs s…s+τ−1, targets s+τ…s+τ+H−1) of the contiguous train and validation
 * splits. Training windows have every target before `trainEnd`; validation windows have every
 * target in [trainEnd, length), so with H > 1 the H − 1 windows straddling trainEnd belong to
 * neither. Each split's starts run every `stride` steps from its first window: training from 0,
 * validation from trainEnd − τ (its first window predicts the step right after training).
 * For a third (test) split call it again: splitWindows(valEnd, …, trainEnd) and
 * splitWindows(length, …, valEnd).val.
 */
export function splitWindows(length: number, window: number, trainEnd: number, options: WindowOptions = {}): { train: Int32Array; val: Int32Array } {
  const { horizon: H = 1, stride: S = 1 } = options;
  positiveInteger(window, 'window', 'the input window');
  positiveInteger(H, 'horizon', 'the horizon');
  positiveInteger(S, 'stride', 'the stride');
  const need = H === 1 ? 'the value to predict' : `the ${H} values to predict`;
  if (length < window + H) throw new SeriesError(`a series of ${length} steps is shorter than one window of ${window} plus ${need}`, 'window');
  if (!(trainEnd >= window + H && trainEnd <= length)) {
    throw new SeriesError(`the training split (${trainEnd} steps) must hold at least one window of ${window} plus ${H === 1 ? 'its target' : `its ${H} targets`}`, 'trainFraction');
  }
  // starts from, from + S, … while the window's last target s + τ + H − 1 stays before end
  const starts = (from: number, end: number) => Int32Array.from({ length: Math.max(0, Math.floor((end - window - H - from) / S) + 1) }, (_, i) => from + i * S);
  return { train: starts(0, trainEnd), val: starts(trainEnd - window, length) };
}

/** A normalised series cut into windows: fills time-major inputs and the next `horizon` values of each target for any list of window starts. */
export class SeriesWindows {
  /** Feature index of each predicted value. */
  readonly targets: number[];
  /** Values per window in y: targets.length · horizon. */
  readonly outputSize: number;

  constructor(
    readonly values: Float32Array,
    readonly features: number,
    readonly length: number,
    readonly window: number,
    targets: number[] = [0],
    /** Steps predicted after each window. */
    readonly horizon: number = 1,
  ) {
    checkShape(values, features, length);
    if (targets.length === 0 || targets.some((f) => !Number.isInteger(f) || f < 0 || f >= features)) {
      throw new SeriesError(`target features must be among 0…${features - 1}, got [${targets.join(', ')}]`, 'target');
    }
    positiveInteger(horizon, 'horizon', 'the horizon');
    this.targets = [...targets];
    this.outputSize = targets.length * horizon;
  }

  /**
   * For windows starts[from…from+count): x[(t·count + b)·F + f] = value of feature f at start_b + t,
   * y[b·(O·H) + j·H + h] = value of target j at start_b + τ + h (skipped when y is null).
   */
  fill(starts: ArrayLike<number>, from: number, count: number, x: Float32Array | Float64Array, y: Float32Array | Float64Array | null): void {
    const { features: F, length: T, window: W, horizon: H, values } = this;
    const O = this.targets.length;
    for (let b = 0; b < count; b++) {
      const s = starts[from + b]!;
      if (!(s >= 0 && s + W + (y ? H - 1 : 0) < T + (y ? 0 : 1))) throw new SeriesError(`window start ${s} does not fit a series of ${T} steps`);
      for (let t = 0; t < W; t++) {
        const row = (t * count + b) * F;
        for (let f = 0; f < F; f++) x[row + f] = values[f * T + s + t]!;
      }
      if (y) {
        for (let j = 0; j < O; j++) {
          const src = this.targets[j]! * T + s + W, dst = b * O * H + j * H;
          for (let h = 0; h < H; h++) y[dst + h] = values[src + h]!;
        }
      }
    }
  }
}

/** Window starts shuffled by `rng` and cut into minibatches of `batch` (the last may be smaller). */
export function shuffledBatches(starts: Int32Array, batch: number, rng: Rng): Int32Array[] {
  if (!Number.isInteger(batch) || batch < 1) throw new SeriesError(`the batch size must be a positive integer, got ${batch}`);
  const order = Int32Array.from(starts);
  rng.shuffle(order);
  const out: Int32Array[] = [];
  for (let i = 0; i < order.length; i += batch) out.push(order.subarray(i, Math.min(order.length, i + batch)));
  return out;
}
