import { describe, expect, it } from 'vitest';
import type { CellWeights } from '../../src/engine/cells/cell-weights';
import { gruStepBackward, gruStepForward } from '../../src/engine/cells/gru';
import { lstmStepBackward, lstmStepForward } from '../../src/engine/cells/lstm';
import { rnnStepBackward, rnnStepForward } from '../../src/engine/cells/rnn';
import { tsKernels as k } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';

const B = 2, H = 3;
const rng = new Rng(5);
const rand = (n: number, s = 1) => Float64Array.from({ length: n }, () => rng.uniform(-s, s));
const weights = (G: number): CellWeights<Float64Array> => ({ wIh: rand(G * H * 4), wHh: rand(G * H * H), bIh: rand(G * H), bHh: rand(G * H) });
const sig = (x: number) => 1 / (1 + Math.exp(-x));
/** (W_hh h + b_hh)[b, row] written out, independent of the kernels. */
const hh = (w: CellWeights, h: ArrayLike<number>, b: number, row: number) => {
  let s = w.bHh[row]!;
  for (let j = 0; j < H; j++) s += w.wHh[row * H + j]! * h[b * H + j]!;
  return s;
};

/** Finite-difference directional check: L = Σ dh·h_t (+ Σ dc·c_t); compares analytic ∂L/∂input with central differences. */
function fdCheck(inputs: Float64Array[], grads: Float64Array[], loss: () => number): void {
  const eps = 1e-6;
  inputs.forEach((x, which) => {
    for (let i = 0; i < x.length; i++) {
      const keep = x[i]!;
      x[i] = keep + eps; const up = loss();
      x[i] = keep - eps; const down = loss();
      x[i] = keep;
      const num = (up - down) / (2 * eps);
      expect(Math.abs(grads[which]![i]! - num), `input ${which}[${i}]`).toBeLessThan(1e-8 * Math.max(1, Math.abs(num)));
    }
  });
}
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!; return s; };

describe('RNN cell', () => {
  for (const nl of ['tanh', 'relu'] as const) {
    it(`computes h = ${nl}(gx + W_hh h + b_hh) in one step`, () => {
      const w = weights(1), hPrev = rand(B * H), gx = rand(B * H);
      const h = Float64Array.from(gx);
      rnnStepForward(k, w, hPrev, h, B, H, nl);
      for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) {
        const pre = gx[b * H + j]! + hh(w, hPrev, b, j);
        expect(h[b * H + j]).toBeCloseTo(nl === 'tanh' ? Math.tanh(pre) : Math.max(0, pre), 14);
      }
    });

    it(`backpropagates one ${nl} step to its input gates and previous state (finite differences)`, () => {
      const w = weights(1), hPrev = rand(B * H), gx = rand(B * H), dh = rand(B * H);
      const forward = () => { const h = Float64Array.from(gx); rnnStepForward(k, w, hPrev, h, B, H, nl); return h; };
      const h = forward();
      const dPre = new Float64Array(B * H), dhPrev = new Float64Array(B * H);
      rnnStepBackward(k, w, h, dh, dPre, dhPrev, B, H, nl);
      fdCheck([gx, hPrev], [dPre, dhPrev], () => dot(dh, forward()));
    });
  }
});

describe('GRU cell', () => {
  it('follows PyTorch reset-after equations with gate order r, z, n', () => {
    const w = weights(3), hPrev = rand(B * H), gx = rand(B * 3 * H);
    const g = Float64Array.from(gx), gh = new Float64Array(B * 3 * H), h = new Float64Array(B * H);
    gruStepForward(k, w, hPrev, g, gh, h, B, H);
    for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) {
      const o = b * 3 * H;
      const r = sig(gx[o + j]! + hh(w, hPrev, b, j));
      const z = sig(gx[o + H + j]! + hh(w, hPrev, b, H + j));
      const n = Math.tanh(gx[o + 2 * H + j]! + r * hh(w, hPrev, b, 2 * H + j));
      expect(h[b * H + j]).toBeCloseTo((1 - z) * n + z * hPrev[b * H + j]!, 14);
    }
  });

  it('backpropagates one step to its input gates and previous state (finite differences)', () => {
    const w = weights(3), hPrev = rand(B * H), gx = rand(B * 3 * H), dh = rand(B * H);
    const gh = new Float64Array(B * 3 * H);
    const forward = (g: Float64Array) => { const h = new Float64Array(B * H); gruStepForward(k, w, hPrev, g, gh, h, B, H); return h; };
    const gates = Float64Array.from(gx);
    forward(gates);
    const dGx = new Float64Array(B * 3 * H), dGh = new Float64Array(B * 3 * H), dhPrev = new Float64Array(B * H);
    gruStepBackward(k, w, gates, gh, hPrev, dh, dGx, dGh, dhPrev, B, H);
    fdCheck([gx, hPrev], [dGx, dhPrev], () => dot(dh, forward(Float64Array.from(gx))));
  });
});

describe('LSTM cell', () => {
  it('follows the i, f, g, o equations c = f·c + i·g, h = o·tanh(c)', () => {
    const w = weights(4), hPrev = rand(B * H), cPrev = rand(B * H), gx = rand(B * 4 * H);
    const g = Float64Array.from(gx), c = new Float64Array(B * H), tc = new Float64Array(B * H), h = new Float64Array(B * H);
    lstmStepForward(k, w, hPrev, cPrev, g, c, tc, h, B, H);
    for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) {
      const pre = (q: number) => gx[b * 4 * H + q * H + j]! + hh(w, hPrev, b, q * H + j);
      const cj = sig(pre(1)) * cPrev[b * H + j]! + sig(pre(0)) * Math.tanh(pre(2));
      expect(c[b * H + j]).toBeCloseTo(cj, 14);
      expect(h[b * H + j]).toBeCloseTo(sig(pre(3)) * Math.tanh(cj), 14);
    }
  });

  it('backpropagates one step to its gates, previous hidden and previous cell state (finite differences)', () => {
    const w = weights(4), hPrev = rand(B * H), cPrev = rand(B * H), gx = rand(B * 4 * H), dh = rand(B * H), dcNext = rand(B * H);
    const c = new Float64Array(B * H), tc = new Float64Array(B * H), h = new Float64Array(B * H);
    const forward = (g: Float64Array) => { lstmStepForward(k, w, hPrev, cPrev, g, c, tc, h, B, H); return dot(dh, h) + dot(dcNext, c); };
    const gates = Float64Array.from(gx);
    forward(gates);
    const dc = Float64Array.from(dcNext), dGates = new Float64Array(B * 4 * H), dhPrev = new Float64Array(B * H);
    lstmStepBackward(k, w, gates, cPrev, tc, dh, dc, dGates, dhPrev, B, H);
    fdCheck([gx, hPrev, cPrev], [dGates, dhPrev, dc], () => forward(Float64Array.from(gx)));
  });
});
