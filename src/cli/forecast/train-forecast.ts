/**
 * `rnn-lab train --task forecast`: imports a CSV series, creates a forecast run (config.json in
 * the forecast schema), trains the engine forecaster in-process and stores it like a text run:
 * run.json states, metrics.log records, and a checkpoint holding the parameters with the
 * normalisation in its metadata. Epoch lines report validation MSE/MAE in original units beside
 * the last-value baseline. The CSV is read and checked before the project is touched, so a
 * refusal leaves nothing behind.
 */
import { DatasetError } from '../../core/datasets/dataset-error';
import { NodeFileSystem } from '../../core/fs/node-file-system';
import { saveCheckpoint } from '../../core/store/checkpoints';
import { METRICS_LOG, runFile } from '../../core/store/layout';
import { LogWriter } from '../../core/store/record-log';
import { createRun, setRunState, type RunConfigJson } from '../../core/store/runs';
import { oneStepPredictions } from '../../engine/forecast/evaluate';
import { applyZScore, fitZScore, SeriesWindows, splitWindows } from '../../engine/forecast/series';
import { trainForecaster } from '../../engine/forecast/train';
import { Rng } from '../../engine/rng';
import { forecastConfigSchema, type ForecastRunConfig } from '../../shared/forecast-config';
import { bool, flagHelp, parseFlags, str, type FlagTable } from '../args';
import type { CliIo } from '../io';
import { datasetForFile, lockProject, openOrCreateProject } from '../project-access';
import { UsageError } from '../usage-error';
import { buildForecastModel, readCsvFile, seriesFromColumns, splitPoints, tableColumns, type ForecastCheckpointState } from '../../core/forecast/forecast-run';

export const forecastTrainFlags: FlagTable = {
  data: { kind: 'string', help: 'CSV file holding the series (imported into the project; reused if already there).', required: true },
  project: { kind: 'string', help: 'Project folder (created when missing).', required: true },
  task: { kind: 'string', help: 'forecast (this form); language (default) trains on text.', required: true },
  target: { kind: 'string', help: 'Column to forecast.', required: true },
  covariates: { kind: 'string', help: 'Further input columns, comma-separated.' },
  window: { kind: 'number', help: 'Input window: steps fed to predict the next one (default 4).' },
  cell: { kind: 'string', help: 'rnn|gru|lstm (default gru).' },
  hidden: { kind: 'number', help: 'Hidden size (default 16).' },
  layers: { kind: 'number', help: 'Stacked layers (default 1).' },
  epochs: { kind: 'number', help: 'Epochs (default 5).' },
  lr: { kind: 'number', help: 'Adam learning rate (default 0.01).' },
  batch: { kind: 'number', help: 'Windows per minibatch (default 16).' },
  seed: { kind: 'number', help: 'Random seed (default 0).' },
  'train-fraction': { kind: 'number', help: 'Leading share of the rows for training (default 0.7).' },
  'val-fraction': { kind: 'number', help: 'Following share for validation (default 0.2); the rest is the test part.' },
  missing: { kind: 'string', help: 'Missing cells of the used columns: drop (the rows), ffill, interpolate (default) or refuse.' },
  name: { kind: 'string', help: 'Run name.' },
  json: { kind: 'boolean', help: 'One JSON object per line on stdout.' },
};

const FLAG_OF: Record<string, string> = {
  target: 'target', covariates: 'covariates', window: 'window', cell: 'cell', hiddenSize: 'hidden', numLayers: 'layers', epochs: 'epochs',
  lr: 'lr', batchSize: 'batch', seed: 'seed', trainFraction: 'train-fraction', valFraction: 'val-fraction', name: 'name', missing: 'missing',
};

/** The forecast config from the flags, validated; errors name the flag. */
function configFromFlags(f: Map<string, string | number | boolean>, datasetId: string): ForecastRunConfig {
  const raw: Record<string, unknown> = { task: 'forecast', datasetId, target: str(f, 'target') };
  const covariates = str(f, 'covariates');
  if (covariates !== undefined) raw.covariates = covariates.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const [key, flag] of Object.entries(FLAG_OF)) if (key !== 'target' && key !== 'covariates' && f.has(flag)) raw[key] = f.get(flag);
  const parsed = forecastConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const flag = FLAG_OF[key];
    throw new UsageError(flag ? `--${flag}: ${issue.message} (got ${JSON.stringify(raw[key])})` : `${key || 'config'}: ${issue.message}`);
  }
  return parsed.data;
}

interface ValFigures { mse: number; mae: number; baselineMse: number; baselineMae: number; count: number }

/** One-step MSE/MAE in original units over windows `starts`, and the last-value baseline's. */
function oneStepFigures(model: ReturnType<typeof buildForecastModel>, windows: SeriesWindows, norm: { mean: number[]; std: number[] }, starts: Int32Array): ValFigures {
  const pred = oneStepPredictions(model, windows, norm, starts);
  const T = windows.length, W = windows.window;
  const orig = (t: number) => windows.values[t]! * norm.std[0]! + norm.mean[0]!;
  let se = 0, ae = 0, bse = 0, bae = 0;
  for (let b = 0; b < starts.length; b++) {
    const s = starts[b]!;
    if (s + W >= T) throw new RangeError(`window ${s} has no target`);
    const truth = orig(s + W), last = orig(s + W - 1), e = pred[b]! - truth, be = last - truth;
    se += e * e; ae += Math.abs(e); bse += be * be; bae += Math.abs(be);
  }
  const n = starts.length;
  return { mse: se / n, mae: ae / n, baselineMse: bse / n, baselineMae: bae / n, count: n };
}

export const forecastTrainUsage =
  ['Usage: rnn-lab train --task forecast --data FILE.csv --target COL --project DIR [settings] [--json]', '', ...flagHelp(forecastTrainFlags)].join('\n');

