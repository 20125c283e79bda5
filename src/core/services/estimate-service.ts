/**
 * `runs:estimate`: the run's training time measured on this machine. The measurement trains a few
 * minibatches, so it runs in a worker thread (the Electron main process must keep answering);
 * tests and the command line may run it in-process over any file system. Requests for the same
 * project and config share one measurement, and a measurement answers for a while from a small
 * cache, so typing in the form does not start a new one per keystroke.
 *
 * The worker file follows the trainer worker's rules (core/training/worker-launcher.ts): built,
 * `out/main/estimate-worker.js` next to the bundle; from sources, the tsx bootstrap.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { RunEstimate } from '../../shared/runs';
import type { KernelChoice } from '../../engine/kernels/wasm';
import type { FileSystem } from '../fs/file-system';
import { workerEntrySpec } from '../training/worker-launcher';
import { measureTrainingTime, type MeasureOptions } from './training-estimate';

/** Measures in a worker thread over the real disk. */
export function measureInWorker(projectDir: string, config: unknown, options: MeasureOptions): Promise<RunEstimate> {
  const spec = workerEntrySpec(import.meta.url, { built: './estimate-worker.js', dev: '../trainer/estimate-worker.ts' });
  const { now: _now, ...cloneable } = options;
  const spawned = performance.now();
  return new Promise((resolve, reject) => {
    const worker = new Worker(spec.url, { workerData: { ...spec.workerData, job: { projectDir, config, options: cloneable } }, stderr: false });
    let settled = false;
    worker.once('message', (m: { ok: true; value: RunEstimate; elapsedSeconds: number } | { ok: false; error: { code: string; message: string; details: Record<string, unknown> } }) => {
      settled = true;
      // a trainer starts a thread and loads its code the same way: what this one took before it
      // began measuring counts as setup (the worker reports how long its own measurement ran)
      if (m.ok) {
        const threadStart = Math.max(0, (performance.now() - spawned) / 1000 - m.elapsedSeconds);
        resolve({ ...m.value, setupSeconds: m.value.setupSeconds + threadStart, seconds: m.value.seconds + threadStart });
      }
      else reject(new AppError(m.error.code, m.error.message, m.error.details));
    });
    worker.once('error', (e) => {
      settled = true;
      reject(new AppError('EstimateFailed', `The training time could not be measured: ${e.message}`));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new AppError('EstimateFailed', `The training time could not be measured (the measuring thread exited with code ${code}).`));
    });
  });
}

export type Measure = (projectDir: string, config: unknown, options: MeasureOptions) => Promise<RunEstimate>;

export interface EstimateServiceOptions {
  /** Default: a worker thread. `inProcess(fs)` measures on the calling thread. */
  measure?: Measure;
  /** Which kernels and threads a trainer would get (asked at each request: the host's settings). */
  trainerKernels?: () => { kernels: KernelChoice; threads: number };
  budgetMs?: number;
  /** Estimates kept (by project and config). */
  cacheSize?: number;
}

/** Measures on the calling thread over `fs` (tests, the command line). */
export const inProcess = (fs: FileSystem): Measure => (projectDir, config, options) => measureTrainingTime(fs, projectDir, config, options);

export class EstimateService {
  private readonly measure: Measure;
  private readonly cache = new Map<string, Promise<RunEstimate>>();

  constructor(private readonly options: EstimateServiceOptions = {}) {
    this.measure = options.measure ?? measureInWorker;
  }

  estimate(projectDir: string, config: unknown): Promise<RunEstimate> {
    const key = `${projectDir}\u0000${JSON.stringify(config)}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const settings = this.options.trainerKernels?.() ?? { kernels: 'auto' as const, threads: 1 };
    const pending = this.measure(projectDir, config, { ...settings, ...(this.options.budgetMs !== undefined && { budgetMs: this.options.budgetMs }) });
    this.cache.set(key, pending);
    pending.catch(() => this.cache.get(key) === pending && this.cache.delete(key));
    while (this.cache.size > (this.options.cacheSize ?? 8)) this.cache.delete(this.cache.keys().next().value!);
    return pending;
  }
}
