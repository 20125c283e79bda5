import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MAX_HELPERS, type WasmKernels } from '../../engine/kernels/wasm';
import { HELPER_SOURCE } from './helper-source';

/** Helper threads driving one WebAssembly kernel set; `close` stops them. */
export interface KernelThreadPool {
  /** Threads per kernel call: the caller plus the helpers. */
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * 'auto' → every core this process may use, at most 1 + MAX_HELPERS. A number is taken as given
 * (1 = the caller alone). Each kernel call still decides for itself whether it is large enough to
 * be worth splitting, so small models stay on one thread.
 */
export function resolveThreadCount(threads: number | 'auto'): number {
  const n = threads === 'auto' ? availableParallelism() : threads;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`thread count must be a positive integer or 'auto', got ${threads}`);
  return Math.min(n, 1 + MAX_HELPERS);
}

/**
 * Start `threads − 1` helpers on the kernels' module and shared memory; resolves once every helper
 * is in its loop, and only then lets the kernels split their calls.
 */
export async function startKernelThreads(kernels: WasmKernels, threads: number | 'auto' = 'auto'): Promise<KernelThreadPool> {
  const helpers = resolveThreadCount(threads) - 1;
  const workers: Worker[] = [];
  try {
    await Promise.all(Array.from({ length: helpers }, (_, i) => new Promise<void>((resolve, reject) => {
      const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: kernels.helperInit(i) });
      workers.push(worker);
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`kernel helper ${i} exited (${code}) before it was ready`)));
    })));
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  }
  for (const w of workers) w.unref(); // a forgotten pool never keeps the process alive
  kernels.setHelpers(helpers);
  let closed = false;
  return {
    threads: 1 + helpers,
    async close() {
      if (closed) return;
      closed = true;
      kernels.stopHelpers(helpers);
      await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
        const timer = setTimeout(() => { void w.terminate().then(() => resolve()); }, 2000);
        w.once('exit', () => { clearTimeout(timer); resolve(); });
      })));
    },
  };
}
