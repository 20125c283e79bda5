export { baselinePredictions, BASELINES, type BaselineName, type BaselineOptions, type BaselinePredictions } from './baselines';
export { D2L_SERIES, d2lSineSeries } from './d2l';
export {
  evaluateKStep, evaluateOneStep, evaluateWindows, oneStepPredictions, predictWindows, recursiveForecast, WindowPredictor,
  type KStepReport, type OneStepReport, type RecursiveForecast, type WindowEvaluation, type WindowEvaluationOptions,
} from './evaluate';
export { ForecastConfigError, ForecastModel, ForecastWorkspace, headSize, type ForecastConfig, type ForecastForwardOptions } from './forecast-model';
export { errorMetrics, type ErrorMetrics } from './metrics';
export { applyZScore, denormalize, fitZScore, SeriesError, SeriesWindows, shuffledBatches, splitWindows, type Normalization, type WindowOptions } from './series';
export {
  checkPosition, FORECAST_OPTIM_PREFIX, FORECAST_TRAINER_FORMAT, ForecastTrainer, trainForecaster,
  type ForecastEpoch, type ForecastStepResult, type ForecastTrainerOptions, type ForecastTrainerPosition, type ForecastTrainerState, type ForecastTrainOptions,
} from './train';
