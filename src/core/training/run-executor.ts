/**
 * Trains one run: the loop a trainer worker runs (and the command line and crash tests run
 * in-process). It owns the run's files while it trains — metrics.log, samples.log, checkpoints,
 * divergence.json — and reports to the host through `post`; run.json belongs to the host.
 *
 * Between any two minibatches it reads the host's commands (pause, step, stop, release). Every
 * record and checkpoint depends on update counts only, never on timing, so a run paused, released
 * and resumed writes the same numbers as one trained straight through; only the clock fields
 * (time, tokens/s) differ.
 *
 * Per epoch (1-based count `e` of completed epochs, final = the epoch total): validation when
 * `e % valEvery == 0` or final, the sample from the fixed prefix with a fresh Rng(seed) when
 * `e % sampleEvery == 0` or final, a checkpoint when `e % checkpointEvery == 0` or final (so a
 * finished run can be extended), pruned to the last `keepCheckpoints` plus the best by val
 * perplexity. Training windows of a fixed number of updates give the `train` records.
 */
import { generate } from '../../engine/decode';
import { Rng } from '../../engine/rng';
import { cleanText, tokenize, tokenSeparator } from '../../engine/text';
import {
  toCheckpointBundle, Trainer, trainerOptionsFromRunConfig, type StepResult, type TrainerData,
} from '../../engine/train';
import type { RunConfig } from '../../shared/run-config';
import type { MetricRecord, NonFiniteReportDto, RunProgress, SampleRecord } from '../../shared/runs';
import type { FileSystem } from '../fs/file-system';
import { writeJsonAtomic } from '../store/json-file';
import { METRICS_LOG, runFile, SAMPLES_LOG } from '../store/layout';
import { pruneCheckpoints, saveCheckpoint } from '../store/checkpoints';
import { LogWriter, readLog } from '../store/record-log';
import { createRunKernels, type RunKernels } from '../kernels/run-kernels';
import { loadRunData, type RunData } from '../services/run-data';
import { DIVERGENCE_FILE } from '../services/run-files';
import { divergenceDto } from './divergence-dto';
import type { FinishOutcome, HostMessage, TrainJob, WorkerMessage } from './protocol';
import { readResumePoint } from './resume-point';
import { readEffectiveConfig } from './run-settings';

export type LoadRunData = (fs: FileSystem, projectDir: string, runId: string) => Promise<Pick<RunData, 'vocab' | 'train' | 'val'>>;

export interface ExecutorOptions {
  /** Default: the run-data service (the run's stored vocabulary over its dataset). */
  loadData?: LoadRunData;
  /** Milliseconds, monotonic. */
  now?: () => number;
  /** Least time between two `progress` messages (ms). */
  progressIntervalMs?: number;
  /** Least time between two appends to the logs while training (ms); epochs and checkpoints flush at once. */
  logIntervalMs?: number;
  /** Longest stretch of training without letting commands in (ms). */
  yieldMs?: number;
  /** Called with the run's kernels once they are ready (tests inject a dead helper thread here). */
  onKernels?: (kernels: RunKernels) => void;
}

interface Window {
  lossSum: number;
  tokens: number;
  steps: number;
  gradNormSum: number;
  lr: number;
  startMs: number;
}

const newWindow = (startMs: number): Window => ({ lossSum: 0, tokens: 0, steps: 0, gradNormSum: 0, lr: NaN, startMs });

