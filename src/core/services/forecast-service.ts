/**
 * Forecast runs as the app sees them: creating one on a CSV dataset (the series is checked against
 * the settings before the run folder exists, so a refusal leaves nothing behind), its detail for
 * the live training view, the forecast view's figures from its last checkpoint, a recursive
 * forecast past the end, and its weight export. Figures are in the target's original units.
 */
import { exportForecaster, type ForecastExportMeta } from '../../engine/export';
import { evaluateKStep, evaluateWindows, oneStepPredictions, recursiveForecast } from '../../engine/forecast/evaluate';
import type { BaselineName } from '../../engine/forecast/baselines';
import { applyZScore, SeriesError, SeriesWindows, splitWindows } from '../../engine/forecast/series';
import { AppError } from '../../shared/errors';
import { FORECAST_KS, type ErrorFigures, type ForecastDetail, type ForecastFuture, type ForecastView } from '../../shared/forecast';
import { forecastConfigSchema, isForecastConfig, type ForecastRunConfig } from '../../shared/forecast-config';
import type { RunSummaryDto } from '../../shared/runs';
import { readCsvTable } from '../datasets/read-dataset';
import { safetensorsPaths, writeExportFiles, type ExportFormat, type ExportRunResult } from '../export/export-run';
import { loadForecastCheckpoint, seriesFromColumns, tableColumns } from '../forecast/forecast-run';
import type { FileSystem } from '../fs/file-system';
import { readDataset } from '../store/datasets';
import { createRun, readRun, readRunConfig, type RunConfigJson } from '../store/runs';
import type { DatasetRecord } from '../store/schemas';
import { StoreError } from '../store/store-error';
import { checkpointInfos, readCheckpointEntries, readMetrics } from './run-files';
import { loggedProgress, type RunsService } from './runs-service';
import { ServiceError } from './service-error';

/** Windows predicted per forward pass, so a long series never needs one huge workspace. */
const CHUNK = 2048;

/** A stored or submitted forecast config, validated; the first problem names its field. */
export function parseForecastConfig(raw: unknown): ForecastRunConfig {
  const parsed = forecastConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? issue.path.join('.') : '';
  throw new ServiceError('InvalidConfig', { field }, `The forecast settings are not valid (${field ? `${field}: ` : ''}${issue?.message ?? 'malformed'}).`);
}

/**
 * The run's series read back from its dataset exactly as training builds it (the missing-value
 * policy applied, the time column checked), with the x axis: the time column's values at the kept
 * rows (milliseconds since the epoch for a date column), or the source row numbers.
 */
export async function readRunSeries(fs: FileSystem, projectDir: string, config: ForecastRunConfig, record: DatasetRecord) {
  if (record.stats.kind !== 'csv') {
    throw new ServiceError('UnsupportedDataset', { datasetId: record.id, kind: record.kind }, `Forecast runs train on a numeric series (a CSV dataset); “${record.name}” is a text dataset.`);
  }
  const table = await readCsvTable(fs, projectDir, record);
  const series = seriesFromColumns(tableColumns(table), config);
  const timeValues = config.timeColumn !== null ? table.columns.get(config.timeColumn) : undefined;
  const timeKind = table.stats.columns.find((c) => c.name === config.timeColumn)?.kind;
  return { ...series, x: timeValues ? Array.from(series.rows, (r) => timeValues[r]!) : Array.from(series.rows), xTime: timeKind === 'time' };
}

async function datasetOf(fs: FileSystem, projectDir: string, datasetId: string): Promise<DatasetRecord> {
  try {
    return await readDataset(fs, projectDir, datasetId);
  } catch (e) {
    if (e instanceof StoreError && (e.code === 'NotFound' || e.code === 'InvalidId')) throw new ServiceError('DatasetNotFound', { datasetId });
    throw e;
  }
}

/** MAE and RMSE of predictions against the truth over rows [from, to) where both exist. */
export function errorFigures(actual: ArrayLike<number>, predicted: ArrayLike<number | null>, from: number, to: number): ErrorFigures | null {
  let ae = 0, se = 0, n = 0;
  for (let t = from; t < to; t++) {
    const p = predicted[t];
    if (p === null || p === undefined) continue;
    const e = p - actual[t]!;
    ae += Math.abs(e);
    se += e * e;
    n++;
  }
  return n === 0 ? null : { mae: ae / n, rmse: Math.sqrt(se / n), count: n };
}

type Loaded = Awaited<ReturnType<ForecastService['load']>>;

export class ForecastService {
  constructor(readonly fs: FileSystem, private readonly runs: RunsService) {}

