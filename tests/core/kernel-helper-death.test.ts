import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

/*
 * A kernel helper thread that dies (killed, or its runtime failed) must fail what waits on it with
 * a message, not leave the caller blocked for ever. The scenario runs in a worker
 * (dead-helper-worker.ts) so that a hang is seen here as a timeout.
 */
function scenario(mode: 'kernels' | 'run', timeoutMs: number): Promise<Record<string, unknown>> {
  const worker = new Worker(new URL('../../src/core/trainer/dev-bootstrap.mjs', import.meta.url), {
    workerData: { entry: new URL('./dead-helper-worker.ts', import.meta.url).href, mode },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the ${mode} scenario hung for ${timeoutMs} ms after a kernel helper thread died`));
    }, timeoutMs);
    worker.once('message', (m: Record<string, unknown>) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${mode} scenario ended (${code}) without reporting`));
    });
  });
}

describe('a dead kernel helper thread', () => {
  it('fails the kernel call waiting on it with KernelHelperError instead of blocking for ever', async () => {
    const r = await scenario('kernels', 20_000);
    expect(r.before).toBe(0.5 * 0.25 * 64);
    expect(r).toMatchObject({ threw: true, code: 'KernelHelperStopped' });
    expect(r.message).toMatch(/^a kernel helper thread stopped \(helper 1, exit code 1\)/);
  }, 30_000);

  it('fails the training run with a message naming the helper thread', async () => {
    const r = await scenario('run', 60_000);
    expect(r).toMatchObject({ killed: true, threads: 2, state: 'failed' });
    expect(r.message).toMatch(/^Training failed: a kernel helper thread stopped .* Resume it to continue from its last checkpoint\.$/);
  }, 90_000);
});
