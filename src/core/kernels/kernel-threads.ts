import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MAX_HELPERS, type WasmKernels } from '../../engine/kernels/wasm';
import { HELPER_SOURCE, SUPERVISOR_SOURCE } from './helper-source';

/** Helper threads driving one WebAssembly kernel set; `close` stops them. */
export interface KernelThreadPool {
  /** Threads per kernel call: the caller plus the helpers. */
  readonly threads: number;
  close(): Promise<void>;
  /** Kills helper `index` (0-based) at once, as a crash would; resolves once it is gone (fault injection for tests). */
  terminateHelper(index: number): Promise<void>;
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
 * Start `threads − 1` helpers on the kernels' module and shared memory, under a supervisor thread
 * that watches them (helper-source.ts); resolves once every helper is in its loop, and only then
 * lets the kernels split their calls. A helper that dies later fails the kernel call waiting on it
 * with `KernelHelperError` instead of leaving it blocked.
 */
export async function startKernelThreads(kernels: WasmKernels, threads: number | 'auto' = 'auto'): Promise<KernelThreadPool> {
  const helpers = resolveThreadCount(threads) - 1;
  if (helpers === 0) return { threads: 1, close: async () => {}, terminateHelper: async () => {} };
  const inits = Array.from({ length: helpers }, (_, i) => kernels.helperInit(i));
  const supervisor = new Worker(SUPERVISOR_SOURCE, { eval: true, workerData: { helperSource: HELPER_SOURCE, inits } });
  const exited = new Map<number, () => void>();
  supervisor.on('message', (m: { type: string; index?: number }) => {
    if (m.type === 'exited') exited.get(m.index!)?.();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      supervisor.on('message', (m: { type: string; message?: string }) => {
        if (m.type === 'ready') resolve();
        if (m.type === 'failed') reject(new Error(m.message));
      });
      supervisor.once('error', reject);
      supervisor.once('exit', (code) => reject(new Error(`the kernel helper supervisor exited (${code}) before the helpers were ready`)));
    });
  } catch (e) {
    await supervisor.terminate(); // its helpers go with it
    throw e;
  }
  supervisor.unref(); // a forgotten pool never keeps the process alive
  kernels.setHelpers(helpers);
  let closed = false;
  return {
    threads: 1 + helpers,
    async close() {
      if (closed) return;
      closed = true;
      kernels.stopHelpers(helpers);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { void supervisor.terminate().then(() => resolve()); }, 2000);
        supervisor.once('exit', () => { clearTimeout(timer); resolve(); });
      });
    },
    terminateHelper(index: number) {
      supervisor.ref(); // keep this thread alive until the answer comes
      return new Promise<void>((resolve) => {
        exited.set(index, () => {
          supervisor.unref();
          resolve();
        });
        supervisor.postMessage({ type: 'kill', index });
      });
    },
  };
}