  async create(projectDir: string, raw: unknown): Promise<RunSummaryDto> {
    const config = parseForecastConfig(raw);
    const record = await datasetOf(this.fs, projectDir, config.datasetId);
    await readRunSeries(this.fs, projectDir, config, record);
    const run = await createRun(this.fs, projectDir, { config: config as unknown as RunConfigJson, name: config.name ?? `forecast ${config.target}` });
    return this.summary(projectDir, run.id);
  }

  async summary(projectDir: string, runId: string): Promise<RunSummaryDto> {
    return { ...(await this.runs.summary(projectDir, await readRun(this.fs, projectDir, runId))), task: 'forecast' };
  }

  async get(projectDir: string, runId: string): Promise<ForecastDetail> {
    const raw = await readRunConfig(this.fs, projectDir, runId);
    if (!isForecastConfig(raw)) throw new AppError('NotAForecastRun', `Run ${runId} is a text run; open it in the training view.`, { runId });
    const config = parseForecastConfig(raw);
    const [summary, metrics, entries, record] = await Promise.all([
      this.summary(projectDir, runId),
      readMetrics(this.fs, projectDir, runId),
      readCheckpointEntries(this.fs, projectDir, runId),
      readDataset(this.fs, projectDir, config.datasetId).catch(() => null),
    ]);
    return {
      run: summary.progress === null ? { ...summary, progress: loggedProgress(metrics, config.epochs) } : summary,
      config,
      metrics,
      checkpoints: checkpointInfos(entries, metrics),
      datasetName: record ? record.source.originalName : null,
    };
  }

  /** The trained model at its last checkpoint with the run's series, normalised as in training. */
  async load(projectDir: string, runId: string) {
    const { config, model, state, checkpoint } = await loadForecastCheckpoint(this.fs, projectDir, runId);
    const record = await datasetOf(this.fs, projectDir, config.datasetId);
    const series = await readRunSeries(this.fs, projectDir, config, record);
    const F = series.features.length, T = series.length;
    const horizon = state.horizon ?? config.horizon;
    const windows = new SeriesWindows(applyZScore(series.raw, F, T, state.normalization), F, T, config.window, [0], horizon);
    return { config, model, state, checkpoint, series, windows, norm: state.normalization };
  }

  async view(projectDir: string, runId: string): Promise<ForecastView> {
    const { config, model, state, checkpoint, series, windows, norm } = await this.load(projectDir, runId);
    const T = series.length, W = config.window;
    const actual = Array.from(series.raw.subarray(0, T));
    const predicted: Array<number | null> = new Array<number | null>(T).fill(null);
    for (let from = 0; from < T - W; from += CHUNK) {
      const starts = Int32Array.from({ length: Math.min(CHUNK, T - W - from) }, (_, i) => from + i);
      const pred = oneStepPredictions(model, windows, norm, starts);
      for (let b = 0; b < starts.length; b++) predicted[starts[b]! + W] = pred[b]!;
    }
    const { trainEnd, valEnd } = state;
    const baselines = this.baselines(model, windows, norm, config, trainEnd, valEnd);
    let kStep: ForecastView['kStep'] = null;
    let kStepNote: string | null = null;
    if (series.features.length > 1) {
      kStepNote = 'k-step predictions feed each prediction back in as the next input, so they need a run on the target alone (this run has covariates).';
    } else {
      try {
        const r = evaluateKStep(model, windows, norm, FORECAST_KS, trainEnd);
        kStep = { k: r.k, mse: r.mse, lastValueMse: r.lastValueMse };
      } catch (e) {
        if (!(e instanceof SeriesError)) throw e;
        kStepNote = `The validation and test parts (${T - trainEnd} rows) are too short to predict ${Math.max(...FORECAST_KS)} steps ahead.`;
      }
    }
    return {
      checkpoint,
      target: config.target,
      xName: config.timeColumn,
      x: series.x,
      xTime: series.xTime,
      actual,
      predicted,
      window: W,
      trainEnd,
      valEnd,
      parts: { train: errorFigures(actual, predicted, W, trainEnd), val: errorFigures(actual, predicted, trainEnd, valEnd), test: errorFigures(actual, predicted, valEnd, T) },
      baselines,
      kStep,
      kStepNote,
    };
  }

