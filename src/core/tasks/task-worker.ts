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
import type { TaskReply, TaskRequest } from './task-protocol';

const port = parentPort;
if (port === null) throw new Error('task-worker.ts runs as a worker thread (see worker-tasks.ts)');

const fs = new NodeFileSystem();
const table = taskTable(fs, createDataServices({ fs }));

port.on('message', (request: TaskRequest) => {
  void (async (): Promise<TaskReply> => {
    try {
      if (!isTaskName(request.name, table)) throw new Error(`unknown task ${String(request.name)}`);
      const task = table[request.name] as (...args: unknown[]) => Promise<unknown>;
      return { id: request.id, ok: true, value: await task(...request.args) };
    } catch (e) {
      return { id: request.id, ok: false, error: serializeError(e) };
    }
  })().then((reply) => port.postMessage(reply));
});
