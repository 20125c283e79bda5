/** The task table run in this thread: the same interface as `workerTasks`, for tests and the CLI. */
import type { FileSystem } from '../fs/file-system';
import { createDataServices, type DataServices } from '../services';
import type { TaskContext } from './task-protocol';
import { taskTable, type TaskName, type TaskResult, type Tasks } from './task-table';

export function inProcessTasks(fs: FileSystem, services: Pick<DataServices, 'runs' | 'generation' | 'datasets'> = createDataServices({ fs })): Tasks {
  const table = taskTable(fs, services);
  return {
    run: async <K extends TaskName>(name: K, ...args: Parameters<(typeof table)[K]>) => {
      const task = table[name] as (...a: unknown[]) => Promise<TaskResult<K>>;
      return task(...args);
    },
    stream: (name, request, onEvent) => {
      const controller = new AbortController();
      const task = table[name] as (r: unknown, ctx: TaskContext) => Promise<never>;
      const ctx: TaskContext = { emit: (e) => onEvent(e as never), signal: controller.signal };
      return { result: Promise.resolve().then(() => task(request, ctx)), cancel: () => controller.abort() };
    },
    close: async () => {},
  };
}
