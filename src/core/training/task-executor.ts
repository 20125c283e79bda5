/**
 * The executor for whatever a run trains: config.json's `task` picks the text executor or the
 * forecast executor. The choice needs the config read first, so commands that arrive meanwhile
 * are kept and handed over in order; a config that cannot be read is reported as `failed`, as the
 * executors report any failure to load.
 */
import { isForecastConfig } from '../../shared/forecast-config';
import type { FileSystem } from '../fs/file-system';
import { readRunConfig } from '../store/runs';
import type { Executor } from './executor-base';
import { ForecastExecutor, type ForecastExecutorOptions } from './forecast-executor';
import type { HostMessage, TrainJob, WorkerMessage } from './protocol';
import { RunExecutor, type ExecutorOptions } from './run-executor';

export type TaskExecutorOptions = ExecutorOptions & ForecastExecutorOptions;

export class TaskExecutor implements Executor {
  private inner: Executor | null = null;
  private readonly pending: HostMessage[] = [];
  private aborted = false;

  constructor(
    private readonly fs: FileSystem,
    private readonly job: TrainJob,
    private readonly postMessage: (message: WorkerMessage) => void,
    private readonly options: TaskExecutorOptions = {},
  ) {}

  command(message: HostMessage): void {
    if (this.inner) this.inner.command(message);
    else this.pending.push(message);
  }

  abort(): void {
    this.aborted = true;
    this.inner?.abort();
  }

  async run(): Promise<void> {
    let forecast: boolean;
    try {
      forecast = isForecastConfig(await readRunConfig(this.fs, this.job.projectDir, this.job.runId));
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const code = (err as { code?: unknown } | null)?.code;
      if (!this.aborted) this.postMessage({ type: 'failed', message: e.message, stack: e.stack ?? null, ...(typeof code === 'string' && { code }) });
      return;
    }
    const inner = forecast
      ? new ForecastExecutor(this.fs, this.job, this.postMessage, this.options)
      : new RunExecutor(this.fs, this.job, this.postMessage, this.options);
    this.inner = inner;
    for (const m of this.pending.splice(0)) inner.command(m);
    if (this.aborted) inner.abort();
    await inner.run();
  }
}
