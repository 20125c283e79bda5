/**
 * What the forecast commands share: reading a CSV series and checking it against the run
 * settings (refusals name the column and row), the contiguous split, the model, and a stored
 * forecast run loaded back (config.json, the series from its dataset, the last checkpoint with
 * the normalisation in its metadata). Used by the command line, the training worker and the app;
 * refusals are ForecastErrors naming the config field.
 */
import { readFile } from 'node:fs/promises';
import { CsvTableBuilder, type CsvTable } from '../datasets/read-dataset';
import { SourceDecoder } from '../datasets/source-decoder';
import type { FileSystem } from '../fs/file-system';
import { listCheckpoints, loadCheckpoint } from '../store/checkpoints';
import { readDataset } from '../store/datasets';
import { readRunConfig } from '../store/runs';
import { ForecastModel } from '../../engine/forecast/forecast-model';
import { applyZScore, SeriesWindows, type Normalization } from '../../engine/forecast/series';
import type { Rng } from '../../engine/rng';
import { forecastConfigSchema, isForecastConfig, type ForecastRunConfig } from '../../shared/forecast-config';
import { ForecastError } from './forecast-error';
import { buildSeries, readForecastSeries, type ForecastSeries, type MissingReport, type SeriesColumns } from './series-source';

/** The checkpoint state blob of a forecast run. */
export interface ForecastCheckpointState {
  task: 'forecast';
  normalization: Normalization;
  /** Column names in input order (the target first); with `window`, `horizon` and `targets` what an export needs (engine/export/forecast-export.ts). */
  features: string[];
  window: number;
  horizon: number;
  /** Feature index of each model output. */
  targets: number[];
  trainEnd: number;
  valEnd: number;
}

/**
 * A CSV file read as the importer reads it: its column stats, its numeric and time columns, and
 * the line number of each row. A file with no
 * numeric column is not refused here: the series check refuses it as NoNumericColumn.
 */
export async function readCsvFile(path: string): Promise<CsvTable> {
  const builder = new CsvTableBuilder({ requireNumeric: false });
  const decoder = new SourceDecoder((t) => builder.reader.push(t));
  decoder.push(new Uint8Array(await readFile(path)));
  decoder.end();
  return builder.finish();
}

export { splitPoints } from '../../shared/forecast-config';
export { featureNames, tableColumns, type ForecastSeries, type MissingReport, type SeriesColumns } from './series-source';

/**
 * The series as the model reads it (feature-major, original units), checked, with missing cells
 * handled by the run's policy (`c.missing`) and the time column (`c.timeColumn`) checked for
 * order; the split must leave at least one training and one validation window. Problems are
 * ForecastErrors naming the field, column and row. See series-source.ts.
 */
export function seriesFromColumns(columns: SeriesColumns, c: ForecastRunConfig): ForecastSeries {
  return buildSeries(columns, c);
}

export function buildForecastModel(c: ForecastRunConfig, features: number, rng?: Rng): ForecastModel<Float32Array> {
  return new ForecastModel({
    cell: c.cell, inputSize: features, outputSize: 1, horizon: c.horizon, loss: c.loss, hiddenSize: c.hiddenSize, numLayers: c.numLayers, nonlinearity: 'tanh', dropout: 0,
  }, { dtype: Float32Array, rng });
}

export interface LoadedForecastRun {
  config: ForecastRunConfig;
  model: ForecastModel<Float32Array>;
  norm: Normalization;
  /** Normalised windows over the whole series. */
  windows: SeriesWindows;
  length: number;
  trainEnd: number;
  valEnd: number;
  /** The time column's text of each step (for the x axis), or null when the run has no time column. */
  time: string[] | null;
  /** What the run's missing-value policy did to the dataset. */
  missing: MissingReport;
}

/** A forecast run's config and trained model at a checkpoint (default: the last), with its checkpoint state. */
export async function loadForecastCheckpoint(fs: FileSystem, projectDir: string, runId: string, checkpoint: string | null = null): Promise<{
  config: ForecastRunConfig; model: ForecastModel<Float32Array>; state: ForecastCheckpointState; checkpoint: string;
}> {
  const rawConfig = await readRunConfig(fs, projectDir, runId);
  if (!isForecastConfig(rawConfig)) throw new ForecastError('NotAForecastRun', `Run ${runId} is a text run; this works on forecast runs only.`, 'run', { run: runId });
  const parsed = forecastConfigSchema.safeParse(rawConfig);
  if (!parsed.success) throw new ForecastError('CorruptForecastRun', `Run ${runId}: its config.json is not a valid forecast config (${parsed.error.issues[0]?.message ?? 'malformed'}).`, 'run', { run: runId });
  const config = parsed.data;
  const { checkpoints } = await listCheckpoints(fs, projectDir, runId);
  const chosen = checkpoint === null ? checkpoints.at(-1) : checkpoints.find((c) => c.name === checkpoint);
  if (!chosen) {
    throw checkpoint === null
      ? new ForecastError('NoCheckpoint', `Run ${runId} has no checkpoint yet (it has not finished an epoch).`, 'run', { run: runId })
      : new ForecastError('NoCheckpoint', `Run ${runId} has no checkpoint "${checkpoint}" (it has: ${checkpoints.map((c) => c.name).join(', ') || 'none'}).`, 'checkpoint', { run: runId });
  }
  const bundle = await loadCheckpoint(fs, projectDir, runId, chosen.name);
  const state = bundle.state as ForecastCheckpointState;
  const model = buildForecastModel(config, state.features.length);
  // training checkpoints also hold the optimizer's slots (`optim.*`): only the parameters load
  model.loadParameters(new Map([...(bundle.tensors as ReadonlyMap<string, { shape: number[]; data: Float32Array }>)].filter(([name]) => model.params.has(name))));
  return { config, model, state, checkpoint: chosen.name };
}

/** A trained forecast run, ready to predict: refuses text runs and runs with no checkpoint. */
export async function loadForecastRun(fs: FileSystem, projectDir: string, runId: string): Promise<LoadedForecastRun> {
  const { config, model, state } = await loadForecastCheckpoint(fs, projectDir, runId);
  const record = await readDataset(fs, projectDir, config.datasetId);
  const { raw, length, features, time, missing } = await readForecastSeries(fs, projectDir, record, config);
  const windows = new SeriesWindows(applyZScore(raw, features.length, length, state.normalization), features.length, length, config.window, [0], config.horizon);
  return { config, model, norm: state.normalization, windows, length, trainEnd: state.trainEnd, valEnd: state.valEnd, time, missing };
}
