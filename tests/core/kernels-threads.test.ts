import { afterAll, describe, expect, it } from 'vitest';
import { createRunKernels, resolveThreadCount, startKernelThreads, type KernelThreadPool } from '../../src/core/kernels';
import { createWasmKernels, type WasmKernels } from '../../src/engine/kernels/wasm';
import { Rng } from '../../src/engine/rng';
import { resolveTrainerOptions, Trainer } from '../../src/engine/train';

/*
 * Helper threads share the kernels' memory: results must not depend on timing, and — because every
 * call is cut at block boundaries so each output element is summed in the same order — not on the
 * thread count either. splitFlops 0 forces even the small test shapes across the threads.
 */
const pools: KernelThreadPool[] = [];
afterAll(async () => { await Promise.all(pools.map((p) => p.close())); });

async function threaded(threads: number): Promise<WasmKernels> {
  const k = createWasmKernels({ splitFlops: 0, relaxed: false });
  if (threads > 1) pools.push(await startKernelThreads(k, threads));
  return k;
}

const bits = (t: Trainer) => [...t.model.params.values()].map((p) => Array.from(new Uint32Array(p.data.slice().buffer)));

function train(kernels: WasmKernels, cell: 'rnn' | 'gru' | 'lstm'): Trainer {
  const V = 10, rng = new Rng(4);
  const data = { train: Int32Array.from({ length: 1500 }, () => rng.nextInt(V)), val: new Int32Array(0), vocabSize: V };
  const t = new Trainer(resolveTrainerOptions({ cell, hiddenSize: 36, numLayers: 2, numSteps: 6, batchSize: 10, seed: 3 }), data, { kernels });
  for (let i = 0; i < 8; i++) t.trainStep();
  return t;
}

describe('kernel helper threads', () => {
  it('resolves the thread count: auto is the cores available, numbers are kept, nonsense is refused', () => {
    expect(resolveThreadCount('auto')).toBeGreaterThanOrEqual(1);
    expect(resolveThreadCount(2)).toBe(2);
    expect(() => resolveThreadCount(0)).toThrow(RangeError);
    expect(() => resolveThreadCount(1.5)).toThrow(RangeError);
  });

  it('trains bit-identically with 1, 2 and 3 threads, and again with 2', async () => {
    const one = await threaded(1), two = await threaded(2), three = await threaded(3), twoAgain = await threaded(2);
    expect(two.describe().threads).toBe(2);
    for (const cell of ['rnn', 'gru', 'lstm'] as const) {
      const ref = bits(train(one, cell));
      expect(bits(train(two, cell)), cell).toEqual(ref);
      expect(bits(train(three, cell)), cell).toEqual(ref);
      expect(bits(train(twoAgain, cell)), cell).toEqual(ref);
    }
  });

  it('splits large products across threads with the same numbers as one thread', async () => {
    const one = createWasmKernels({ relaxed: false }), two = await threaded(2);
    const rng = new Rng(8);
    const n = 64, k = 200, m = 300;
    const x = Float32Array.from({ length: n * k }, () => rng.uniform(-1, 1)), w = Float32Array.from({ length: m * k }, () => rng.uniform(-1, 1));
    const out = [one, two].map((K) => {
      const X = K.allocate(n * k), W = K.allocate(m * k), Y = K.allocate(n * m), DX = K.allocate(n * k), DW = K.allocate(m * k);
      X.set(x); W.set(w);
      K.gemmXWt(Y, X, W, n, k, m);
      K.gemmDyW(DX, Y, W, n, m, k);
      K.gemmDyTX(DW, Y, X, n, m, k);
      return [Array.from(Y), Array.from(DX), Array.from(DW)];
    });
    expect(out[1]).toEqual(out[0]);
  });

  it('stops its helpers on close, after which the kernels run alone', async () => {
    const k = createWasmKernels({ splitFlops: 0 });
    const pool = await startKernelThreads(k, 2);
    expect(pool.threads).toBe(2);
    await pool.close();
    expect(k.describe().threads).toBe(1);
    const y = k.allocate(64 * 64), x = k.allocate(64 * 64).fill(1);
    k.gemmXWt(y, x, x, 64, 64, 64);
    expect(y[0]).toBe(64);
    await pool.close(); // idempotent
  });

  it('creates run kernels that say what they are, and closes them', async () => {
    const wasm = await createRunKernels({ kernels: 'wasm', threads: 2 });
    expect(wasm.description).toMatchObject({ backend: 'wasm', threads: 2, precision: 'float32' });
    expect(wasm.description.reason).toMatch(/SIMD/);
    await wasm.close();
    const ts = await createRunKernels({ kernels: 'ts', threads: 2 });
    expect(ts.description).toMatchObject({ name: 'ts', backend: 'ts', threads: 1 });
    await ts.close();
  });
});
