/**
 * A forecaster's one-step error on a set of windows, in the target's original units and
 * normalised, beside the last-value baseline on the same windows: what the per-epoch `val`
 * record and the command line's summary report.
 */
import { oneStepPredictions } from '../../engine/forecast/evaluate';
import type { ForecastModel } from '../../engine/forecast/forecast-model';
import type { Normalization, SeriesWindows } from '../../engine/forecast/series';

export interface WindowFigures {
  count: number;
  /** MSE of the normalised prediction (the training loss's units). */
  loss: number;
  mse: number;
  mae: number;
  rmse: number;
  baselineMse: number;
  baselineMae: number;
  baselineRmse: number;
}

/** Figures for the target (feature 0) over windows `starts`; the baseline repeats each window's last value. */
export function oneStepFigures(model: ForecastModel<Float32Array>, windows: SeriesWindows, norm: Normalization, starts: Int32Array): WindowFigures {
  const pred = oneStepPredictions(model, windows, norm, starts);
  const T = windows.length, W = windows.window;
  const std = norm.std[0]!, mean = norm.mean[0]!;
  const orig = (t: number) => windows.values[t]! * std + mean;
  let se = 0, ae = 0, bse = 0, bae = 0;
  for (let b = 0; b < starts.length; b++) {
    const s = starts[b]!;
    if (s + W >= T) throw new RangeError(`window ${s} has no target`);
    const truth = orig(s + W), last = orig(s + W - 1), e = pred[b]! - truth, be = last - truth;
    se += e * e; ae += Math.abs(e); bse += be * be; bae += Math.abs(be);
  }
  const n = starts.length;
  const mse = se / n, baselineMse = bse / n;
  return { count: n, loss: mse / (std * std), mse, mae: ae / n, rmse: Math.sqrt(mse), baselineMse, baselineMae: bae / n, baselineRmse: Math.sqrt(baselineMse) };
}
