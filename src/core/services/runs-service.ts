/**
 * Runs of a project as the renderer sees them: summaries with live progress, details with
 * metrics, samples, checkpoints, divergence and baselines; creation (config validated, dataset
 * checked, vocab.json written) and rename/delete.
 */
import { minBatchesPerEpoch } from '../../engine/data/seq-batches';
import type { KernelChoice } from '../../engine/kernels/wasm';
import type { MetricRecord, RunDetail, RunProgress, RunSummaryDto } from '../../shared/runs';
import { AppError } from '../../shared/errors';
import type { FileSystem } from '../fs/file-system';
import { createRun, deleteRun, listRuns, readRun, readRunConfig, renameRun, type RunConfigJson } from '../store/runs';
import type { RunRecord } from '../store/schemas';
import { bestValPerplexity, checkpointInfos, readCheckpointEntries, readDivergence, readMetrics, readSamples } from './run-files';
import { parseRunConfig, prepareRunData, vocabFileFor, type RunData } from './run-data';
import { tokenSeparator, UNK } from '../../engine/text';
import type { RunConfig } from '../../shared/run-config';
import { openingPrefix } from '../../shared/text-defaults';
import { readRunVocab, writeRunVocab } from './run-vocab';
import { ServiceError } from './service-error';
import { readEffectiveConfig } from '../training/run-settings';
import { isForecastConfig } from '../../shared/forecast-config';

/** What the training host knows about runs it is hosting; null for a run it is not hosting. */
export interface LiveRuns {
  status(projectDir: string, runId: string): { progress: RunProgress | null } | null;
  /** True while a worker holds the run (training or paused in memory): deleting it is refused. */
  isActive?(projectDir: string, runId: string): boolean;
  /** The kernels and threads a trainer gets, so an estimate measures with the same. */
  trainerKernels?(): { kernels: KernelChoice; threads: number };
}

export interface RunsServiceOptions {
  fs: FileSystem;
  live?: LiveRuns;
  /** Told after a run folder is deleted (the generation service drops its cached models). */
  onDeleted?: (projectDir: string, runId: string) => void;
}

export class RunsService {
  readonly fs: FileSystem;
  live: LiveRuns | undefined;
  private readonly onDeleted: ((projectDir: string, runId: string) => void) | undefined;

  constructor(options: RunsServiceOptions) {
    this.fs = options.fs;
    this.live = options.live;
    this.onDeleted = options.onDeleted;
  }

  async list(projectDir: string): Promise<RunSummaryDto[]> {
    const { runs } = await listRuns(this.fs, projectDir);
    return Promise.all(runs.map((run) => this.summary(projectDir, run)));
  }

  /**
   * What a listing shows of a run, from run.json alone: its metric log is never parsed here (it
   * grows with every epoch, and a damaged one must not break the list). Runs trained before
   * run.json kept `bestValPerplexity` fall back to their checkpoints' headers.
   */
  async summary(projectDir: string, run: RunRecord): Promise<RunSummaryDto> {
    // the view a run opens in depends on its task; a config that cannot be read is a text run's problem to report
    const forecast = isForecastConfig(await readRunConfig(this.fs, projectDir, run.id).catch(() => null));
    const dto = await this.summaryOf(projectDir, run);
    return forecast ? { ...dto, task: 'forecast' } : dto;
  }

  private async summaryOf(projectDir: string, run: RunRecord): Promise<RunSummaryDto> {
    if (run.bestValPerplexity !== undefined) return this.toDto(projectDir, run, run.bestValPerplexity);
    const entries = await readCheckpointEntries(this.fs, projectDir, run.id).catch((e: unknown) => {
      if (e instanceof AppError) return []; // a damaged checkpoints folder costs the figure, not the list
      throw e;
    });
    return this.toDto(projectDir, run, bestValPerplexity(entries, []));
  }

