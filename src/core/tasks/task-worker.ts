/**
 * The task worker: one worker thread that runs the task table (`task-table.ts`) over the real
 * disk, so run creation, generation, scoring, export and inspection never hold the Electron main
 * thread. Requests `{ id, name, args }` are answered `{ id, ok, value | error }`, in any order.
 */
import { parentPort } from 'node:worker_threads';
import { NodeFileSystem } from '../fs/node-file-system';
import { createDataServices } from '../services';
import { serializeError } from './task-error';
import { isTaskName, taskTable } from './task-table';
import { transferablesOf, type TaskCancel, type TaskContext, type TaskReply, type TaskRequest } from './task-protocol';

const port = parentPort;
if (port === null) throw new Error('task-worker.ts runs as a worker thread (see worker-tasks.ts)');

const fs = new NodeFileSystem();
const table = taskTable(fs, createDataServices({ fs }));

/** Streamed tasks in flight, by request id: a cancel message aborts their signal. */
const streams = new Map<number, AbortController>();

port.on('message', (message: TaskRequest | TaskCancel) => {
  if ('cancel' in message) {
    streams.get(message.id)?.abort();
    return;
  }
  const request = message;
  void (async (): Promise<TaskReply> => {
    try {
      if (!isTaskName(request.name, table)) throw new Error(`unknown task ${String(request.name)}`);
      const task = table[request.name] as (...args: unknown[]) => Promise<unknown>;
      if (request.stream !== true) return { id: request.id, ok: true, value: await task(...request.args) };
      const controller = new AbortController();
      streams.set(request.id, controller);
      // events carry fresh float arrays: moved, not copied
      const ctx: TaskContext = { emit: (event) => port.postMessage({ id: request.id, event } satisfies TaskReply, transferablesOf(event)), signal: controller.signal };
      return { id: request.id, ok: true, value: await task(...request.args, ctx) };
    } catch (e) {
      return { id: request.id, ok: false, error: serializeError(e) };
    } finally {
      streams.delete(request.id);
    }
  })().then((reply) => port.postMessage(reply));
});