  /**
   * d2l's recursive multi-step forecast: the `window` observed rows before `origin` are fed in and
   * each prediction is fed back, `steps` times. `origin` defaults to just past the end (a forecast
   * of the future); inside the series it shows how predictions drift from the actual values.
   */
  async future(projectDir: string, runId: string, steps: number, origin?: number): Promise<ForecastFuture> {
    const { model, series, windows, norm, config } = await this.load(projectDir, runId);
    if (series.features.length > 1) {
      throw new AppError('NeedsTargetOnly', `A recursive forecast feeds each prediction back in as the next input; run “${runId}” also reads ${config.covariates.join(', ')}, whose future values are unknown.`, { runId });
    }
    const from = origin ?? windows.length;
    if (from < windows.window || from > windows.length) {
      throw new AppError('OriginOutOfRange', `A forecast can start at row ${windows.window} at the earliest (it needs the ${windows.window} rows before it) and at row ${windows.length} (just past the end) at the latest; ${from} is outside.`, { runId, origin: from });
    }
    const r = recursiveForecast(model, windows, norm, from, steps);
    const index = r.index, forecast = Array.from(r.forecast);
    return { index, forecast };
  }

  /**
   * The model and the engine's four baselines on the test windows (the validation windows when
   * the test part holds none): MAE/RMSE in original units over every horizon step.
   */
  private baselines(model: Loaded['model'], windows: SeriesWindows, norm: Loaded['norm'], config: ForecastRunConfig, trainEnd: number, valEnd: number): ForecastView['baselines'] {
    const T = windows.length, W = windows.window, H = windows.horizon;
    const options = { horizon: H, stride: 1 };
    const test = valEnd - W >= 0 && T - valEnd >= H ? splitWindows(T, W, valEnd, options).val : new Int32Array(0);
    const part = test.length > 0 ? 'test' : 'val';
    const starts = part === 'test' ? test : splitWindows(valEnd, W, trainEnd, options).val;
    if (starts.length === 0) return { part, rows: [] };
    const e = evaluateWindows(model, windows, norm, starts, config.seasonalPeriod !== null ? { seasonalPeriod: config.seasonalPeriod } : {});
    const steps = H === 1 ? 'one step ahead' : `averaged over ${H} steps ahead`;
    const described: Record<BaselineName, [string, string]> = {
      lastValue: ['Last value', 'The last value of the window, repeated'],
      repeatWindow: ['Repeat last window', `The ${W} values of the window, repeated`],
      seasonalNaive: ['Seasonal naive', `The value ${e.seasonalPeriod} steps earlier`],
      mean: ['Mean', 'The training part’s mean'],
    };
    return {
      part,
      rows: [
        { name: 'This model', description: `${config.cell.toUpperCase()} ${config.numLayers}×${config.hiddenSize}, ${steps}`, mae: e.model.mae, rmse: e.model.rmse },
        ...Object.entries(described).map(([key, [name, description]]) => ({ name, description, mae: e.baselines[key as BaselineName].mae, rmse: e.baselines[key as BaselineName].rmse })),
      ],
    };
  }

  /** Safetensors (+ NAME.config.json) or ONNX of the run's checkpoint (default: the last). */
  async export(request: { projectDir: string; runId: string; checkpoint: string | null; format: ExportFormat; out: string }): Promise<ExportRunResult> {
    const { format, out, runId } = request;
    if (format !== 'safetensors' && format !== 'onnx') {
      throw new AppError('UnsupportedFormat', `A forecast run exports as PyTorch safetensors or ONNX; the ${format} export holds a text model and its vocabulary.`, { runId, format });
    }
    const { model, state, checkpoint } = await loadForecastCheckpoint(this.fs, request.projectDir, runId, request.checkpoint);
    const meta: ForecastExportMeta = { window: state.window, horizon: state.horizon, normalization: state.normalization, targets: state.targets, featureNames: state.features };
    const built = new Map(exportForecaster(model, meta, format === 'safetensors' ? 'pytorch' : 'onnx').map((f) => [f.name, f.bytes]));
    const paths = safetensorsPaths(out, ['config']);
    const files = format === 'onnx'
      ? [{ path: out, data: built.get('model.onnx')! }]
      : [{ path: paths.weights, data: built.get('model.safetensors')! }, { path: paths.companions.config!, data: built.get('config.json')! }];
    return { files: await writeExportFiles(this.fs, files), checkpoint };
  }

  /** What an export takes: the run's name and the checkpoint (refuses a run without one). */
  async inspectExport(projectDir: string, runId: string, checkpoint: string | null): Promise<{ runName: string; checkpoint: string }> {
    const run = await readRun(this.fs, projectDir, runId);
    const loaded = await loadForecastCheckpoint(this.fs, projectDir, runId, checkpoint);
    return { runName: run.name, checkpoint: loaded.checkpoint };
  }

  /** True when the stored run is a forecast run. */
  async isForecastRun(projectDir: string, runId: string): Promise<boolean> {
    return isForecastConfig(await readRunConfig(this.fs, projectDir, runId));
  }
}
