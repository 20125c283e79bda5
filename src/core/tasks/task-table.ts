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

export function taskTable(fs: FileSystem, services: Pick<DataServices, 'runs' | 'generation' | 'datasets'>) {
  const { runs, generation, datasets } = services;
  const forecast = new ForecastService(fs, runs);
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
    /** Caches kept beside the services: dropped when the main thread deletes what they hold. */
    'evict:run': async (projectDir: string, runId: string) => generation.evictRun(projectDir, runId),
    'evict:dataset': async (projectDir: string, datasetId: string) => datasets.counts.evictDataset(projectDir, datasetId),
  };
}

export type TaskTable = ReturnType<typeof taskTable>;
export type TaskName = keyof TaskTable;
export type TaskArgs<K extends TaskName> = Parameters<TaskTable[K]>;
export type TaskResult<K extends TaskName> = Awaited<ReturnType<TaskTable[K]>>;

export interface Tasks {
  run<K extends TaskName>(name: K, ...args: TaskArgs<K>): Promise<TaskResult<K>>;
  /** Ends the worker (if any); later tasks start a new one. */
  close(): Promise<void>;
}

export function isTaskName(name: unknown, table: TaskTable): name is TaskName {
  return typeof name === 'string' && Object.hasOwn(table, name);
}
