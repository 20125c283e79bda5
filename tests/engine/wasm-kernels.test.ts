import { describe, expect, it } from 'vitest';
import { tsKernels } from '../../src/engine/kernels';
import { describeKernels, detectWasmFeatures, selectKernels } from '../../src/engine/kernels/wasm';
import { Rng } from '../../src/engine/rng';
import { place, tsBackend, wasmBackends, type Backend } from './wasm-backends';

// Every kernel of every backend against a float64 evaluation of the TypeScript reference.
const rng = new Rng(23);
const rand = (n: number, scale = 1) => Float64Array.from({ length: n }, () => rng.uniform(-scale, scale));
const TOL = 1e-5;

function expectClose(actual: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  expect(actual.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(actual[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!));
    if (!(err <= tol)) expect.fail(`${what}[${i}]: ${actual[i]} vs ${want[i]}`);
  }
}

// Sizes straddle the WebAssembly blocks (2×4 and 4×8 tiles, 4-wide vectors, 16-column sums).
const sizes = [1, 3, 4, 5, 8, 9, 13, 17, 33];

const backends: Backend[] = [tsBackend, ...wasmBackends()];

for (const b of backends) {
  const k = b.kernels;
  describe(`${b.name} kernels`, () => {
    it('matrix products add x·Wᵀ, dY·W and dYᵀ·X for every block and tail shape', () => {
      for (const n of sizes) for (const kk of sizes) for (const m of sizes) {
        const x = rand(n * kk), w = rand(m * kk), y = rand(n * m), dy = rand(n * m), dx = rand(n * kk), dw = rand(m * kk);
        const wantY = Float64Array.from(y), wantDx = Float64Array.from(dx), wantDw = Float64Array.from(dw);
        tsKernels.gemmXWt(wantY, x, w, n, kk, m);
        tsKernels.gemmDyW(wantDx, dy, w, n, m, kk);
        tsKernels.gemmDyTX(wantDw, dy, x, n, m, kk);
        const Y = place(b, y), DX = place(b, dx), DW = place(b, dw), X = place(b, x), W = place(b, w), DY = place(b, dy);
        k.gemmXWt(Y, X, W, n, kk, m);
        k.gemmDyW(DX, DY, W, n, m, kk);
        k.gemmDyTX(DW, DY, X, n, m, kk);
        expectClose(Y, wantY, TOL, `xWᵀ ${n}×${kk}×${m}`);
        expectClose(DX, wantDx, TOL, `dY·W ${n}×${m}×${kk}`);
        expectClose(DW, wantDw, TOL, `dYᵀ·X ${n}×${m}×${kk}`);
      }
    });

    it('matrix products on RNN shapes (B = 32, H = 256, 4H gates; T·B = 70 rows for weight gradients)', () => {
      const B = 32, H = 256, G = 1024, N = 70;
      const x = rand(B * H), w = rand(G * H, 0.1), y = rand(B * G), dy = rand(N * G), xs = rand(N * H);
      const wantY = Float64Array.from(y), wantDx = new Float64Array(B * H), wantDw = new Float64Array(G * H);
      tsKernels.gemmXWt(wantY, x, w, B, H, G);
      tsKernels.gemmDyW(wantDx, dy.subarray(0, B * G), w, B, G, H);
      tsKernels.gemmDyTX(wantDw, dy, xs, N, G, H);
      const Y = place(b, y), W = place(b, w), DX = b.f32(B * H), DW = b.f32(G * H), DY = place(b, dy);
      k.gemmXWt(Y, place(b, x), W, B, H, G);
      k.gemmDyW(DX, DY.subarray(0, B * G), W, B, G, H);
      k.gemmDyTX(DW, DY, place(b, xs), N, G, H);
      expectClose(Y, wantY, 1e-4, 'xWᵀ');
      expectClose(DX, wantDx, 1e-4, 'dY·W');
      expectClose(DW, wantDw, 1e-4, 'dYᵀ·X');
    });

    it('matrix products on a word vocabulary (packed in chunks) add the same as the reference', () => {
      // ∂L/∂logits of 70 rows over 20,003 words: more than one 4 MiB packing chunk, and tails
      const n = 70, V = 20_003, H = 20;
      const dy = rand(n * V), w = rand(V * H, 0.1), x = rand(n * H);
      const wantDx = new Float64Array(n * H), wantDw = new Float64Array(V * H);
      tsKernels.gemmDyW(wantDx, dy, w, n, V, H);
      tsKernels.gemmDyTX(wantDw, dy, x, n, V, H);
      const DX = b.f32(n * H), DW = b.f32(V * H);
      k.gemmDyW(DX, place(b, dy), place(b, w), n, V, H);
      k.gemmDyTX(DW, place(b, dy), place(b, x), n, V, H);
      expectClose(DX, wantDx, 1e-4, 'dY·W');
      expectClose(DW, wantDw, 1e-5, 'dYᵀ·X');
    });

    it('writes only inside the views it is given', () => {
      const big = b.f32(64).fill(7);
      const y = big.subarray(8, 8 + 3 * 5);
      y.fill(0);
      k.gemmXWt(y, place(b, rand(3 * 6)), place(b, rand(5 * 6)), 3, 6, 5);
      k.tanhInPlace(y, 15);
      for (let i = 0; i < 8; i++) expect(big[i]).toBe(7);
      for (let i = 23; i < 64; i++) expect(big[i]).toBe(7);
    });

    it('gathers and scatters one-hot columns and embedding rows, with repeated ids', () => {
      const n = 9, m = 13, v = 7, e = 6;
      const ids = Int32Array.from([3, 0, 6, 3, 1, 1, 1, 5, 3]);
      const w = rand(m * v), y = rand(n * m), dy = rand(n * m), dw = rand(m * v), table = rand(v * e), dout = rand(n * e), dt = rand(v * e);
      const want = { y: Float64Array.from(y), dw: Float64Array.from(dw), out: new Float64Array(n * e), dt: Float64Array.from(dt) };
      tsKernels.gatherColsAdd(want.y, w, ids, n, m, v);
      tsKernels.scatterColsAdd(want.dw, dy, ids, n, m, v);
      tsKernels.gatherRows(want.out, table, ids, n, e);
      tsKernels.scatterRowsAdd(want.dt, dout, ids, n, e);
      const Y = place(b, y), DW = place(b, dw), OUT = b.f32(n * e), DT = place(b, dt);
      k.gatherColsAdd(Y, place(b, w), ids, n, m, v);
      k.scatterColsAdd(DW, place(b, dy), ids, n, m, v);
      k.gatherRows(OUT, place(b, table), ids, n, e);
      k.scatterRowsAdd(DT, place(b, dout), ids, n, e);
      expectClose(Y, want.y, TOL, 'gatherColsAdd');
      expectClose(DW, want.dw, TOL, 'scatterColsAdd');
      expectClose(OUT, want.out, 1e-7, 'gatherRows');
      expectClose(DT, want.dt, TOL, 'scatterRowsAdd');
    });

    it('gathers one-hot columns for one token (generation) and for a minibatch with the same bits as the reference', () => {
      // one token reads its columns in place; many rows go through a transposed copy of w
      for (const [n, m, v] of [[1, 1024, 28], [2, 768, 28], [40, 1024, 28], [1, 64, 10_000]] as const) {
        const ids = Int32Array.from({ length: n }, (_, i) => (i * 11 + 5) % v);
        const w = Float32Array.from(rand(m * v)), y = Float32Array.from(rand(n * m));
        const want = Float32Array.from(y);
        tsKernels.gatherColsAdd(want, w, ids, n, m, v);
        const Y = place(b, y);
        k.gatherColsAdd(Y, place(b, w), ids, n, m, v);
        expect(Array.from(Y), `n ${n}, m ${m}, v ${v}`).toEqual(Array.from(want));
      }
    });

    it('adds biases, sums rows, adds and multiplies elementwise', () => {
      for (const [n, m] of [[1, 1], [3, 17], [70, 40], [5, 1024]] as const) {
        const y = rand(n * m), bias = rand(m), db = rand(m), x = rand(n * m);
        const wantY = Float64Array.from(y), wantDb = Float64Array.from(db), wantSum = Float64Array.from(y), wantMul = new Float64Array(n * m);
        tsKernels.addBias(wantY, bias, n, m);
        tsKernels.sumRows(wantDb, x, n, m);
        tsKernels.addInto(wantSum, x, n * m);
        tsKernels.mul(wantMul, y, x, n * m);
        const Y = place(b, y), DB = place(b, db), S = place(b, y), M = b.f32(n * m), X = place(b, x);
        k.addBias(Y, place(b, bias), n, m);
        k.sumRows(DB, X, n, m);
        k.addInto(S, X, n * m);
        k.mul(M, place(b, y), X, n * m);
        expectClose(Y, wantY, TOL, 'addBias');
        expectClose(DB, wantDb, TOL, 'sumRows');
        expectClose(S, wantSum, TOL, 'addInto');
        expectClose(M, wantMul, TOL, 'mul');
      }
    });

    it('tanh and relu with their backward passes, over the whole float range and every tail length', () => {
      for (const len of [1, 2, 3, 4, 5, 7, 1001]) {
        const pre = Float64Array.from({ length: len }, (_, i) => (i % 3 === 0 ? rng.uniform(-0.4, 0.4) : rng.uniform(-12, 12)));
        pre[0] = len > 1 ? 1e-6 : -30;
        const wantT = Float64Array.from(pre), wantR = Float64Array.from(pre), dy = rand(len), dT = new Float64Array(len), dR = new Float64Array(len);
        tsKernels.tanhInPlace(wantT, len);
        tsKernels.reluInPlace(wantR, len);
        tsKernels.tanhBackward(dT, dy, wantT, len);
        tsKernels.reluBackward(dR, dy, wantR, len);
        const T = place(b, pre), R = place(b, pre), DT = b.f32(len), DR = b.f32(len), DY = place(b, dy);
        k.tanhInPlace(T, len);
        k.reluInPlace(R, len);
        k.tanhBackward(DT, DY, T, len);
        k.reluBackward(DR, DY, R, len);
        // relative to the value itself for tanh near 0, where absolute tolerance would hide errors
        for (let i = 0; i < len; i++) expect(Math.abs(T[i]! - wantT[i]!), `tanh(${pre[i]})`).toBeLessThanOrEqual(2e-6 * Math.max(Math.abs(wantT[i]!), 1e-30) + 1e-7);
        expectClose(R, wantR, 1e-7, 'relu');
        expectClose(DT, dT, TOL, 'tanh backward');
        expectClose(DR, dR, 1e-7, 'relu backward');
      }
    });

    it('relu keeps NaN visible and nonlinearities saturate without overflow', () => {
      const a = place(b, [-2, 0, 3, NaN, 1e4, -1e4]);
      k.reluInPlace(a, 6);
      expect(Array.from(a)).toEqual([0, 0, 3, NaN, 1e4, 0]);
      const t = place(b, [1e4, -1e4, 50, -50, NaN]);
      k.tanhInPlace(t, 5);
      expect(Array.from(t)).toEqual([1, -1, 1, -1, NaN]);
      const gates = place(b, [1e4, -1e4, 1e4, 1e4]), cPrev = place(b, [5]), c = b.f32(1), tc = b.f32(1), h = b.f32(1);
      k.lstmPointwiseForward(gates, cPrev, c, tc, h, 1, 1);
      expect(gates[0]).toBe(1);
      expect(gates[1]).toBeLessThan(1e-30);
      expect(c[0]).toBe(1);
      expect(h[0]).toBeCloseTo(Math.tanh(1), 6);
    });

    it('softmax cross-entropy: log-sum-exp per row and its gradient, in place, for every tail width and a word vocabulary', () => {
      for (const [n, v] of [[1, 1], [3, 5], [4, 11], [35, 28], [2, 10_000]] as const) {
        const logits = rand(n * v, 8);
        logits[0] = 40; // far above the rest: the stable form must not overflow
        const targets = Int32Array.from({ length: n }, (_, r) => (r * 7 + 3) % v);
        const wantLse = new Float64Array(n), wantD = new Float64Array(n * v);
        tsKernels.logSumExpRows(wantLse, logits, n, v);
        tsKernels.softmaxCrossEntropyBackward(wantD, logits, wantLse, targets, n, v, 1 / n);
        const X = place(b, logits), L = b.f32(n);
        k.logSumExpRows(L, X, n, v);
        expectClose(L, wantLse, 1e-6, `lse ${n}×${v}`);
        k.softmaxCrossEntropyBackward(X, X, L, targets, n, v, 1 / n); // d aliases the logits
        for (let i = 0; i < n * v; i++) expect(Math.abs(X[i]! - wantD[i]!), `d[${i}] ${n}×${v}`).toBeLessThanOrEqual(2e-6 * Math.abs(wantD[i]!) + 1e-9);
      }
    });

    it('log-sum-exp gives ±∞ for a row holding ±∞ and NaN for a row holding NaN, as the reference', () => {
      const rows = [[1, Infinity, 2, 3, 0], [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity], [1, 2, NaN, 0, 1]];
      const L = b.f32(3);
      k.logSumExpRows(L, place(b, rows.flat()), 3, 5);
      expect(Array.from(L)).toEqual([Infinity, -Infinity, NaN]);
    });

    it('sums squares in float64, scales and adds a multiple, over every tail length', () => {
      for (const len of [0, 1, 3, 4, 5, 4095, 4097, 20_001]) {
        const x = rand(len), y = rand(len);
        const X = place(b, x), Y = place(b, y);
        const want = x.reduce((s, e) => s + Math.fround(e) ** 2, 0);
        expect(Math.abs(k.sumSquares(X, len) - want), `len ${len}`).toBeLessThanOrEqual(1e-12 * Math.max(1, want));
        const wantScaled = Float64Array.from(X, (e) => e * 0.37), wantY = Float64Array.from(Y, (e, i) => e - 0.25 * wantScaled[i]!);
        k.scale(X, len, 0.37);
        k.axpy(Y, X, len, -0.25);
        expectClose(X, wantScaled, 1e-7, `scale ${len}`);
        expectClose(Y, wantY, 1e-6, `axpy ${len}`);
      }
    });

    it('whole recurrent steps give the bits of their bias, product and pointwise kernels in turn', () => {
      // H a multiple of 4: the same blocks add the same products, so the same bits; H = 13 has tails
      for (const [B, H] of [[1, 4], [3, 8], [32, 64], [5, 13]] as const) {
        const same = H % 4 === 0;
        const hPrev = rand(B * H), cPrev = rand(B * H);
        for (const [cell, G] of [['rnn-tanh', 1], ['rnn-relu', 1], ['lstm', 4], ['gru', 3]] as const) {
          const w = rand(G * H * H, 0.3), bias = rand(G * H), pre = rand(B * G * H, 2);
          const W = place(b, w), Bh = place(b, bias), HP = place(b, hPrev), CP = place(b, cPrev);
          const one = { y: place(b, pre), gh: b.f32(B * G * H), c: b.f32(B * H), tc: b.f32(B * H), h: b.f32(B * H) };
          const two = { y: place(b, pre), gh: b.f32(B * G * H), c: b.f32(B * H), tc: b.f32(B * H), h: b.f32(B * H) };
          if (cell === 'lstm') {
            k.lstmStepForward(one.y, HP, W, Bh, CP, one.c, one.tc, one.h, B, H);
            k.addBias(two.y, Bh, B, G * H);
            k.gemmXWt(two.y, HP, W, B, H, G * H);
            k.lstmPointwiseForward(two.y, CP, two.c, two.tc, two.h, B, H);
          } else if (cell === 'gru') {
            k.gruStepForward(one.y, one.gh, HP, W, Bh, one.h, B, H);
            k.addBias(two.gh, Bh, B, G * H);
            k.gemmXWt(two.gh, HP, W, B, H, G * H);
            k.gruPointwiseForward(two.y, two.gh, HP, two.h, B, H);
          } else {
            const relu = cell === 'rnn-relu';
            k.rnnStepForward(one.y, HP, W, Bh, B, H, relu);
            k.addBias(two.y, Bh, B, H);
            k.gemmXWt(two.y, HP, W, B, H, H);
            if (relu) k.reluInPlace(two.y, B * H);
            else k.tanhInPlace(two.y, B * H);
          }
          for (const key of ['y', 'gh', 'c', 'tc', 'h'] as const) {
            if (same) expect(Array.from(one[key]), `${cell} ${B}×${H} ${key}`).toEqual(Array.from(two[key]));
            else expectClose(one[key], two[key], 1e-6, `${cell} ${B}×${H} ${key}`);
          }
        }
      }
    });

    it('LSTM and GRU pointwise forward and backward for batch rows with tails', () => {
      for (const [B, H] of [[1, 1], [3, 5], [4, 8], [2, 13]] as const) {
        const gates = rand(B * 4 * H, 3), cPrev = rand(B * H), dh = rand(B * H), dc = rand(B * H);
        const want = { gates: Float64Array.from(gates), c: new Float64Array(B * H), tc: new Float64Array(B * H), h: new Float64Array(B * H), dc: Float64Array.from(dc), dG: new Float64Array(B * 4 * H) };
        tsKernels.lstmPointwiseForward(want.gates, cPrev, want.c, want.tc, want.h, B, H);
        tsKernels.lstmPointwiseBackward(want.gates, cPrev, want.tc, dh, want.dc, want.dG, B, H);
        const G = place(b, gates), CP = place(b, cPrev), C = b.f32(B * H), TC = b.f32(B * H), Hh = b.f32(B * H), DC = place(b, dc), DG = b.f32(B * 4 * H);
        k.lstmPointwiseForward(G, CP, C, TC, Hh, B, H);
        k.lstmPointwiseBackward(G, CP, TC, place(b, dh), DC, DG, B, H);
        expectClose(G, want.gates, TOL, 'lstm gates');
        expectClose(C, want.c, TOL, 'lstm c');
        expectClose(Hh, want.h, TOL, 'lstm h');
        expectClose(DG, want.dG, TOL, 'lstm dGates');
        expectClose(DC, want.dc, TOL, 'lstm dc');

        const gx = rand(B * 3 * H, 3), gh = rand(B * 3 * H, 3), hPrev = rand(B * H);
        const wg = { gx: Float64Array.from(gx), h: new Float64Array(B * H), dGx: new Float64Array(B * 3 * H), dGh: new Float64Array(B * 3 * H), dhPrev: new Float64Array(B * H) };
        tsKernels.gruPointwiseForward(wg.gx, gh, hPrev, wg.h, B, H);
        tsKernels.gruPointwiseBackward(wg.gx, gh, hPrev, dh, wg.dGx, wg.dGh, wg.dhPrev, B, H);
        const GX = place(b, gx), GH = place(b, gh), HP = place(b, hPrev), HH = b.f32(B * H), DGX = b.f32(B * 3 * H), DGH = b.f32(B * 3 * H), DHP = b.f32(B * H);
        k.gruPointwiseForward(GX, GH, HP, HH, B, H);
        k.gruPointwiseBackward(GX, GH, HP, place(b, dh), DGX, DGH, DHP, B, H);
        expectClose(GX, wg.gx, TOL, 'gru gates');
        expectClose(HH, wg.h, TOL, 'gru h');
        expectClose(DGX, wg.dGx, TOL, 'gru dGx');
        expectClose(DGH, wg.dGh, TOL, 'gru dGh');
        expectClose(DHP, wg.dhPrev, TOL, 'gru dhPrev');
      }
    });
  });
}

