/**
 * What a forecast run trains on: its series read from the run's CSV dataset by the shared loader
 * (core/forecast: the same columns, missing-value policy and time-order checks as predictions and
 * exports read).
 */
import type { ForecastRunConfig } from '../../shared/forecast-config';
import type { FileSystem } from '../fs/file-system';
import { readForecastSeries, type ForecastSeries } from '../forecast/series-source';
import { readDataset } from '../store/datasets';

export type { ForecastSeries } from '../forecast/series-source';

export type LoadForecastSeries = (fs: FileSystem, projectDir: string, config: ForecastRunConfig) => Promise<ForecastSeries>;

export const loadForecastSeries: LoadForecastSeries = async (fs, projectDir, config) =>
  readForecastSeries(fs, projectDir, await readDataset(fs, projectDir, config.datasetId), config);