  async get(projectDir: string, runId: string): Promise<RunDetail> {
    const run = await readRun(this.fs, projectDir, runId);
    const config = parseRunConfig(await readRunConfig(this.fs, projectDir, runId));
    const [metrics, samples, entries, divergence, vocab, effective] = await Promise.all([
      readMetrics(this.fs, projectDir, runId),
      readSamples(this.fs, projectDir, runId),
      readCheckpointEntries(this.fs, projectDir, runId),
      readDivergence(this.fs, projectDir, runId),
      readRunVocab(this.fs, projectDir, runId).catch((e: unknown) => {
        if (e instanceof ServiceError) return null; // a damaged vocab.json only costs the baselines here
        throw e;
      }),
      // a damaged training.json costs the resume history here, not the run
      readEffectiveConfig(this.fs, projectDir, runId).catch((e: unknown) => {
        if (e instanceof AppError) return null;
        throw e;
      }),
    ]);
    const settings = { lr: effective?.lr ?? config.lr, epochs: effective?.epochs ?? config.epochs };
    const summary = this.toDto(projectDir, run, bestValPerplexity(entries, metrics));
    return {
      // a run no trainer holds shows where its log ends (a finished or stopped run, its final figures)
      run: summary.progress === null ? { ...summary, progress: loggedProgress(metrics, settings.epochs) } : summary,
      config,
      metrics,
      samples,
      checkpoints: checkpointInfos(entries, metrics),
      divergence,
      baselines: vocab ? { ...vocab.file.baselines } : null,
      kernels: run.kernels ?? null,
      effective: settings,
    };
  }

  /**
   * Validates the config, checks the dataset is text and long enough, creates the run (queued)
   * and writes its vocab.json. The corpus is built before the run folder exists, so a refused
   * config leaves nothing behind.
   */
  async create(projectDir: string, rawConfig: unknown): Promise<RunSummaryDto> {
    const config = parseRunConfig(rawConfig);
    const data = await prepareRunData(this.fs, projectDir, config);
    if (data.totalTokens === 0) throw new ServiceError('EmptyCorpus', { datasetId: config.datasetId, tokenizer: config.tokenizer, cleaning: config.clean });
    if (minBatchesPerEpoch(config.sampler, data.train.length, config.batchSize, config.numSteps) < 1) {
      throw new ServiceError('CorpusTooSmall', { trainTokens: data.train.length, batchSize: config.batchSize, numSteps: config.numSteps });
    }
    if (config.samplePrefix.trim() === '') config.samplePrefix = corpusOpening(data, config);
    const run = await createRun(this.fs, projectDir, { config: config as unknown as RunConfigJson, name: config.name });
    await writeRunVocab(this.fs, projectDir, run.id, vocabFileFor(data, config));
    return this.toDto(projectDir, run, null);
  }

  async rename(projectDir: string, runId: string, name: string): Promise<RunSummaryDto> {
    return this.summary(projectDir, await renameRun(this.fs, projectDir, runId, name));
  }

  async delete(projectDir: string, runId: string): Promise<{ deleted: boolean }> {
    const run = await readRun(this.fs, projectDir, runId).catch((e: unknown) => {
      // a damaged run can still be deleted; a missing one cannot
      if ((e as { code?: unknown }).code === 'CorruptRun') return null;
      throw e;
    });
    if (run?.state === 'running' || this.live?.isActive?.(projectDir, runId) === true) {
      throw new ServiceError('RunActive', { runId, state: run?.state }, 'This run is training; pause or stop it before deleting it.');
    }
    await deleteRun(this.fs, projectDir, runId);
    this.onDeleted?.(projectDir, runId);
    return { deleted: true };
  }

  private toDto(projectDir: string, run: RunRecord, best: number | null): RunSummaryDto {
    return {
      id: run.id,
      name: run.name,
      state: run.state,
      created: run.created,
      message: run.message ?? null,
      progress: this.live?.status(projectDir, run.id)?.progress ?? null,
      bestValPerplexity: best,
    };
  }
}

/** The progress the metric log records last: how far a run got when no trainer reports on it. */
export function loggedProgress(metrics: readonly MetricRecord[], totalEpochs: number): RunProgress | null {
  let last: MetricRecord | null = null;
  for (const m of metrics) if (last === null || m.step > last.step || (m.step === last.step && m.epoch >= last.epoch)) last = m;
  if (last === null) return null;
  return { epoch: last.epoch, totalEpochs, step: last.step, elapsedSec: last.time, etaSec: null };
}

/**
 * The default sample prefix: the corpus' first words as the run's cleaning leaves them, from the
 * dataset record's opening, or (for datasets imported before it was recorded) from the run's
 * first training tokens.
 */
export function corpusOpening(data: RunData, config: Pick<RunConfig, 'clean' | 'tokenizer'>): string {
  const stats = data.dataset.stats;
  if (stats.kind === 'text' && stats.opening) return openingPrefix(stats.opening[config.clean], config.tokenizer);
  const first = data.vocab.decodeTokens(data.train.subarray(0, 60)).filter((t) => t !== UNK);
  return openingPrefix(first.join(tokenSeparator(config.tokenizer)), config.tokenizer);
}
