/**
 * Trains a forecast run the app created, in this process, the way `rnn-lab train --task forecast`
 * does (engine trainForecaster, z-score on the training part, a checkpoint with the state the
 * loaders read), and tells the page as the training host would: a `runs:update` event per epoch
 * with the contract's metric records. Used by the e2e test only while the training host cannot
 * train forecast configs yet (the host refuses them and the run ends 'failed').
 */
import { readCsvColumns } from '../../src/core/datasets/read-dataset';
import { buildForecastModel, seriesFromColumns, splitPoints, type ForecastCheckpointState } from '../../src/core/forecast/forecast-run';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { saveCheckpoint } from '../../src/core/store/checkpoints';
import { readDataset } from '../../src/core/store/datasets';
import { METRICS_LOG, runFile } from '../../src/core/store/layout';
import { LogWriter } from '../../src/core/store/record-log';
import { readRunConfig, setRunState } from '../../src/core/store/runs';
import { oneStepPredictions } from '../../src/engine/forecast/evaluate';
import { applyZScore, fitZScore, SeriesWindows, splitWindows } from '../../src/engine/forecast/series';
import { trainForecaster } from '../../src/engine/forecast/train';
import { Rng } from '../../src/engine/rng';
import { forecastConfigSchema } from '../../src/shared/forecast-config';
import type { EmitEvent } from '../../src/shared/ipc/handlers';
import type { MetricRecord } from '../../src/shared/runs';

export async function trainForecastRunInProcess(projectDir: string, runId: string, emit: EmitEvent): Promise<void> {
  const fs = new NodeFileSystem();
  const config = forecastConfigSchema.parse(await readRunConfig(fs, projectDir, runId));
  const columns = await readCsvColumns(fs, projectDir, await readDataset(fs, projectDir, config.datasetId));
  const { raw, length, features } = seriesFromColumns({ names: [...columns.keys()], numeric: () => true, values: (n) => columns.get(n)! }, config);
  const F = features.length;
  const { trainEnd, valEnd } = splitPoints(length, config);
  const norm = fitZScore(raw, F, length, trainEnd);
  const windows = new SeriesWindows(applyZScore(raw, F, length, norm), F, length, config.window, [0]);
  const { train, val } = splitWindows(valEnd, config.window, trainEnd);
  const rng = new Rng(config.seed);
  const model = buildForecastModel(config, F, rng);
  await setRunState(fs, projectDir, runId, 'running');
  const log = await LogWriter.open(fs, runFile(projectDir, runId, METRICS_LOG));
  const started = performance.now();
  const epochs: Array<{ epoch: number; records: MetricRecord[] }> = [];
  trainForecaster(model, windows, train, { epochs: config.epochs, batchSize: config.batchSize, optimizer: { kind: 'adam', lr: config.lr }, rng }, (e) => {
    const pred = oneStepPredictions(model, windows, norm, val);
    let se = 0, ae = 0, bse = 0, bae = 0;
    for (let b = 0; b < val.length; b++) {
      const t = val[b]! + config.window;
      const err = pred[b]! - raw[t]!, base = raw[t - 1]! - raw[t]!;
      se += err * err; ae += Math.abs(err); bse += base * base; bae += Math.abs(base);
    }
    const n = val.length, time = (performance.now() - started) / 1000;
    epochs.push({ epoch: e.epoch, records: [
      { kind: 'train', step: e.epoch, epoch: e.epoch, time, loss: e.trainLoss, lr: config.lr },
      { kind: 'val', step: e.epoch, epoch: e.epoch, time, loss: se / n / norm.std[0]! ** 2, mse: se / n, mae: ae / n, rmse: Math.sqrt(se / n), baselineMae: bae / n, baselineRmse: Math.sqrt(bse / n) },
    ] });
  });
  const state: ForecastCheckpointState = { task: 'forecast', normalization: norm, features, window: config.window, horizon: config.horizon, targets: [0], trainEnd, valEnd };
  try {
    for (const { epoch, records } of epochs) {
      await log.append(records);
      emit('runs:update', {
        projectDir, runId, state: 'running', message: null, divergence: null, samples: [], metrics: records,
        progress: { epoch, totalEpochs: config.epochs, step: epoch, elapsedSec: records[0]!.time, etaSec: null },
      });
      await new Promise((r) => setTimeout(r, 150)); // the page sees the curves grow
    }
  } finally {
    await log.close();
  }
  const checkpoint = await saveCheckpoint(fs, projectDir, runId, { step: config.epochs, tensors: model.params, state });
  await setRunState(fs, projectDir, runId, 'done');
  emit('runs:update', {
    projectDir, runId, state: 'done', message: null, divergence: null, samples: [], metrics: [],
    progress: { epoch: config.epochs, totalEpochs: config.epochs, step: config.epochs, elapsedSec: (performance.now() - started) / 1000, etaSec: null },
    checkpoints: [{ name: checkpoint.name, step: checkpoint.step, epoch: config.epochs, valPerplexity: null, best: true }],
  });
}
