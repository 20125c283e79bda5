/**
 * The heavy service calls the Electron main thread hands to the task worker: data preparation
 * (run creation), generation, scoring, export, and inspection (run details, a dataset's
 * vocabulary and cleaned preview). Each task takes the service's own arguments unchanged —
 * request objects pass through whole, so options added to a service reach it without touching
 * this table — and answers with plain data (structured-clonable).
 *
 * The table runs wherever the services live: in the worker (`workerTasks`) or in this thread
 * (`inProcessTasks`, for tests and the command line). Callers check access and writability
 * before running a task; the table does not.
 */
import type { FileSystem } from '../fs/file-system';
import { exportRun, loadExportable } from '../export/export-run';
import { exportPytorchRun } from '../export/train-elsewhere';
import type { DataServices } from '../services';
import { ForecastService } from '../services/forecast-service';
import { InspectService } from '../inspect/inspect-service';
import type { TaskContext, TaskJob } from './task-protocol';

export function taskTable(fs: FileSystem, services: Pick<DataServices, 'runs' | 'generation' | 'datasets'>) {
  const { runs, generation, datasets } = services;
  const forecast = new ForecastService(fs, runs);
  const inspect = new InspectService(fs, generation);
  return {
    'runs:create': (projectDir: string, config: unknown) => runs.create(projectDir, config),
    'runs:get': (projectDir: string, runId: string) => runs.get(projectDir, runId),
    'generate:text': (request: Parameters<typeof generation.generate>[0]) => generation.generate(request),
    'generate:score': (request: Parameters<typeof generation.score>[0]) => generation.score(request),
    /** What an export will take (refuses a run without weights before a save dialog opens). */
    'export:inspect': async (projectDir: string, runId: string, checkpoint: string | null) => {
      if (await forecast.isForecastRun(projectDir, runId)) return forecast.inspectExport(projectDir, runId, checkpoint);
      const { runName, checkpoint: name } = await loadExportable(fs, projectDir, runId, checkpoint);
      return { runName, checkpoint: name };
    },
    'export:run': async (request: Parameters<typeof exportRun>[1]) =>
      (await forecast.isForecastRun(request.projectDir, request.runId)) ? forecast.export(request) : exportRun(fs, request),
    /** "Train elsewhere": the run as a folder for PyTorch (reads the dataset, builds the initial weights). */
    'export:pytorchRun': (request: Parameters<typeof exportPytorchRun>[1]) => exportPytorchRun(fs, request),
    'forecast:create': (projectDir: string, config: unknown) => forecast.create(projectDir, config),
    'forecast:get': (projectDir: string, runId: string) => forecast.get(projectDir, runId),
    'forecast:view': (projectDir: string, runId: string) => forecast.view(projectDir, runId),
    'forecast:future': (projectDir: string, runId: string, steps: number, origin?: number) => forecast.future(projectDir, runId, steps, origin),
    'datasets:vocabulary': (...args: Parameters<typeof datasets.vocabulary>) => datasets.vocabulary(...args),
    'datasets:preview': (...args: Parameters<typeof datasets.preview>) => datasets.preview(...args),
    /** Streamed (`Tasks.stream`): a head event, then data events; answers how it ended. */
    'inspect:run': (request: Parameters<typeof inspect.inspect>[0], ctx: Parameters<typeof inspect.inspect>[1]) => inspect.inspect(request, ctx),
    'inspect:match': (request: Parameters<typeof inspect.match>[0], ctx: Parameters<typeof inspect.match>[1]) => inspect.match(request, ctx),
    'inspect:saliency': (request: Parameters<typeof inspect.saliency>[0]) => inspect.saliency(request),
    'inspect:saturation': (request: Parameters<typeof inspect.saturation>[0]) => inspect.saturation(request),
    'inspect:select': (request: Parameters<typeof inspect.select>[0]) => inspect.select(request),
    /** Caches kept beside the services: dropped when the main thread deletes what they hold. */
    'evict:run': async (projectDir: string, runId: string) => {
      generation.evictRun(projectDir, runId);
      inspect.evictRun(projectDir, runId);
    },
    'evict:dataset': async (projectDir: string, datasetId: string) => datasets.counts.evictDataset(projectDir, datasetId),
  };
}

export type TaskTable = ReturnType<typeof taskTable>;
export type TaskName = keyof TaskTable;
export type TaskArgs<K extends TaskName> = Parameters<TaskTable[K]>;
export type TaskResult<K extends TaskName> = Awaited<ReturnType<TaskTable[K]>>;

/** Tasks that take (request, context) and send events while they run. */
export type StreamTaskName = { [K in TaskName]: Parameters<TaskTable[K]> extends [unknown, TaskContext<infer _E>] ? K : never }[TaskName];
export type StreamEventOf<K extends StreamTaskName> = Parameters<TaskTable[K]>[1] extends TaskContext<infer E> ? E : never;

export interface Tasks {
  run<K extends TaskName>(name: K, ...args: TaskArgs<K>): Promise<TaskResult<K>>;
  /** Runs a streamed task: `onEvent` receives its events in order, before `result` settles. */
  stream<K extends StreamTaskName>(name: K, request: TaskArgs<K>[0], onEvent: (event: StreamEventOf<K>) => void): TaskJob<TaskResult<K>>;
  /** Ends the worker (if any); later tasks start a new one. */
  close(): Promise<void>;
}

export function isTaskName(name: unknown, table: TaskTable): name is TaskName {
  return typeof name === 'string' && Object.hasOwn(table, name);
}