describe('WebAssembly kernel selection', () => {
  it('falls back to the TypeScript kernels, exactly, for float64 arrays and arrays outside its memory', () => {
    const [w] = wasmBackends();
    const x = rand(6 * 5), wt = rand(7 * 5);
    const a = new Float64Array(6 * 7), b = new Float64Array(6 * 7);
    w!.kernels.gemmXWt(a, x, wt, 6, 5, 7);
    tsKernels.gemmXWt(b, x, wt, 6, 5, 7);
    expect(Array.from(a)).toEqual(Array.from(b));
    const f = new Float32Array(4).fill(0.5), g = new Float32Array(4).fill(0.5);
    w!.kernels.tanhInPlace(f, 4);
    tsKernels.tanhInPlace(g, 4);
    expect(Array.from(f)).toEqual(Array.from(g));
  });

  it('picks WebAssembly when the runtime has SIMD and shared memory, and says which and why', () => {
    const f = detectWasmFeatures();
    expect(f.simd).toBe(true);
    const auto = selectKernels('auto');
    expect(auto.description.backend).toBe('wasm');
    expect(auto.description.simd).toBe(f.relaxedSimd ? 'relaxed-simd' : 'simd128');
    expect(auto.description.reason).toMatch(/SIMD/);
    expect(auto.kernels.allocateFloat32).toBeTypeOf('function');
    const ts = selectKernels('ts');
    expect(ts.kernels).toBe(tsKernels);
    expect(describeKernels(tsKernels)).toMatchObject({ name: 'ts', backend: 'ts', threads: 1 });
  });
});
