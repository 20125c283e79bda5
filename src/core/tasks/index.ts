export { inProcessTasks } from './in-process-tasks';
export { reviveError, serializeError, type SerializedError } from './task-error';
export { taskTable, type TaskArgs, type TaskName, type TaskResult, type Tasks } from './task-table';
export { taskWorkerSpec, workerTasks } from './worker-tasks';
