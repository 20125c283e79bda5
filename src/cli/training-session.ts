/**
 * Trains one run from the command line and reports it: the same training host and executor as
 * the app, with the trainer on this thread (one run needs no worker). Prints one line per epoch
 * (a JSON object with `--json`), a status line on stderr when it is a terminal, and a summary.
 * Ctrl-C, SIGTERM and SIGHUP checkpoint and leave the run `interrupted`; `rnn-lab resume` continues it.
 * Forecast runs print their own epoch lines and summary (validation errors in original units
 * beside the last-value baseline; the test part's once the run has a checkpoint).
 */
import { constants as osConstants } from 'node:os';
import { NodeFileSystem } from '../core/fs/node-file-system';
import { loadForecastRun, type MissingReport } from '../core/forecast/forecast-run';
import { readMetrics } from '../core/services/run-files';
import { listCheckpoints } from '../core/store/checkpoints';
import { windowFigures } from '../core/training/forecast-figures';
import { splitWindows } from '../engine/forecast/series';
import { inProcessLauncher } from '../core/training/in-process-launcher';
import { TrainingHost } from '../core/training/training-host';
import type { TrainingOverrides } from '../core/training/run-settings';
import type { RunRecord } from '../core/store/schemas';
import type { MetricRecord, RunEvent, RunState } from '../shared/runs';
import type { CliIo } from './io';
import { duration, ProgressBar } from './progress-bar';

export interface SessionOptions {
  projectDir: string;
  runId: string;
  json: boolean;
  /** Continue the run (with these changes) rather than start it. */
  resume: TrainingOverrides | null;
  /** What the run trains (default 'language'): picks the epoch lines and the summary. */
  task?: 'language' | 'forecast';
}

/** A forecast run's epoch line (`--json`): losses normalised, errors in the target's original units. */
export interface ForecastEpochLine {
  type: 'epoch';
  epoch: number;
  train_loss: number | null;
  val_mse: number | null;
  val_mae: number | null;
  baseline_val_mae: number | null;
}

export interface EpochLine {
  type: 'epoch';
  epoch: number;
  train_ppl: number | null;
  val_ppl: number | null;
  grad_norm: number | null;
  lr: number | null;
  tokens_per_sec: number | null;
}