/** Updates per `train` record: about 20 per epoch, at least every 50 updates. */
export function windowUpdates(batchesPerEpoch: number): number {
  return Math.max(1, Math.min(50, Math.ceil(batchesPerEpoch / 20)));
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class RunExecutor {
  private readonly loadData: LoadRunData;
  private readonly now: () => number;
  private readonly progressIntervalMs: number;
  private readonly logIntervalMs: number;
  private readonly yieldMs: number;
  private readonly onKernels: ((kernels: RunKernels) => void) | undefined;
  private readonly commands: HostMessage[] = [];
  private wake: (() => void) | null = null;
  private aborted = false;

  private config!: RunConfig;
  private data!: Pick<RunData, 'vocab' | 'train' | 'val'>;
  private trainer!: Trainer;
  private runKernels: RunKernels | null = null;
  private metricsLog: LogWriter | null = null;
  private samplesLog: LogWriter | null = null;
  private window!: Window;
  private windowSize = 1;
  private epochStart = { ms: 0, tokens: 0 };
  private sessionTokens = 0;
  // clock: seconds trained before this session, plus active time in it (pauses excluded)
  private baseElapsedSec = 0;
  private activeMs = 0;
  private runningSince: number | null = null;
  private sessionUpdates0 = 0;
  private lastCheckpointStep = -1;
  private lastPost = -Infinity;
  private lastLogFlush = -Infinity;
  private lastYield = 0;
  private pendingPost: { metrics: MetricRecord[]; samples: SampleRecord[] } = { metrics: [], samples: [] };
  private pendingLog: { metrics: MetricRecord[]; samples: SampleRecord[] } = { metrics: [], samples: [] };

  constructor(
    private readonly fs: FileSystem,
    private readonly job: TrainJob,
    private readonly postMessage: (message: WorkerMessage) => void,
    options: ExecutorOptions = {},
  ) {
    this.loadData = options.loadData ?? loadRunData;
    this.now = options.now ?? (() => performance.now());
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
    this.logIntervalMs = options.logIntervalMs ?? 1000;
    this.yieldMs = options.yieldMs ?? 10;
    this.onKernels = options.onKernels;
  }

  /** A command from the host; handled between two minibatches. */
  command(message: HostMessage): void {
    this.commands.push(message);
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Stops at the next minibatch boundary without writing anything more; nothing is posted after this. */
  abort(): void {
    this.aborted = true;
    this.command({ type: 'resume' });
  }

  /** Trains until the run finishes, is released, or fails; never throws (failures are posted). */
  async run(): Promise<void> {
    try {
      await this.load();
      await this.loop();
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const code = (err as { code?: unknown } | null)?.code;
      this.post({ type: 'failed', message: e.message, stack: e.stack ?? null, ...(typeof code === 'string' && { code }) });
    } finally {
      await this.metricsLog?.close();
      await this.samplesLog?.close();
      await this.runKernels?.close();
    }
  }

  private async load(): Promise<void> {
    const { fs, job } = this;
    this.config = await readEffectiveConfig(fs, job.projectDir, job.runId);
    this.data = await this.loadData(fs, job.projectDir, job.runId);
    const options = trainerOptionsFromRunConfig(this.config);
    const data: TrainerData = { train: this.data.train, val: this.data.val, vocabSize: this.data.vocab.size };
    const saved = job.resume ? await readResumePoint(fs, job.projectDir, job.runId) : null;
    this.runKernels = await createRunKernels({ kernels: job.kernels ?? 'auto', threads: job.threads ?? 1 });
    this.onKernels?.(this.runKernels);
    const runtime = { kernels: this.runKernels.kernels };
    if (saved) {
      // a resume may change the epoch total and the learning rate on purpose (run-settings.ts)
      const meta = { ...saved.state.meta, options: { ...saved.state.meta.options, epochs: options.epochs, lr: options.lr } };
      this.trainer = Trainer.restore(options, data, { tensors: saved.state.tensors, meta }, runtime);
      this.lastCheckpointStep = this.trainer.updates;
      this.baseElapsedSec = await this.elapsedAt(this.trainer.updates);
    } else {
      this.trainer = new Trainer(options, data, runtime);
    }
    this.windowSize = windowUpdates(this.trainer.batchesPerEpoch);
    this.sessionUpdates0 = this.trainer.updates;
    this.metricsLog = await LogWriter.open(fs, runFile(job.projectDir, job.runId, METRICS_LOG));
    this.samplesLog = await LogWriter.open(fs, runFile(job.projectDir, job.runId, SAMPLES_LOG));
    const t = this.now();
    this.window = newWindow(t);
    this.epochStart = { ms: t, tokens: 0 };
    this.lastYield = t;
    const k = this.runKernels.description;
    this.post({ type: 'ready', progress: this.progress(), paused: job.startPaused, kernels: `${k.name} (${k.threads} thread${k.threads === 1 ? '' : 's'})` });
  }

  /** Training seconds at update `step`, from the newest metric record not after it. */
  private async elapsedAt(step: number): Promise<number> {
    const { records } = await readLog(this.fs, runFile(this.job.projectDir, this.job.runId, METRICS_LOG));
    let time = 0;
    for (const r of records as MetricRecord[]) if (r.step <= step && typeof r.time === 'number' && r.time > time) time = r.time;
    return time;
  }

  private async loop(): Promise<void> {
    let paused = this.job.startPaused;
    if (!paused) this.runningSince = this.now();
    for (;;) {
      if (this.aborted) return;
      for (let cmd = this.commands.shift(); cmd; cmd = this.commands.shift()) {
        switch (cmd.type) {
          case 'pause':
            if (!paused) {
              this.stopClock();
              paused = true;
              await this.checkpoint(undefined);
              this.sendProgress();
            }
            this.post({ type: 'paused', progress: this.progress() });
            break;
          case 'resume':
            if (paused) this.runningSince = this.now();
            paused = false;
            break;
          case 'step':
            if (paused) {
              this.runningSince = this.now();
              const finished = this.trainer.epoch >= this.config.epochs ? await this.finish('done') : await this.oneStep();
              this.stopClock();
              if (finished) return;
              await this.flushLogs();
              this.sendProgress();
              this.post({ type: 'paused', progress: this.progress() });
            }
            break;
          case 'stop':
          case 'release':
            this.stopClock();
            await this.finish(cmd.type === 'stop' ? 'stopped' : 'released');
            return;
        }
      }
      if (paused) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (this.trainer.epoch >= this.config.epochs) {
        this.stopClock();
        await this.finish('done');
        return;
      }
      if (await this.oneStep()) return;
      const t = this.now();
      if (t - this.lastLogFlush >= this.logIntervalMs) await this.flushLogs();
      if (t - this.lastPost >= this.progressIntervalMs) this.sendProgress();
      if (t - this.lastYield >= this.yieldMs) {
        await yieldToEventLoop();
        this.lastYield = this.now();
      }
    }
  }

  /** One minibatch and what follows from it; true when the run ended (diverged or done). */
  private async oneStep(): Promise<boolean> {
    const trainer = this.trainer;
    const r = trainer.trainStep();
    if (r.diverged) {
      this.closeWindow(r.epoch + r.stepInEpoch / Math.max(1, trainer.iterator.batchesThisEpoch));
      this.record({ kind: 'train', step: r.updates, epoch: r.epoch, time: this.elapsedSec(), loss: r.loss, perplexity: r.perplexity, gradNorm: r.gradNorm, lr: r.lr });
      const dto = divergenceDto(r.diverged);
      await writeJsonAtomic(this.fs, runFile(this.job.projectDir, this.job.runId, DIVERGENCE_FILE), dto);
      this.stopClock();
      await this.flushLogs();
      this.sendProgress();
      this.post({ type: 'finished', outcome: 'diverged', progress: this.progress(), message: r.diverged.message, divergence: dto });
      return true;
    }
    this.accumulate(r);
    this.sessionTokens += r.tokens;
    if (r.epochDone) return this.endOfEpoch(r);
    if (r.updates % this.windowSize === 0) this.closeWindow(r.epoch + (r.stepInEpoch + 1) / Math.max(1, trainer.iterator.batchesThisEpoch));
    return false;
  }

  private async endOfEpoch(r: StepResult): Promise<boolean> {
    const trainer = this.trainer, config = this.config;
    const e = r.epoch + 1;
    const final = e >= config.epochs;
    this.closeWindow(e);
    const time = this.elapsedSec();
    let valPerplexity: number | undefined;
    if (e % config.valEvery === 0 || final) {
      const v = trainer.evaluate();
      if (v) {
        valPerplexity = v.perplexity;
        this.record({ kind: 'val', step: r.updates, epoch: e, time, loss: v.loss, perplexity: v.perplexity });
      }
    }
    const last = trainer.lastEpoch!;
    const t = this.now();
    const seconds = (t - this.epochStart.ms) / 1000;
    const tokens = this.sessionTokens - this.epochStart.tokens;
    this.epochStart = { ms: t, tokens: this.sessionTokens };
    this.record({
      kind: 'epoch', step: r.updates, epoch: e, time, loss: last.loss, perplexity: last.perplexity, gradNorm: last.gradNormMean, lr: last.lr,
      tokensPerSec: seconds > 0 ? tokens / seconds : null,
    });
    if (e % config.sampleEvery === 0 || final) {
      const sample = this.sample(r.updates, e);
      if (sample) this.recordSample(sample);
    }
    if (e % config.checkpointEvery === 0 || final) await this.checkpoint(valPerplexity);
    await this.flushLogs();
    this.sendProgress();
    if (final) {
      this.stopClock();
      await this.finish('done');
      return true;
    }
    return false;
  }

  private accumulate(r: StepResult): void {
    const w = this.window;
    w.lossSum += r.loss * r.tokens;
    w.tokens += r.tokens;
    w.steps += 1;
    w.gradNormSum += r.gradNorm;
    w.lr = r.lr;
  }

  private closeWindow(epoch: number): void {
    const w = this.window, t = this.now();
    if (w.steps > 0) {
      const loss = w.lossSum / w.tokens;
      const seconds = (t - w.startMs) / 1000;
      this.record({
        kind: 'train', step: this.trainer.updates, epoch, time: this.elapsedSec(), loss, perplexity: Math.exp(loss), gradNorm: w.gradNormSum / w.steps, lr: w.lr,
        tokensPerSec: seconds > 0 ? w.tokens / seconds : null,
      });
    }
    this.window = newWindow(t);
  }

  /** d2l's "predict" from the fixed prefix, sampled with a fresh Rng(seed) so samples differ only by training. */
  private sample(step: number, epoch: number): SampleRecord | null {
    const { config, data } = this;
    const tokens = tokenize(cleanText(config.samplePrefix, config.clean), config.tokenizer);
    if (tokens.length === 0) return null;
    const ids = data.vocab.encode(tokens);
    const out = generate(this.trainer.model, ids, config.sampleLength, { temperature: 1 }, new Rng(config.seed));
    const sep = tokenSeparator(config.tokenizer);
    return { step, epoch, prefix: data.vocab.decodeTokens(ids).join(sep), text: data.vocab.decodeTokens(out.ids).join(sep) };
  }

  private async checkpoint(valPerplexity: number | undefined): Promise<void> {
    const step = this.trainer.updates;
    if (step === this.lastCheckpointStep) return;
    await this.flushLogs(); // the logs reach at least as far as any checkpoint
    const bundle = toCheckpointBundle(this.trainer.exportState(), valPerplexity === undefined ? {} : { valPerplexity });
    const { projectDir, runId } = this.job;
    const entry = await saveCheckpoint(this.fs, projectDir, runId, bundle);
    this.lastCheckpointStep = step;
    await pruneCheckpoints(this.fs, projectDir, runId, { keepLast: this.config.keepCheckpoints, keepBest: true });
    this.post({ type: 'checkpoint', name: entry.name, step, valPerplexity: valPerplexity ?? null });
  }

  private async finish(outcome: Exclude<FinishOutcome, 'diverged'>): Promise<true> {
    if (outcome !== 'done') this.closeWindow(this.fractionalEpoch());
    await this.checkpoint(undefined);
    await this.flushLogs();
    this.sendProgress();
    const p = this.progress();
    const at = `epoch ${Math.floor(p.epoch)} of ${p.totalEpochs} (update ${p.step})`;
    const message = outcome === 'done' ? `Finished ${p.totalEpochs} epochs (update ${p.step}).` : outcome === 'stopped' ? `Stopped at ${at}.` : `Saved at ${at}; resume continues from there.`;
    this.post({ type: 'finished', outcome, progress: p, message, divergence: null as NonFiniteReportDto | null });
    return true;
  }

  private post(message: WorkerMessage): void {
    if (!this.aborted) this.postMessage(message);
  }

  private record(m: MetricRecord): void {
    this.pendingPost.metrics.push(m);
    this.pendingLog.metrics.push(m);
  }

  private recordSample(s: SampleRecord): void {
    this.pendingPost.samples.push(s);
    this.pendingLog.samples.push(s);
  }

  private async flushLogs(): Promise<void> {
    const { metrics, samples } = this.pendingLog;
    this.pendingLog = { metrics: [], samples: [] };
    if (metrics.length > 0) await this.metricsLog!.append(metrics);
    if (samples.length > 0) await this.samplesLog!.append(samples);
    this.lastLogFlush = this.now();
  }

  private sendProgress(): void {
    const { metrics, samples } = this.pendingPost;
    this.pendingPost = { metrics: [], samples: [] };
    this.lastPost = this.now();
    this.post({ type: 'progress', progress: this.progress(), metrics, samples });
  }

  private stopClock(): void {
    if (this.runningSince !== null) this.activeMs += this.now() - this.runningSince;
    this.runningSince = null;
  }

  private elapsedSec(): number {
    const running = this.runningSince === null ? 0 : this.now() - this.runningSince;
    return this.baseElapsedSec + (this.activeMs + running) / 1000;
  }

  private fractionalEpoch(): number {
    const it = this.trainer.iterator;
    return it.epoch + (it.batchesThisEpoch > 0 ? Math.min(1, it.index / it.batchesThisEpoch) : 0);
  }

  private progress(): RunProgress {
    const trainer = this.trainer, total = this.config.epochs;
    const elapsedSec = this.elapsedSec();
    const done = trainer.updates - this.sessionUpdates0;
    const sessionSec = (this.activeMs + (this.runningSince === null ? 0 : this.now() - this.runningSince)) / 1000;
    const remaining = Math.max(0, total * trainer.batchesPerEpoch - trainer.updates);
    return {
      epoch: Math.min(total, this.fractionalEpoch()),
      totalEpochs: total,
      step: trainer.updates,
      elapsedSec,
      etaSec: done > 0 && sessionSec > 0 ? (remaining * sessionSec) / done : null,
    };
  }
}
