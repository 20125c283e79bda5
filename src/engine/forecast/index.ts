export { D2L_SERIES, d2lSineSeries } from './d2l';
export { evaluateKStep, evaluateOneStep, oneStepPredictions, WindowPredictor, type KStepReport, type OneStepReport } from './evaluate';
export { ForecastConfigError, ForecastModel, ForecastWorkspace, type ForecastConfig, type ForecastForwardOptions } from './forecast-model';
export { applyZScore, denormalize, fitZScore, SeriesError, SeriesWindows, shuffledBatches, splitWindows, type Normalization } from './series';
export { trainForecaster, type ForecastEpoch, type ForecastTrainOptions } from './train';
