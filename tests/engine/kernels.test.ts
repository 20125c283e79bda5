import { describe, expect, it } from 'vitest';
import { tsKernels as k } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import type { FloatArray } from '../../src/engine/tensor';

const rng = new Rng(11);
function rand(n: number, ctor: new (n: number) => FloatArray = Float64Array): FloatArray {
  const a = new ctor(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}
function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `at ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]!)));
}

// Sizes straddle the 4×4 blocks: full blocks, tails, and sizes below one block.
const sizes = [1, 3, 4, 5, 8, 13];

describe('tsKernels matrix products', () => {
  for (const ctor of [Float64Array, Float32Array]) {
    const tol = ctor === Float64Array ? 1e-12 : 1e-5;
    it(`adds x·Wᵀ to y for every block/tail shape (${ctor.name})`, () => {
      for (const n of sizes) for (const kk of sizes) for (const m of sizes) {
        const x = rand(n * kk, ctor), w = rand(m * kk, ctor), y = rand(n * m, ctor);
        const want = Float64Array.from(y);
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
          let s = 0;
          for (let p = 0; p < kk; p++) s += x[i * kk + p]! * w[j * kk + p]!;
          want[i * m + j]! += s;
        }
        k.gemmXWt(y, x, w, n, kk, m);
        expectAllClose(y, want, tol);
      }
    });

    it(`adds dY·W to dX for every block/tail shape (${ctor.name})`, () => {
      for (const n of sizes) for (const m of sizes) for (const kk of sizes) {
        const dy = rand(n * m, ctor), w = rand(m * kk, ctor), dx = rand(n * kk, ctor);
        const want = Float64Array.from(dx);
        for (let i = 0; i < n; i++) for (let j = 0; j < kk; j++) {
          let s = 0;
          for (let p = 0; p < m; p++) s += dy[i * m + p]! * w[p * kk + j]!;
          want[i * kk + j]! += s;
        }
        k.gemmDyW(dx, dy, w, n, m, kk);
        expectAllClose(dx, want, tol);
      }
    });

    it(`adds dYᵀ·X to dW for every block/tail shape (${ctor.name})`, () => {
      for (const n of sizes) for (const m of sizes) for (const kk of sizes) {
        const dy = rand(n * m, ctor), x = rand(n * kk, ctor), dw = rand(m * kk, ctor);
        const want = Float64Array.from(dw);
        for (let o = 0; o < m; o++) for (let j = 0; j < kk; j++) {
          let s = 0;
          for (let p = 0; p < n; p++) s += dy[p * m + o]! * x[p * kk + j]!;
          want[o * kk + j]! += s;
        }
        k.gemmDyTX(dw, dy, x, n, m, kk);
        expectAllClose(dw, want, tol);
      }
    });
  }

  it('works on subarray views without touching memory outside them', () => {
    const big = new Float64Array(40).fill(7);
    const y = big.subarray(10, 10 + 3 * 5);
    y.fill(0);
    const x = rand(3 * 6), w = rand(5 * 6);
    k.gemmXWt(y, x, w, 3, 6, 5);
    for (let i = 0; i < 10; i++) expect(big[i]).toBe(7);
    for (let i = 25; i < 40; i++) expect(big[i]).toBe(7);
  });
});

describe('tsKernels gathers and scatters', () => {
  it('adds the columns of W picked by ids, exactly as a product with one-hot rows', () => {
    const n = 5, m = 6, v = 7;
    const ids = Int32Array.from([3, 0, 6, 3, 1]);
    const w = rand(m * v), onehot = new Float64Array(n * v);
    ids.forEach((id, r) => { onehot[r * v + id] = 1; });
    const a = rand(n * m), b = Float64Array.from(a);
    k.gatherColsAdd(a, w, ids, n, m, v);
    k.gemmXWt(b, onehot, w, n, v, m);
    expectAllClose(a, b, 1e-15);
    const dy = rand(n * m), dwA = rand(m * v), dwB = Float64Array.from(dwA);
    k.scatterColsAdd(dwA, dy, ids, n, m, v);
    k.gemmDyTX(dwB, dy, onehot, n, m, v);
    expectAllClose(dwA, dwB, 1e-15);
  });

  it('copies embedding rows and accumulates their gradients into repeated rows', () => {
    const table = rand(4 * 3), ids = Int32Array.from([2, 2, 0]);
    const out = new Float64Array(9);
    k.gatherRows(out, table, ids, 3, 3);
    expect(Array.from(out.subarray(0, 3))).toEqual(Array.from(table.subarray(6, 9)));
    expect(Array.from(out.subarray(6, 9))).toEqual(Array.from(table.subarray(0, 3)));
    const dt = new Float64Array(12);
    k.scatterRowsAdd(dt, Float64Array.from([1, 2, 3, 10, 20, 30, 5, 5, 5]), ids, 3, 3);
    expect(Array.from(dt)).toEqual([5, 5, 5, 0, 0, 0, 11, 22, 33, 0, 0, 0]);
  });

  it('adds a bias to every row and sums rows into a bias gradient', () => {
    const y = new Float64Array(6);
    k.addBias(y, Float64Array.from([1, 2, 3]), 2, 3);
    expect(Array.from(y)).toEqual([1, 2, 3, 1, 2, 3]);
    const db = Float64Array.from([1, 1, 1]);
    k.sumRows(db, Float64Array.from([1, 2, 3, 4, 5, 6]), 2, 3);
    expect(Array.from(db)).toEqual([6, 8, 10]);
  });
});

describe('tsKernels nonlinearities', () => {
  it('relu zeroes negatives, keeps NaN visible, and passes gradient only where the output is positive', () => {
    const a = Float64Array.from([-2, 0, 3, NaN]);
    k.reluInPlace(a, 4);
    expect(Array.from(a)).toEqual([0, 0, 3, NaN]);
    const d = new Float64Array(4);
    k.reluBackward(d, Float64Array.from([1, 1, 1, 1]), a, 4);
    expect(Array.from(d)).toEqual([0, 0, 1, 0]);
  });

  it('tanh backward is dy·(1 − tanh²)', () => {
    const pre = Float64Array.from([-1.5, 0, 0.7]);
    const y = Float64Array.from(pre);
    k.tanhInPlace(y, 3);
    const d = new Float64Array(3);
    k.tanhBackward(d, Float64Array.from([2, 2, 2]), y, 3);
    for (let i = 0; i < 3; i++) expect(d[i]).toBeCloseTo(2 / Math.cosh(pre[i]!) ** 2, 14);
  });

  it('LSTM gates saturate without overflow for huge pre-activations', () => {
    const B = 1, H = 1;
    const gates = Float64Array.from([1e4, -1e4, 1e4, 1e4]), cPrev = Float64Array.from([5]);
    const c = new Float64Array(1), tc = new Float64Array(1), h = new Float64Array(1);
    k.lstmPointwiseForward(gates, cPrev, c, tc, h, B, H);
    expect(Array.from(gates)).toEqual([1, 0, 1, 1]);
    expect(c[0]).toBe(1);
    expect(h[0]).toBeCloseTo(Math.tanh(1), 15);
  });
});
