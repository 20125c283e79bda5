/**
 * The task table in a worker thread (`task-worker.ts`; built as out/main/task-worker.js, see
 * electron.vite.config.ts): the main thread only posts a request and waits, so its event loop
 * stays free while a corpus is tokenised or a long sample generated. One worker, started on the
 * first task and kept (it holds the model and token-count caches); it does not keep the process
 * alive while idle. If it dies, the pending tasks fail with `TaskWorkerFailed` and the next task
 * starts a new one.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { workerEntrySpec, type TrainerWorkerSpec } from '../training/worker-launcher';
import { reviveError } from './task-error';
import type { TaskCancel, TaskReply, TaskRequest } from './task-protocol';
import type { StreamTaskName, TaskName, TaskResult, Tasks } from './task-table';

/** Where the task worker is, seen from the module at `moduleUrl` (this one by default). */
export function taskWorkerSpec(moduleUrl: string = import.meta.url): TrainerWorkerSpec {
  return workerEntrySpec(moduleUrl, { built: './task-worker.js', dev: '../tasks/task-worker.ts' });
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onEvent?: (event: unknown) => void;
}

export function workerTasks(spec: TrainerWorkerSpec = taskWorkerSpec()): Tasks {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const fail = (w: Worker, error: Error): void => {
    if (worker !== w) return;
    worker = null;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    const w = new Worker(spec.url, { workerData: { ...spec.workerData } });
    w.on('message', (reply: TaskReply) => {
      const p = pending.get(reply.id);
      if (p === undefined) return;
      if ('event' in reply) {
        p.onEvent?.(reply.event);
        return;
      }
      pending.delete(reply.id);
      if (pending.size === 0) w.unref();
      if (reply.ok) p.resolve(reply.value);
      else p.reject(reviveError(reply.error));
    });
    w.on('error', (e) => fail(w, new AppError('TaskWorkerFailed', `The background worker failed: ${e instanceof Error ? e.message : String(e)}`)));
    w.on('exit', (code) => fail(w, new AppError('TaskWorkerFailed', `The background worker stopped (exit code ${code}).`)));
    return w;
  };

  const send = <R>(name: string, args: unknown[], onEvent?: (event: unknown) => void): { id: number; w: Worker; result: Promise<R> } => {
    worker ??= start();
    const w = worker;
    const id = nextId++;
    const request: TaskRequest = onEvent ? { id, name, args, stream: true } : { id, name, args };
    const result = new Promise<R>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(onEvent && { onEvent }) });
      w.ref();
      w.postMessage(request);
    });
    return { id, w, result };
  };

  return {
    run<K extends TaskName>(name: K, ...args: unknown[]): Promise<TaskResult<K>> {
      return send<TaskResult<K>>(name, args).result;
    },
    stream<K extends StreamTaskName>(name: K, request: unknown, onEvent: (event: never) => void) {
      const { id, w, result } = send<TaskResult<K>>(name, [request], onEvent as (event: unknown) => void);
      const cancel: TaskCancel = { id, cancel: true };
      return { result, cancel: () => { if (pending.has(id) && worker === w) w.postMessage(cancel); } };
    },
    async close() {
      const w = worker;
      if (w === null) return;
      fail(w, new AppError('TaskWorkerFailed', 'The background worker was closed.'));
      await w.terminate();
    },
  };
}
