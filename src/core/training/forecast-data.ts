/**
 * What a forecast run trains on: its series read from the run's CSV dataset by the shared loader
 * (core/forecast, the same as predictions and exports read).
 */
import type { ForecastRunConfig } from '../../shared/forecast-config';
import type { FileSystem } from '../fs/file-system';
import { readCsvColumns } from '../datasets/read-dataset';
import { seriesFromColumns } from '../forecast/forecast-run';
import { readDataset } from '../store/datasets';

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
