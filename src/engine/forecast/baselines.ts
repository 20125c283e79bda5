import { SeriesError, type SeriesWindows } from './series';

/*
 * Naive forecasts every model is compared against, made on the same windows and laid out like the
 * model's predictions: (count, O·H) row-major, target j at h + 1 steps after the window at j·H + h.
 * They are computed in normalised units (the series the windows hold), so the training mean is 0.
 * Step k = h + 1 after a window starting at s is t = s + τ + h.
 */

export const BASELINES = ['lastValue', 'repeatWindow', 'seasonalNaive', 'mean'] as const;
export type BaselineName = (typeof BASELINES)[number];

export interface BaselineOptions {
  /** Period p of the seasonal-naive baseline in steps (default: the window τ). */
  seasonalPeriod?: number;
}

export interface BaselinePredictions {
  /** Per baseline, normalised predictions (count, O·H). */
  values: Record<BaselineName, Float64Array>;
  seasonalPeriod: number;
  /** Predictions where seasonal naive had no value one period back and used the last value instead. */
  seasonalFallbacks: number;
}

/**
 * - lastValue: x[s + τ − 1] for every step (persistence).
 * - repeatWindow: the window repeated cyclically, x[t − τ·⌈k/τ⌉] (step k reads window[(k − 1) mod τ]).
 * - seasonalNaive (period p): x[t − p·⌈k/p⌉], the latest observed value in the same phase. With
 *   p ≤ τ it reads inside the window; with p > τ it reads the observed series before the window
 *   (still past data, but beyond what the model sees). A step whose source would fall before the
 *   series start (t − p·⌈k/p⌉ < 0) uses the last value instead and is counted in `seasonalFallbacks`.
 * - mean: the training mean (0 in normalised units).
 */
export function baselinePredictions(windows: SeriesWindows, starts: ArrayLike<number>, options: BaselineOptions = {}): BaselinePredictions {
  const { length: T, window: W, horizon: H, values } = windows;
  const p = options.seasonalPeriod ?? W;
  if (!Number.isInteger(p) || p < 1) throw new SeriesError(`the seasonal period must be a positive integer, got ${p}`, 'seasonalPeriod');
  const O = windows.targets.length, n = starts.length, width = O * H;
  const out: Record<BaselineName, Float64Array> = {
    lastValue: new Float64Array(n * width), repeatWindow: new Float64Array(n * width), seasonalNaive: new Float64Array(n * width), mean: new Float64Array(n * width),
  };
  let seasonalFallbacks = 0;
  for (let b = 0; b < n; b++) {
    const s = starts[b]!;
    if (!(s >= 0 && s + W <= T)) throw new SeriesError(`window start ${s} does not fit a series of ${T} steps`);
    for (let j = 0; j < O; j++) {
      const row = windows.targets[j]! * T;
      const last = values[row + s + W - 1]!;
      for (let h = 0; h < H; h++) {
        const i = b * width + j * H + h, t = s + W + h, k = h + 1;
        out.lastValue[i] = last;
        out.repeatWindow[i] = values[row + t - W * Math.ceil(k / W)]!;
        const src = t - p * Math.ceil(k / p);
        if (src >= 0) out.seasonalNaive[i] = values[row + src]!;
        else { out.seasonalNaive[i] = last; seasonalFallbacks++; }
        // out.mean stays 0: the training mean in normalised units
      }
    }
  }
  return { values: out, seasonalPeriod: p, seasonalFallbacks };
}