const fmt = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined ? '-' : Number(v.toPrecision(digits + 2)).toString());

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Exit code: 0 finished, 1 diverged or failed, 128 + the signal when stopped by one (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP). */
export async function trainSession(options: SessionOptions, io: CliIo): Promise<number> {
  const fs = new NodeFileSystem();
  const host = new TrainingHost({ fs, launcher: inProcessLauncher(fs), onError: (e) => io.err(`rnn-lab: ${e instanceof Error ? e.message : String(e)}`) });
  const bar = new ProgressBar(io.status ?? { isTTY: false, write: () => true });
  const valAt = new Map<number, number | null>();
  const last: { epoch: EpochLine | null; trainPpl: number | null; trainLoss: number | null } = { epoch: null, trainPpl: null, trainLoss: null };
  const say = (line: string) => {
    bar.clear();
    io.out(line);
  };

  const onEvent = (event: RunEvent) => {
    if (event.runId !== options.runId || event.projectDir !== options.projectDir) return;
    for (const m of event.metrics) handleMetric(m);
    for (const s of event.samples) if (!options.json) say(`  sample @ epoch ${s.epoch}: ${s.prefix}|${s.text.replace(/\n/g, '⏎')}`);
    const p = event.progress;
    if (p && event.state === 'running') {
      const train = forecast ? `train loss ${fmt(last.trainLoss)}` : `train ppl ${fmt(last.trainPpl)}`;
      bar.draw(p.epoch / p.totalEpochs, `epoch ${p.epoch.toFixed(2)}/${p.totalEpochs}  step ${p.step}  ${train}  ${duration(p.elapsedSec)} elapsed, ETA ${duration(p.etaSec)}`);
    }
  };
  const forecast = options.task === 'forecast';
  const forecastVal = new Map<number, MetricRecord>();
  const handleForecastMetric = (m: MetricRecord) => {
    if (m.kind === 'val') forecastVal.set(m.step, m);
    if (m.kind === 'train') last.trainLoss = m.loss ?? null;
    if (m.kind !== 'epoch') return;
    const v = forecastVal.get(m.step);
    const line: ForecastEpochLine = { type: 'epoch', epoch: m.epoch, train_loss: m.loss ?? null, val_mse: v?.mse ?? null, val_mae: v?.mae ?? null, baseline_val_mae: v?.baselineMae ?? null };
    if (options.json) say(JSON.stringify(line));
    else say(`epoch ${line.epoch}  train loss ${fmt(line.train_loss)}  val mse ${fmt(line.val_mse)}  val mae ${fmt(line.val_mae)}  (last value mae ${fmt(line.baseline_val_mae)})`);
  };
  const handleMetric = (m: MetricRecord) => {
    if (forecast) return handleForecastMetric(m);
    if (m.kind === 'val') valAt.set(m.step, m.perplexity ?? null);
    if (m.kind === 'train') last.trainPpl = m.perplexity ?? null;
    if (m.kind !== 'epoch') return;
    const line: EpochLine = {
      type: 'epoch', epoch: m.epoch, train_ppl: m.perplexity ?? null, val_ppl: valAt.get(m.step) ?? null, grad_norm: m.gradNorm ?? null, lr: m.lr ?? null,
      tokens_per_sec: m.tokensPerSec ?? null,
    };
    last.epoch = line;
    if (options.json) say(JSON.stringify(line));
    else say(`epoch ${line.epoch}  train ppl ${fmt(line.train_ppl)}  val ppl ${fmt(line.val_ppl)}  grad norm ${fmt(line.grad_norm)}  lr ${fmt(line.lr)}  ${line.tokens_per_sec === null ? '-' : Math.round(line.tokens_per_sec)} tok/s`);
  };
  const unsubscribe = host.subscribe(onEvent);

  // Ctrl-C, a terminal closing (SIGHUP) and a polite kill (SIGTERM, e.g. from a scheduler) all save
  // a checkpoint and leave the run `interrupted`, so resume continues it.
  let interrupted: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = signal;
    bar.clear();
    io.err(`rnn-lab: ${signal === 'SIGINT' ? 'interrupted' : `received ${signal}`}; saving a checkpoint (resume with rnn-lab resume)…`);
    void host.shutdown();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  try {
    const { projectDir, runId } = options;
    if (options.resume) await host.resume(projectDir, runId, options.resume);
    else await host.start(projectDir, runId);
    const run = await host.wait(projectDir, runId);
    bar.clear();
    const metrics = await readMetrics(fs, projectDir, runId);
    if (forecast) {
      await forecastSummary(fs, options, run, metrics, io);
      return exitCode(interrupted, run.state);
    }
    let best: number | null = null, lastVal: number | null = null, elapsed = 0, steps = 0, epochs = 0;
    for (const m of metrics) {
      if (m.kind === 'val' && typeof m.perplexity === 'number') {
        lastVal = m.perplexity;
        best = best === null ? m.perplexity : Math.min(best, m.perplexity);
      }
      if (m.kind === 'epoch') epochs = Math.max(epochs, m.epoch);
      elapsed = Math.max(elapsed, m.time);
      steps = Math.max(steps, m.step);
    }
    const summary = {
      type: 'summary', run: runId, project: projectDir, state: run.state, epochs, steps,
      train_ppl: last.epoch?.train_ppl ?? null, val_ppl: lastVal, best_val_ppl: best, elapsed_sec: elapsed, kernels: host.kernelsOf(projectDir, runId), message: run.message ?? null,
    };
    if (options.json) io.out(JSON.stringify(summary));
    else {
      io.out(`run ${runId}: ${run.state}${run.message ? ` — ${run.message}` : ''}`);
      io.out(`  ${epochs} epochs, ${steps} updates, ${duration(elapsed)} on ${host.kernelsOf(projectDir, runId) ?? '?'} kernels; best val ppl ${fmt(best)}`);
    }
    return exitCode(interrupted, run.state);
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    unsubscribe();
    bar.clear();
  }
}

