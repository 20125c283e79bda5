import { describe, expect, it } from 'vitest';
import { crossEntropyBackward, crossEntropyForward, logSumExp, perplexity, softmaxRows } from '../../src/engine/loss';
import { Rng } from '../../src/engine/rng';

describe('softmax cross-entropy', () => {
  it('gives ln V for uniform logits, so the perplexity of a uniform model is V', () => {
    const V = 28, n = 5;
    const loss = crossEntropyForward(new Float64Array(n * V).fill(3.5), Int32Array.from([0, 4, 27, 9, 9]), n, V);
    expect(loss).toBeCloseTo(Math.log(V), 14);
    expect(perplexity(loss)).toBeCloseTo(V, 10);
  });

  it('makes softmax rows that sum to 1, even for logits that would overflow exp', () => {
    const r = new Rng(1);
    const logits = Float64Array.from({ length: 4 * 9 }, () => r.uniform(-1, 1) * 800);
    const p = new Float64Array(logits.length);
    softmaxRows(p, logits, 4, 9);
    for (let row = 0; row < 4; row++) {
      let s = 0;
      for (let j = 0; j < 9; j++) { expect(Number.isFinite(p[row * 9 + j]!)).toBe(true); s += p[row * 9 + j]!; }
      expect(s).toBeCloseTo(1, 14);
    }
  });

  it('stays finite and exact for huge logits through log-sum-exp', () => {
    const logits = Float32Array.from([1000, 0, -1000]);
    expect(crossEntropyForward(logits, Int32Array.from([0]), 1, 3)).toBe(0);
    expect(crossEntropyForward(logits, Int32Array.from([1]), 1, 3)).toBe(1000);
    expect(logSumExp([-Infinity, -Infinity], 0, 2)).toBe(-Infinity);
    expect(logSumExp([1, NaN], 0, 2)).toBeNaN();
  });

  it('has the gradient (softmax − onehot)/N, matching finite differences, with rows summing to 0', () => {
    const r = new Rng(2), n = 3, V = 5;
    const logits = Float64Array.from({ length: n * V }, () => r.uniform(-2, 2));
    const targets = Int32Array.from([4, 0, 2]);
    const lse = new Float64Array(n);
    crossEntropyForward(logits, targets, n, V, lse);
    const d = new Float64Array(n * V);
    crossEntropyBackward(d, logits, targets, n, V, lse);
    for (let i = 0; i < n * V; i++) {
      const keep = logits[i]!;
      logits[i] = keep + 1e-6; const up = crossEntropyForward(logits, targets, n, V);
      logits[i] = keep - 1e-6; const down = crossEntropyForward(logits, targets, n, V);
      logits[i] = keep;
      expect(d[i]).toBeCloseTo((up - down) / 2e-6, 9);
    }
    for (let row = 0; row < n; row++) {
      let s = 0;
      for (let j = 0; j < V; j++) s += d[row * V + j]!;
      expect(Math.abs(s)).toBeLessThan(1e-15);
    }
  });

  it('rejects a target outside the vocabulary', () => {
    expect(() => crossEntropyForward(new Float64Array(3), Int32Array.from([3]), 1, 3)).toThrow(RangeError);
  });
});
