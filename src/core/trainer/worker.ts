/**
 * The trainer worker: one run per worker thread. The job arrives in `workerData`; host commands
 * arrive as messages and go to the executor, whose reports go back to the host. The worker ends
 * by itself once the run is finished, released or failed. The run's task (text or forecast) picks
 * the executor.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NodeFileSystem } from '../fs/node-file-system';
import type { HostMessage, TrainJob } from '../training/protocol';
import { TaskExecutor } from '../training/task-executor';

const port = parentPort;
if (port === null) throw new Error('worker.ts runs as a worker thread of the training host');

const { job } = workerData as { job: TrainJob };
const executor = new TaskExecutor(new NodeFileSystem(), job, (message) => port.postMessage(message));
const onCommand = (message: HostMessage) => executor.command(message);
port.on('message', onCommand);
await executor.run();
port.off('message', onCommand);
port.unref();
