/**
 * What the forecast commands share: reading a CSV series and checking it against the run
 * settings (refusals name the column and row), the contiguous split, the model, and a stored
 * forecast run loaded back (config.json, the series from its dataset, the last checkpoint with
 * the normalisation in its metadata). Used by the command line, the training worker and the app;
 * refusals are ForecastErrors naming the config field.
 */
import { readFile } from 'node:fs/promises';
import { CsvReader } from '../datasets/csv-reader';
import { readCsvColumns } from '../datasets/read-dataset';
import { SourceDecoder } from '../datasets/source-decoder';
import type { FileSystem } from '../fs/file-system';
import { listCheckpoints, loadCheckpoint } from '../store/checkpoints';
import { readDataset } from '../store/datasets';
import { readRunConfig } from '../store/runs';
import type { CsvStats } from '../store/schemas';
import { ForecastModel } from '../../engine/forecast/forecast-model';
import { applyZScore, SeriesWindows, type Normalization } from '../../engine/forecast/series';
import type { Rng } from '../../engine/rng';
import { forecastConfigSchema, isForecastConfig, type ForecastRunConfig } from '../../shared/forecast-config';
import { ForecastError } from './forecast-error';

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

/** A CSV file read as the importer reads it: its column stats and numeric rows with their line numbers. */
export async function readCsvFile(path: string): Promise<{ stats: CsvStats; rows: Float64Array[]; lines: number[] }> {
  const rows: Float64Array[] = [];
  const lines: number[] = [];
  const reader = new CsvReader((values, line) => {
    rows.push(values);
    lines.push(line);
  });
  const decoder = new SourceDecoder((t) => reader.push(t));
  decoder.push(new Uint8Array(await readFile(path)));
  decoder.end();
  return { stats: reader.finish(), rows, lines };
}

/** Feature names in model order: the target, then the covariates. */
export const featureNames = (c: Pick<ForecastRunConfig, 'target' | 'covariates'>): string[] => [c.target, ...c.covariates];

/** Step where the training part ends and where the validation part ends (the test part follows). */
export function splitPoints(length: number, c: Pick<ForecastRunConfig, 'trainFraction' | 'valFraction'>): { trainEnd: number; valEnd: number } {
  const trainEnd = Math.round(length * c.trainFraction);
  const valEnd = Math.min(length, Math.round(length * (c.trainFraction + c.valFraction)));
  return { trainEnd, valEnd };
}

/**
 * The series as the model reads it (feature-major, original units), checked: every named column
 * must be a numeric column with no missing cell, and the split must leave at least one training
 * and one validation window. Problems are ForecastErrors naming the field, column and row.
 */
export function seriesFromColumns(
  columns: { names: string[]; numeric: (name: string) => boolean; values: (name: string) => ArrayLike<number>; lines?: number[] },
  c: ForecastRunConfig,
): { raw: Float64Array; length: number; features: string[] } {
  const features = featureNames(c);
  const numericNames = columns.names.filter(columns.numeric);
  if (numericNames.length === 0) throw new ForecastError('NoNumericColumn', 'The file has no numeric column to forecast.', 'data');
  for (const [i, name] of features.entries()) {
    const field = i === 0 ? 'target' : 'covariates';
    if (!columns.names.includes(name)) throw new ForecastError('UnknownColumn', `There is no column "${name}" in the data (numeric columns: ${numericNames.join(', ')}).`, field, { column: name });
    if (!columns.numeric(name)) throw new ForecastError('NotNumericColumn', `Column "${name}" is not numeric (numeric columns: ${numericNames.join(', ')}).`, field, { column: name });
  }
  if (new Set(features).size !== features.length) throw new ForecastError('DuplicateColumn', 'A column is named twice (the target is always an input).', 'covariates');
  const length = columns.values(c.target).length;
  const raw = new Float64Array(features.length * length);
  for (const [f, name] of features.entries()) {
    const v = columns.values(name);
    for (let t = 0; t < length; t++) {
      const x = v[t]!;
      if (!Number.isFinite(x)) throw new ForecastError('MissingValue', `Column "${name}" has a missing value in row ${t + 1}${columns.lines ? ` (line ${columns.lines[t]})` : ''}; fill it in or drop the row.`, 'data', { column: name, row: t + 1 });
      raw[f * length + t] = x;
    }
  }
  const { trainEnd, valEnd } = splitPoints(length, c);
  if (length < c.window + c.horizon || trainEnd < c.window + c.horizon || valEnd <= trainEnd) {
    throw new ForecastError('TooFewRows', `${length} rows are too few for a window of ${c.window} plus a horizon of ${c.horizon} in both the training part (${trainEnd} rows) and the validation part (${Math.max(0, valEnd - trainEnd)} rows).`, 'data', { rows: length });
  }
  return { raw, length, features };
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
  const columns = await readCsvColumns(fs, projectDir, record);
  const { raw, length, features } = seriesFromColumns({
    names: [...columns.keys()], numeric: () => true, values: (n) => columns.get(n)!,
  }, config);
  const windows = new SeriesWindows(applyZScore(raw, features.length, length, state.normalization), features.length, length, config.window, [0], config.horizon);
  return { config, model, norm: state.normalization, windows, length, trainEnd: state.trainEnd, valEnd: state.valEnd };
}
