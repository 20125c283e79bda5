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
import type { SampleRecord } from '../../shared/runs';
import type { FileSystem } from '../fs/file-system';
import { pruneCheckpoints, saveCheckpoint } from '../store/checkpoints';
import { createRunKernels, type RunKernels } from '../kernels/run-kernels';
import { loadRunData, type RunData } from '../services/run-data';
import { divergenceDto } from './divergence-dto';
import { ExecutorBase, windowUpdates, type ExecutorTiming } from './executor-base';
import type { TrainJob, WorkerMessage } from './protocol';
import { readResumePoint } from './resume-point';
import { readEffectiveConfig } from './run-settings';

export { windowUpdates };

export type LoadRunData = (fs: FileSystem, projectDir: string, runId: string) => Promise<Pick<RunData, 'vocab' | 'train' | 'val'>>;

export interface ExecutorOptions extends ExecutorTiming {
  /** Default: the run-data service (the run's stored vocabulary over its dataset). */
  loadData?: LoadRunData;
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


export class RunExecutor extends ExecutorBase<Trainer, RunConfig> {
  private readonly loadData: LoadRunData;
  private readonly onKernels: ((kernels: RunKernels) => void) | undefined;

  private data!: Pick<RunData, 'vocab' | 'train' | 'val'>;
  private runKernels: RunKernels | null = null;
  private window!: Window;
  private windowSize = 1;
  private epochStart = { ms: 0, tokens: 0 };
  private sessionTokens = 0;

  constructor(fs: FileSystem, job: TrainJob, postMessage: (message: WorkerMessage) => void, options: ExecutorOptions = {}) {
    super(fs, job, postMessage, options);
    this.loadData = options.loadData ?? loadRunData;
    this.onKernels = options.onKernels;
  }

  protected async load(): Promise<string> {
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
    const t = this.now();
    this.window = newWindow(t);
    this.epochStart = { ms: t, tokens: 0 };
    const k = this.runKernels.description;
    return `${k.name} (${k.threads} thread${k.threads === 1 ? '' : 's'})`;
  }

  protected override async cleanup(): Promise<void> {
    await this.runKernels?.close();
  }


  protected async trainStep(): Promise<boolean> {
    const trainer = this.trainer;
    const r = trainer.trainStep();
    if (r.diverged) {
      this.closeWindow(r.epoch + r.stepInEpoch / Math.max(1, trainer.iterator.batchesThisEpoch));
      this.record({ kind: 'train', step: r.updates, epoch: r.epoch, time: this.elapsedSec(), loss: r.loss, perplexity: r.perplexity, gradNorm: r.gradNorm, lr: r.lr });
      return this.diverged(divergenceDto(r.diverged));
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
    if (final) return this.done();
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

  protected closeWindow(epoch: number): void {
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

  protected async saveState(valPerplexity: number | undefined): Promise<string> {
    const bundle = toCheckpointBundle(this.trainer.exportState(), valPerplexity === undefined ? {} : { valPerplexity });
    const { projectDir, runId } = this.job;
    const entry = await saveCheckpoint(this.fs, projectDir, runId, bundle);
    await pruneCheckpoints(this.fs, projectDir, runId, { keepLast: this.config.keepCheckpoints, keepBest: true });
    return entry.name;
  }

  protected fractionalEpoch(): number {
    const it = this.trainer.iterator;
    return it.epoch + (it.batchesThisEpoch > 0 ? Math.min(1, it.index / it.batchesThisEpoch) : 0);
  }
}