export async function trainForecastCommand(args: string[], io: CliIo): Promise<number> {
  const f = parseFlags(args, forecastTrainFlags);
  if (str(f, 'task') !== 'forecast') throw new UsageError(`--task: must be language or forecast (got ${JSON.stringify(str(f, 'task'))})`);
  const pending = configFromFlags(f, 'pending');
  const dataPath = str(f, 'data')!;
  let csv: Awaited<ReturnType<typeof readCsvFile>>;
  try {
    csv = await readCsvFile(dataPath);
  } catch (e) {
    if (e instanceof DatasetError) throw new UsageError(`--data: ${dataPath} cannot be read as a CSV series (${e.message})`);
    if ((e as { code?: unknown }).code === 'ENOENT') throw new UsageError(`--data: no such file: ${dataPath}`);
    throw e;
  }
  seriesFromColumns(tableColumns(csv), pending); // every refusal of the data happens here, before the project is touched

  const fs = new NodeFileSystem();
  const projectDir = await openOrCreateProject(fs, str(f, 'project')!);
  await lockProject(fs, projectDir); // released when the command ends
  const { dataset, reused } = await datasetForFile(fs, projectDir, dataPath, 'csv');
  const config: ForecastRunConfig = { ...pending, datasetId: dataset.id };
  const run = await createRun(fs, projectDir, { config: config as unknown as RunConfigJson, name: config.name ?? `forecast ${config.target}` });
  const json = bool(f, 'json');
  if (json) io.out(JSON.stringify({ type: 'run', run: run.id, project: projectDir, dataset: dataset.id, dataset_reused: reused, config }));
  else io.out(`forecast run ${run.id} in ${projectDir} (dataset ${dataset.id}${reused ? ', already imported' : ''}): ${config.cell} ${config.numLayers}×${config.hiddenSize}, window ${config.window}, ${config.epochs} epochs`);

  const { raw, length, features, missing } = seriesFromColumns(tableColumns(csv), config);
  const F = features.length;
  const { trainEnd, valEnd } = splitPoints(length, config);
  const norm = fitZScore(raw, F, length, trainEnd);
  const windows = new SeriesWindows(applyZScore(raw, F, length, norm), F, length, config.window, [0]);
  const { train, val } = splitWindows(valEnd, config.window, trainEnd);
  const test = valEnd < length ? splitWindows(length, config.window, valEnd).val : new Int32Array(0);
  const rng = new Rng(config.seed);
  const model = buildForecastModel(config, F, rng);

  await setRunState(fs, projectDir, run.id, 'running');
  const started = performance.now();
  const records: unknown[] = [];
  let last: ValFigures | null = null;
  try {
    trainForecaster(model, windows, train, { epochs: config.epochs, batchSize: config.batchSize, optimizer: { kind: 'adam', lr: config.lr }, rng }, (e) => {
      last = oneStepFigures(model, windows, norm, val);
      const time = (performance.now() - started) / 1000;
      records.push({ kind: 'forecast', epoch: e.epoch, step: e.epoch, time, trainLoss: e.trainLoss, valMse: last.mse, valMae: last.mae, baselineValMse: last.baselineMse, baselineValMae: last.baselineMae });
      const line = { type: 'epoch', epoch: e.epoch, train_loss: e.trainLoss, val_mse: last.mse, val_mae: last.mae, baseline_val_mae: last.baselineMae };
      io.out(json ? JSON.stringify(line) : `epoch ${e.epoch}/${config.epochs}  train loss ${e.trainLoss.toFixed(4)}  val mse ${last.mse.toFixed(4)}  val mae ${last.mae.toFixed(4)}  (last value mae ${last.baselineMae.toFixed(4)})`);
    });
  } catch (e) {
    await setRunState(fs, projectDir, run.id, 'failed', { message: e instanceof Error ? e.message : String(e) });
    throw e;
  }
  const log = await LogWriter.open(fs, runFile(projectDir, run.id, METRICS_LOG));
  try {
    await log.append(records);
  } finally {
    await log.close();
  }
  const state: ForecastCheckpointState = { task: 'forecast', normalization: norm, features, window: config.window, horizon: config.horizon, targets: [0], trainEnd, valEnd };
  const checkpoint = await saveCheckpoint(fs, projectDir, run.id, { step: config.epochs, tensors: model.params, state });
  await setRunState(fs, projectDir, run.id, 'done', { message: 'Forecast run: its view in the app is not built yet; use rnn-lab evaluate / forecast.' });
  const v = last as ValFigures | null;
  const t = test.length > 0 ? oneStepFigures(model, windows, norm, test) : null;
  const summary = {
    type: 'summary', run: run.id, project: projectDir, state: 'done', epochs: config.epochs,
    val_mse: v?.mse ?? null, val_mae: v?.mae ?? null, baseline_val_mse: v?.baselineMse ?? null, baseline_val_mae: v?.baselineMae ?? null,
    test_mse: t?.mse ?? null, baseline_test_mse: t?.baselineMse ?? null, checkpoint: checkpoint.name, normalization: norm, missing,
  };
  if (json) io.out(JSON.stringify(summary));
  else if (missing.columns.some((c) => c.missing > 0)) io.out(`missing values (${missing.policy}): ${missing.columns.filter((c) => c.missing > 0).map((c) => `${c.name} ${c.missing} (${missing.policy === 'drop' ? `${c.dropped} rows dropped` : `${c.filled} filled`})`).join(', ')}`);
  if (!json) io.out(`done: val mse ${v?.mse.toFixed(4)} (last value ${v?.baselineMse.toFixed(4)}), test mse ${t ? t.mse.toFixed(4) : '-'}; checkpoint ${checkpoint.name}`);
  return 0;
}
