/** Messages between `workerTasks` (main thread) and `task-worker.ts`. */
import type { SerializedError } from './task-error';

export interface TaskRequest {
  id: number;
  name: string;
  args: unknown[];
}

export type TaskReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };
