/** Messages between `workerTasks` (main thread) and `task-worker.ts`. */
import type { SerializedError } from './task-error';

export interface TaskRequest {
  id: number;
  name: string;
  args: unknown[];
  /** A streamed task: its table entry receives a `TaskContext` after `args`. */
  stream?: boolean;
}

/** Asks the worker to abort streamed task `id` (its context's signal fires). */
export interface TaskCancel {
  id: number;
  cancel: true;
}

export type TaskReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError }
  /** An event of a streamed task, before its final reply. */
  | { id: number; event: unknown };

/** What a streamed task gets besides its arguments: a way to send events, and its cancellation. */
export interface TaskContext<E = unknown> {
  emit(event: E): void;
  signal: AbortSignal;
}

/** A streamed task in flight: its final value, and a way to ask it to stop early. */
export interface TaskJob<R> {
  result: Promise<R>;
  cancel(): void;
}

/** Array buffers a message may move instead of copying: those of unshared typed arrays in it. */
export function transferablesOf(value: unknown, out: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value)) {
    const b = value.buffer;
    if (b instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === b.byteLength && !out.includes(b)) out.push(b);
    return out;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) transferablesOf(v, out, depth + 1);
  return out;
}
