/**
 * Runs in a worker thread for kernel-helper-death.test.ts: kills a kernel helper thread, then does
 * what would wait on it, and reports what happened. In a worker, so that a regression — the caller
 * blocked in Atomics.wait for ever — shows up as a timeout in the test, not a frozen test runner.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startKernelThreads } from '../../src/core/kernels';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../src/core/training/training-host';
import type { RunKernels } from '../../src/core/kernels/run-kernels';
import { createWasmKernels } from '../../src/engine/kernels/wasm';
import { memoryTrainingProject } from './training-fixtures';

const port = parentPort!;
const { mode } = workerData as { mode: 'kernels' | 'run' };

if (mode === 'kernels') {
  const k = createWasmKernels({ relaxed: false, splitFlops: 0, adaptive: false });
  const pool = await startKernelThreads(k, 2);
  const n = 32, d = 64, m = 64;
  const y = k.allocate(n * m), x = k.allocate(n * d).fill(0.5), w = k.allocate(m * d).fill(0.25);
  k.gemmXWt(y, x, w, n, d, m); // split across both threads while the helper lives
  const before = y[0];
  await pool.terminateHelper(0);
  let result: Record<string, unknown> = { threw: false, before };
  try {
    k.gemmXWt(y, x, w, n, d, m);
  } catch (e) {
    result = { threw: true, before, code: (e as { code?: string }).code, message: (e as Error).message };
  }
  await pool.close();
  port.postMessage(result);
} else {
  const p = await memoryTrainingProject();
  const id = await p.createRun({ cell: 'gru', hiddenSize: 128, batchSize: 16, epochs: 200 });
  let kernels: RunKernels | null = null;
  const host = new TrainingHost({ fs: p.fs, kernels: 'wasm', threadsPerRun: 2, launcher: inProcessLauncher(p.fs, { onKernels: (rk) => (kernels = rk) }) });
  let killed = false;
  host.subscribe((e) => {
    if (!killed && (e.progress?.step ?? 0) >= 3 && kernels?.pool) {
      killed = true;
      void kernels.pool.terminateHelper(0);
    }
  });
  await host.start(p.dir, id);
  const run = await host.wait(p.dir, id);
  port.postMessage({ killed, state: run.state, message: run.message ?? null, threads: kernels ? (kernels as RunKernels).description.threads : null });
}
