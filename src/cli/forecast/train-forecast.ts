/**
 * `rnn-lab train --task forecast`: imports a CSV series, creates a forecast run (config.json in
 * the forecast schema) and trains it through the same training host and in-process trainer as
 * text runs (training-session.ts): live progress, a checkpoint every epoch, Ctrl-C leaves the run
 * `interrupted` and `rnn-lab resume` continues it. Epoch lines report validation MSE/MAE in
 * original units beside the last-value baseline. The CSV and the settings are checked before the
 * project is touched, so a refusal leaves nothing behind.
 */
import { DatasetError } from '../../core/datasets/dataset-error';
import { NodeFileSystem } from '../../core/fs/node-file-system';
import { createRun, type RunConfigJson } from '../../core/store/runs';
import { forecastConfigSchema, type ForecastRunConfig } from '../../shared/forecast-config';
import { bool, flagHelp, parseFlags, str, type FlagTable } from '../args';
import type { CliIo } from '../io';
import { datasetForFile, lockProject, openOrCreateProject } from '../project-access';
import { trainSession } from '../training-session';
import { UsageError } from '../usage-error';
import { readCsvFile, seriesFromColumns, tableColumns } from '../../core/forecast/forecast-run';

export const forecastTrainFlags: FlagTable = {
  data: { kind: 'string', help: 'CSV file holding the series (imported into the project; reused if already there).', required: true },
  project: { kind: 'string', help: 'Project folder (created when missing).', required: true },
  task: { kind: 'string', help: 'forecast (this form); language (default) trains on text.', required: true },
  target: { kind: 'string', help: 'Column to forecast.', required: true },
  covariates: { kind: 'string', help: 'Further input columns, comma-separated.' },
  window: { kind: 'number', help: 'Input window: steps fed to predict the next one (default 4).' },
  horizon: { kind: 'number', help: 'Steps ahead predicted from one window (default 1).' },
  stride: { kind: 'number', help: 'Steps between consecutive window starts (default 1).' },
  'seasonal-period': { kind: 'number', help: 'Period of the seasonal-naive baseline in steps (default: from the time column, else the window).' },
  cell: { kind: 'string', help: 'rnn|gru|lstm (default gru).' },
  hidden: { kind: 'number', help: 'Hidden size (default 16).' },
  layers: { kind: 'number', help: 'Stacked layers (default 1).' },
  epochs: { kind: 'number', help: 'Epochs (default 5).' },
  lr: { kind: 'number', help: 'Adam learning rate (default 0.01).' },
  batch: { kind: 'number', help: 'Windows per minibatch (default 16).' },
  seed: { kind: 'number', help: 'Random seed (default 0).' },
  loss: { kind: 'string', help: 'Training loss on normalised values: mse|mae|huber (default mse).' },
  clip: { kind: 'number', help: 'Clip gradients to this global norm (default: no clipping).' },
  'train-fraction': { kind: 'number', help: 'Leading share of the rows for training (default 0.7).' },
  'val-fraction': { kind: 'number', help: 'Following share for validation (default 0.2); the rest is the test part.' },
  missing: { kind: 'string', help: 'Missing cells of the used columns: drop (the rows), ffill, interpolate (default) or refuse.' },
  name: { kind: 'string', help: 'Run name.' },
  json: { kind: 'boolean', help: 'One JSON object per line on stdout.' },
};

const FLAG_OF: Record<string, string> = {
  target: 'target', covariates: 'covariates', window: 'window', horizon: 'horizon', stride: 'stride', seasonalPeriod: 'seasonal-period', missing: 'missing',
  cell: 'cell', hiddenSize: 'hidden', numLayers: 'layers', epochs: 'epochs', lr: 'lr', batchSize: 'batch', seed: 'seed', loss: 'loss', clip: 'clip',
  trainFraction: 'train-fraction', valFraction: 'val-fraction', name: 'name',
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
  return trainSession({ projectDir, runId: run.id, json, resume: null, task: 'forecast' }, io);
}
