/**
 * What every trainer's executor shares, whatever it trains (text: run-executor.ts, forecast:
 * forecast-executor.ts): the host's commands read between two minibatches (pause, step, stop,
 * release), the training clock (paused time excluded, earlier sessions counted from the metric
 * log), metric and sample records batched to the logs and to the host, checkpoints deduplicated
 * by update count, and the `ready` / `progress` / `paused` / `finished` / `failed` messages.
 *
 * A subclass loads its run (`load`), trains one minibatch (`trainStep`), saves its checkpoint
 * (`saveState`) and says where it stands (`updates`, `epochsDone`, `fractionalEpoch`, …).
 */
import type { MetricRecord, NonFiniteReportDto, RunProgress, SampleRecord } from '../../shared/runs';
import type { FileSystem } from '../fs/file-system';
import { writeJsonAtomic } from '../store/json-file';
import { METRICS_LOG, runFile, SAMPLES_LOG } from '../store/layout';
import { LogWriter, readLog } from '../store/record-log';
import { DIVERGENCE_FILE } from '../services/run-files';
import type { FinishOutcome, HostMessage, TrainJob, WorkerMessage } from './protocol';

export interface ExecutorTiming {
  /** Milliseconds, monotonic. */
  now?: () => number;
  /** Least time between two `progress` messages (ms). */
  progressIntervalMs?: number;
  /** Least time between two appends to the logs while training (ms); epochs and checkpoints flush at once. */
  logIntervalMs?: number;
  /** Longest stretch of training without letting commands in (ms). */
  yieldMs?: number;
}

/** Something a host can drive: commands in, `run()` until the trainer is done. */
export interface Executor {
  command(message: HostMessage): void;
  abort(): void;
  run(): Promise<void>;
}

