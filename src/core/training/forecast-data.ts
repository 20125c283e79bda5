/**
 * What a forecast run trains on: its series read from the run's CSV dataset by the shared loader
 * (core/forecast, the same as predictions and exports read), and the settings this build cannot
 * train yet, refused before anything is written.
 */
import type { ForecastRunConfig } from '../../shared/forecast-config';
import type { FileSystem } from '../fs/file-system';
import { readCsvColumns } from '../datasets/read-dataset';
import { seriesFromColumns } from '../forecast/forecast-run';
import { readDataset } from '../store/datasets';
import { TrainingError } from './training-error';

export interface ForecastSeries {
  /** Feature-major values in original units: raw[f·length + t]. */
  raw: Float64Array;
  length: number;
  /** Column names in input order (the target first). */
  features: string[];
}

export type LoadForecastSeries = (fs: FileSystem, projectDir: string, config: ForecastRunConfig) => Promise<ForecastSeries>;

export const loadForecastSeries: LoadForecastSeries = async (fs, projectDir, config) => {
  const record = await readDataset(fs, projectDir, config.datasetId);
  const columns = await readCsvColumns(fs, projectDir, record);
  return seriesFromColumns({ names: [...columns.keys()], numeric: () => true, values: (n) => columns.get(n)! }, config);
};

/**
 * Refuses (`UnsupportedSetting`, naming the field) what the forecasting engine cannot train yet,
 * rather than training something else than the config says: a horizon beyond one step, and a
 * loss other than MSE.
 */
export function checkForecastSupport(config: Pick<ForecastRunConfig, 'horizon' | 'loss'>): void {
  if (config.horizon !== 1) {
    throw new TrainingError('UnsupportedSetting', `A horizon of ${config.horizon} steps cannot be trained yet: forecasters predict one step ahead (horizon 1).`, { field: 'horizon', value: config.horizon });
  }
  if (config.loss !== 'mse') {
    throw new TrainingError('UnsupportedSetting', `The ${config.loss} loss cannot be trained yet: forecasters train on mean squared error (loss mse).`, { field: 'loss', value: config.loss });
  }
}
