import type { Normalization } from './series';

/** Errors of one forecaster (model or baseline) over a set of windows. */
export interface ErrorMetrics {
  /** Original units, averaged over windows, targets and horizon steps. */
  mae: number;
  rmse: number;
  mse: number;
  /** The same on the z-scored values (comparable across targets of different scales). */
  maeNorm: number;
  rmseNorm: number;
  mseNorm: number;
  /** Per horizon step h (index 0: one step after the window), original units, averaged over windows and targets. */
  maePerStep: number[];
  rmsePerStep: number[];
  msePerStep: number[];
}

/**
 * Error metrics of predictions against truth, both normalised and laid out (count, O·H) with target
 * j, step h at j·H + h; `targets[j]` is the feature of target j, whose std scales errors back to
 * original units. Sums run in float64.
 */
export function errorMetrics(
  pred: ArrayLike<number>, truth: ArrayLike<number>, count: number, targets: readonly number[], horizon: number, norm: Normalization,
): ErrorMetrics {
  const O = targets.length, H = horizon, width = O * H;
  const ae = new Float64Array(H), se = new Float64Array(H);
  let aeNorm = 0, seNorm = 0;
  for (let b = 0; b < count; b++) {
    for (let j = 0; j < O; j++) {
      const sd = norm.std[targets[j]!]!;
      for (let h = 0; h < H; h++) {
        const i = b * width + j * H + h;
        const d = pred[i]! - truth[i]!;
        aeNorm += Math.abs(d);
        seNorm += d * d;
        ae[h]! += Math.abs(d) * sd;
        se[h]! += d * d * sd * sd;
      }
    }
  }
  const perStep = count * O, all = perStep * H;
  const msePerStep = Array.from(se, (v) => v / perStep);
  const mse = se.reduce((a, v) => a + v, 0) / all;
  const mseNorm = seNorm / all;
  return {
    mae: ae.reduce((a, v) => a + v, 0) / all, rmse: Math.sqrt(mse), mse,
    maeNorm: aeNorm / all, rmseNorm: Math.sqrt(mseNorm), mseNorm,
    maePerStep: Array.from(ae, (v) => v / perStep), rmsePerStep: msePerStep.map(Math.sqrt), msePerStep,
  };
}
