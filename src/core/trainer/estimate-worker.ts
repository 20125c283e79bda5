/**
 * The estimate worker: times a run configuration's first minibatches (services/training-estimate)
 * on a thread of its own, so the process that asked keeps answering. One job per worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NodeFileSystem } from '../fs/node-file-system';
import { measureTrainingTime, type MeasureOptions } from '../services/training-estimate';

const port = parentPort;
if (port === null) throw new Error('estimate-worker.ts runs as a worker thread');

const { job } = workerData as { job: { projectDir: string; config: unknown; options: MeasureOptions } };
try {
  const t0 = performance.now();
  const value = await measureTrainingTime(new NodeFileSystem(), job.projectDir, job.config, job.options);
  port.postMessage({ ok: true, value, elapsedSeconds: (performance.now() - t0) / 1000 });
} catch (err) {
  const e = err as { code?: unknown; message?: unknown; details?: unknown };
  port.postMessage({ ok: false, error: { code: typeof e.code === 'string' ? e.code : 'EstimateFailed', message: String(e.message ?? err), details: e.details ?? {} } });
}
port.unref();