/** 0 finished, 1 diverged or failed, 128 + the signal when stopped by one. */
function exitCode(signal: NodeJS.Signals | null, state: RunState): number {
  if (signal) return 128 + osConstants.signals[signal];
  if (state === 'interrupted') return 130;
  return state === 'done' ? 0 : 1;
}

/**
 * A forecast run's summary: the last validation record's errors and baseline (original units),
 * and the test part's one-step errors from the newest checkpoint (null when there is none).
 */
async function forecastSummary(fs: NodeFileSystem, options: SessionOptions, run: RunRecord, metrics: readonly MetricRecord[], io: CliIo): Promise<void> {
  const { projectDir, runId } = options;
  let val: MetricRecord | null = null, trainLoss: number | null = null, epochs = 0, steps = 0, elapsed = 0;
  for (const m of metrics) {
    if (m.kind === 'val') val = m;
    if (m.kind === 'epoch') {
      epochs = Math.max(epochs, m.epoch);
      trainLoss = m.loss ?? null;
    }
    steps = Math.max(steps, m.step);
    elapsed = Math.max(elapsed, m.time);
  }
  const { checkpoints } = await listCheckpoints(fs, projectDir, runId);
  let test: ReturnType<typeof windowFigures> | null = null;
  let normalization: { mean: number[]; std: number[] } | null = null;
  let missing: MissingReport | null = null;
  if (checkpoints.length > 0) {
    const loaded = await loadForecastRun(fs, projectDir, runId);
    normalization = loaded.norm;
    missing = loaded.missing;
    const c = loaded.config;
    const starts = loaded.valEnd < loaded.length ? splitWindows(loaded.length, c.window, loaded.valEnd, { horizon: c.horizon, stride: c.stride }).val : new Int32Array(0);
    if (starts.length > 0) test = windowFigures(loaded.model, loaded.windows, loaded.norm, starts, { loss: c.loss, ...(c.seasonalPeriod !== null && { seasonalPeriod: c.seasonalPeriod }) });
  }
  const sq = (v: number | null | undefined) => (typeof v === 'number' ? v * v : null);
  const summary = {
    type: 'summary', run: runId, project: projectDir, state: run.state, epochs, steps, train_loss: trainLoss,
    val_mse: val?.mse ?? null, val_mae: val?.mae ?? null, baseline_val_mse: sq(val?.baselineRmse), baseline_val_mae: val?.baselineMae ?? null,
    test_mse: test?.mse ?? null, test_mae: test?.mae ?? null, baseline_test_mse: test?.baselineMse ?? null, baseline_test_mae: test?.baselineMae ?? null,
    checkpoint: checkpoints.at(-1)?.name ?? null, normalization, missing, elapsed_sec: elapsed, message: run.message ?? null,
  };
  if (options.json) io.out(JSON.stringify(summary));
  else {
    const gaps = missing?.columns.filter((c) => c.missing > 0) ?? [];
    if (missing && gaps.length > 0) {
      io.out(`missing values (${missing.policy}): ${gaps.map((c) => `${c.name} ${c.missing} (${missing.policy === 'drop' ? `${c.dropped} rows dropped` : `${c.filled} filled`})`).join(', ')}`);
    }
    io.out(`run ${runId}: ${run.state}${run.message ? ` — ${run.message}` : ''}`);
    io.out(`  ${epochs} epochs, ${steps} updates, ${duration(elapsed)}; val mse ${fmt(summary.val_mse)} (last value ${fmt(summary.baseline_val_mse)}), test mse ${fmt(summary.test_mse)} (last value ${fmt(summary.baseline_test_mse)})`);
  }
}
