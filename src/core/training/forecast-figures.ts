/**
 * A forecaster's errors on a set of windows for the per-epoch `val` record and the command line's
 * summary: the training loss on normalised values, MSE / MAE / RMSE in the target's original units
 * over every predicted step, and the last-value baseline's on the same windows
 * (engine/forecast/evaluate.ts `evaluateWindows`).
 */
import { evaluateWindows, type WindowPredictor } from '../../engine/forecast/evaluate';
import type { ForecastModel } from '../../engine/forecast/forecast-model';
import type { Normalization, SeriesWindows } from '../../engine/forecast/series';
import { regressionLossForward, type RegressionLoss } from '../../engine/loss';

export interface WindowFigures {
  count: number;
  /** The training loss (mse, mae or huber) of the normalised predictions. */
  loss: number;
  mse: number;
  mae: number;
  rmse: number;
  baselineMse: number;
  baselineMae: number;
  baselineRmse: number;
}

export interface WindowFigureOptions {
  loss: RegressionLoss;
  seasonalPeriod?: number;
  /** Reused across epochs so workspaces are made once. */
  predictor?: WindowPredictor<Float32Array>;
}

export function windowFigures(model: ForecastModel<Float32Array>, windows: SeriesWindows, norm: Normalization, starts: Int32Array, options: WindowFigureOptions): WindowFigures {
  const r = evaluateWindows(model, windows, norm, starts, { seasonalPeriod: options.seasonalPeriod, predictor: options.predictor });
  const m = r.model, last = r.baselines.lastValue;
  return {
    count: r.count, loss: normalisedLoss(options.loss, r.predictions, r.truth, r.targets, r.horizon, norm, m.mseNorm, m.maeNorm),
    mse: m.mse, mae: m.mae, rmse: m.rmse, baselineMse: last.mse, baselineMae: last.mae, baselineRmse: last.rmse,
  };
}

/** MSE and MAE come with the metrics; Huber is computed on the predictions z-scored back (row layout j·H + h). */
function normalisedLoss(
  kind: RegressionLoss, pred: Float64Array, truth: Float64Array, targets: readonly number[], H: number, norm: Normalization, mseNorm: number, maeNorm: number,
): number {
  if (kind === 'mse') return mseNorm;
  if (kind === 'mae') return maeNorm;
  const width = targets.length * H;
  const z = (v: Float64Array) => v.map((x, i) => {
    const f = targets[Math.floor((i % width) / H)]!;
    return (x - norm.mean[f]!) / norm.std[f]!;
  });
  return regressionLossForward(kind, z(pred), z(truth), pred.length);
}
