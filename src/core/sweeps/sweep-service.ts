/**
 * The sweeps of open projects: creates and resumes sweep runners over one training host, keeps
 * the live ones, and answers listings from disk. A sweep stored as `running` that no runner in
 * this process drives was interrupted (its process ended): it is shown so, and resume continues it.
 */
import type { RunConfig } from '../../shared/run-config';
import type { SweepConfig, SweepDetail, SweepEvent, SweepSummary } from '../../shared/sweep';
import type { FileSystem } from '../fs/file-system';
import type { TrainingHost } from '../training/training-host';
import { SweepError } from './sweep-error';
import { SweepRunner } from './sweep-runner';
import { journalPath, listSweeps, readSweep, trialDto, type SweepRecord } from './sweep-store';
import { sweepSummary } from './sweep-summary';

export interface SweepServiceOptions {
  fs: FileSystem;
  host: TrainingHost;
  emit?: (event: SweepEvent) => void;
  createRun?: (projectDir: string, config: RunConfig) => Promise<string>;
  onError?: (error: unknown) => void;
}

const keyOf = (projectDir: string, id: string) => `${projectDir}\u0000${id}`;

export class SweepService {
  private readonly live = new Map<string, { runner: SweepRunner; done: Promise<SweepRecord | null> }>();

  constructor(private readonly options: SweepServiceOptions) {}

  async create(projectDir: string, config: SweepConfig): Promise<SweepSummary> {
    const runner = await SweepRunner.create(this.runnerOptions(projectDir), config);
    return this.start(projectDir, runner);
  }

  async resume(projectDir: string, id: string): Promise<SweepSummary> {
    if (this.live.has(keyOf(projectDir, id))) throw new SweepError('AlreadyRunning', `Sweep ${id} is already running.`, { sweepId: id });
    const runner = await SweepRunner.resume(this.runnerOptions(projectDir), id);
    return this.start(projectDir, runner);
  }

  async stop(projectDir: string, id: string): Promise<SweepSummary> {
    const entry = this.live.get(keyOf(projectDir, id));
    if (!entry) {
      const record = await readSweep(this.options.fs, projectDir, id);
      throw new SweepError('NotRunning', `Sweep ${id} is not running (it is ${this.shownState(projectDir, record)}).`, { sweepId: id });
    }
    await entry.runner.stop();
    await entry.done;
    return sweepSummary(await readSweep(this.options.fs, projectDir, id));
  }

  async list(projectDir: string): Promise<SweepSummary[]> {
    return (await listSweeps(this.options.fs, projectDir)).map((r) => this.summaryOf(projectDir, r));
  }

  async get(projectDir: string, id: string): Promise<SweepDetail> {
    const entry = this.live.get(keyOf(projectDir, id));
    const record = entry ? entry.runner.snapshot() : await readSweep(this.options.fs, projectDir, id);
    return { sweep: this.summaryOf(projectDir, record), config: record.config, trials: record.trials.map(trialDto), journal: journalPath(projectDir, id) };
  }

  /** Resolves when the sweep's runner ends (at once when none runs); answers its final record. */
  async wait(projectDir: string, id: string): Promise<SweepRecord> {
    await this.live.get(keyOf(projectDir, id))?.done;
    return readSweep(this.options.fs, projectDir, id);
  }

  isRunning(projectDir: string, id: string): boolean {
    return this.live.has(keyOf(projectDir, id));
  }

  /** The process is quitting: every runner starts nothing new (the host checkpoints their runs). */
  interruptAll(): void {
    for (const { runner } of this.live.values()) runner.interrupt();
  }

  private shownState(projectDir: string, record: SweepRecord): SweepRecord['state'] {
    return record.state === 'running' && !this.live.has(keyOf(projectDir, record.id)) ? 'interrupted' : record.state;
  }

  private summaryOf(projectDir: string, record: SweepRecord): SweepSummary {
    return sweepSummary(record, this.shownState(projectDir, record));
  }

  private start(projectDir: string, runner: SweepRunner): SweepSummary {
    const key = keyOf(projectDir, runner.id);
    const done = runner.run().then(
      (r) => r,
      (e: unknown) => {
        (this.options.onError ?? ((x) => console.error('[sweeps]', x)))(e);
        return null;
      },
    );
    this.live.set(key, { runner, done });
    void done.finally(() => this.live.delete(key));
    return sweepSummary(runner.snapshot());
  }

  private runnerOptions(projectDir: string) {
    const { fs, host, emit, createRun } = this.options;
    return { fs, host, projectDir, ...(emit && { onEvent: emit }), ...(createRun && { createRun }) };
  }
}