/** Updates per `train` record: about 20 per epoch, at least every 50 updates. */
export function windowUpdates(batchesPerEpoch: number): number {
  return Math.max(1, Math.min(50, Math.ceil(batchesPerEpoch / 20)));
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What the base reads of a trainer to schedule, clock and report a run (both trainers have it). */
export interface TrainerProgress {
  readonly updates: number;
  /** Whole epochs done. */
  readonly epoch: number;
  readonly batchesPerEpoch: number;
}

export abstract class ExecutorBase<T extends TrainerProgress, C extends { epochs: number }> implements Executor {
  /** Built by `load`. */
  protected trainer!: T;
  /** The effective settings, read by `load`. */
  protected config!: C;
  protected readonly now: () => number;
  private readonly progressIntervalMs: number;
  private readonly logIntervalMs: number;
  private readonly yieldMs: number;
  private readonly commands: HostMessage[] = [];
  private wake: (() => void) | null = null;
  private aborted = false;

  private metricsLog: LogWriter | null = null;
  private samplesLog: LogWriter | null = null;
  // clock: seconds trained before this session, plus active time in it (pauses excluded)
  protected baseElapsedSec = 0;
  private activeMs = 0;
  private runningSince: number | null = null;
  private sessionUpdates0 = 0;
  protected lastCheckpointStep = -1;
  private lastPost = -Infinity;
  private lastLogFlush = -Infinity;
  private lastYield = 0;
  private pendingPost: { metrics: MetricRecord[]; samples: SampleRecord[] } = { metrics: [], samples: [] };
  private pendingLog: { metrics: MetricRecord[]; samples: SampleRecord[] } = { metrics: [], samples: [] };

  constructor(
    protected readonly fs: FileSystem,
    protected readonly job: TrainJob,
    private readonly postMessage: (message: WorkerMessage) => void,
    timing: ExecutorTiming = {},
  ) {
    this.now = timing.now ?? (() => performance.now());
    this.progressIntervalMs = timing.progressIntervalMs ?? 100;
    this.logIntervalMs = timing.logIntervalMs ?? 1000;
    this.yieldMs = timing.yieldMs ?? 10;
  }

  /** Reads the run and builds its trainer (restored when `job.resume`); returns the kernels' description. */
  protected abstract load(): Promise<string>;
  /** One minibatch and what follows from it (records, epoch end, checkpoint); true when the run ended (diverged or done). */
  protected abstract trainStep(): Promise<boolean>;
  /** Writes the trainer's state as a checkpoint (and prunes older ones); returns its file name. */
  protected abstract saveState(valPerplexity: number | undefined): Promise<string>;
  /** Records the training window in progress as a `train` record at `epoch` (fractional). */
  protected abstract closeWindow(epoch: number): void;
  /** Epochs done, with the part of the epoch in progress. */
  protected abstract fractionalEpoch(): number;
  /** Releases what `load` acquired (kernels); runs whatever happened. */
  protected async cleanup(): Promise<void> {}

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
      const kernels = await this.load();
      this.sessionUpdates0 = this.trainer.updates;
      this.metricsLog = await LogWriter.open(this.fs, runFile(this.job.projectDir, this.job.runId, METRICS_LOG));
      this.samplesLog = await LogWriter.open(this.fs, runFile(this.job.projectDir, this.job.runId, SAMPLES_LOG));
      this.lastYield = this.now();
      this.post({ type: 'ready', progress: this.progress(), paused: this.job.startPaused, kernels });
      await this.loop();
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const code = (err as { code?: unknown } | null)?.code;
      this.post({ type: 'failed', message: e.message, stack: e.stack ?? null, ...(typeof code === 'string' && { code }) });
    } finally {
      await this.metricsLog?.close();
      await this.samplesLog?.close();
      await this.cleanup();
    }
  }

  /** Training seconds at update `step`, from the newest metric record not after it. */
  protected async elapsedAt(step: number): Promise<number> {
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
              const finished = this.trainer.epoch >= this.config.epochs ? await this.finish('done') : await this.trainStep();
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
      if (await this.trainStep()) return;
      const t = this.now();
      if (t - this.lastLogFlush >= this.logIntervalMs) await this.flushLogs();
      if (t - this.lastPost >= this.progressIntervalMs) this.sendProgress();
      if (t - this.lastYield >= this.yieldMs) {
        await yieldToEventLoop();
        this.lastYield = this.now();
      }
    }
  }

  /** The run diverged: divergence.json, the records so far, and `finished` (no checkpoint: the last good one stays the newest). */
  protected async diverged(dto: NonFiniteReportDto): Promise<true> {
    await writeJsonAtomic(this.fs, runFile(this.job.projectDir, this.job.runId, DIVERGENCE_FILE), dto);
    this.stopClock();
    await this.flushLogs();
    this.sendProgress();
    this.post({ type: 'finished', outcome: 'diverged', progress: this.progress(), message: dto.message, divergence: dto });
    return true;
  }

  /** The end of the last epoch: the clock stops and the run finishes as done. */
  protected async done(): Promise<true> {
    this.stopClock();
    return this.finish('done');
  }

  protected async checkpoint(valPerplexity: number | undefined): Promise<void> {
    const step = this.trainer.updates;
    if (step === this.lastCheckpointStep) return;
    await this.flushLogs(); // the logs reach at least as far as any checkpoint
    const name = await this.saveState(valPerplexity);
    this.lastCheckpointStep = step;
    this.post({ type: 'checkpoint', name, step, valPerplexity: valPerplexity ?? null });
  }

  private async finish(outcome: Exclude<FinishOutcome, 'diverged'>): Promise<true> {
    if (outcome !== 'done') this.closeWindow(this.fractionalEpoch());
    await this.checkpoint(undefined);
    await this.flushLogs();
    this.sendProgress();
    const p = this.progress();
    const at = `epoch ${Math.floor(p.epoch)} of ${p.totalEpochs} (update ${p.step})`;
    const message = outcome === 'done' ? `Finished ${p.totalEpochs} epoch${p.totalEpochs === 1 ? '' : 's'} (update ${p.step}).` : outcome === 'stopped' ? `Stopped at ${at}.` : `Saved at ${at}; resume continues from there.`;
    this.post({ type: 'finished', outcome, progress: p, message, divergence: null as NonFiniteReportDto | null });
    return true;
  }

  private post(message: WorkerMessage): void {
    if (!this.aborted) this.postMessage(message);
  }

  protected record(m: MetricRecord): void {
    this.pendingPost.metrics.push(m);
    this.pendingLog.metrics.push(m);
  }

  protected recordSample(s: SampleRecord): void {
    this.pendingPost.samples.push(s);
    this.pendingLog.samples.push(s);
  }

  protected async flushLogs(): Promise<void> {
    const { metrics, samples } = this.pendingLog;
    this.pendingLog = { metrics: [], samples: [] };
    if (metrics.length > 0) await this.metricsLog!.append(metrics);
    if (samples.length > 0) await this.samplesLog!.append(samples);
    this.lastLogFlush = this.now();
  }

  protected sendProgress(): void {
    const { metrics, samples } = this.pendingPost;
    this.pendingPost = { metrics: [], samples: [] };
    this.lastPost = this.now();
    this.post({ type: 'progress', progress: this.progress(), metrics, samples });
  }

  protected stopClock(): void {
    if (this.runningSince !== null) this.activeMs += this.now() - this.runningSince;
    this.runningSince = null;
  }

  protected elapsedSec(): number {
    const running = this.runningSince === null ? 0 : this.now() - this.runningSince;
    return this.baseElapsedSec + (this.activeMs + running) / 1000;
  }

  private progress(): RunProgress {
    const total = this.config.epochs, updates = this.trainer.updates;
    const elapsedSec = this.elapsedSec();
    const done = updates - this.sessionUpdates0;
    const sessionSec = (this.activeMs + (this.runningSince === null ? 0 : this.now() - this.runningSince)) / 1000;
    const remaining = Math.max(0, total * this.trainer.batchesPerEpoch - updates);
    return {
      epoch: Math.min(total, this.fractionalEpoch()),
      totalEpochs: total,
      step: updates,
      elapsedSec,
      etaSec: done > 0 && sessionSec > 0 ? (remaining * sessionSec) / done : null,
    };
  }
}
