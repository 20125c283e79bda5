import { describe, expect, it } from 'vitest';
import { topKRows } from '../../../src/engine/inspect';
import { Rng } from '../../../src/engine/rng';

describe('topKRows', () => {
  it('gives the k most probable tokens per row, best first, with their softmax probabilities', () => {
    const V = 30, steps = 6, k = 4, rng = new Rng(3);
    const logits = Float32Array.from({ length: steps * V }, () => rng.nextFloat() * 8 - 4);
    const ids = new Int32Array(steps * k), probs = new Float32Array(steps * k);
    topKRows(logits, steps, V, k, ids, probs);
    for (let t = 0; t < steps; t++) {
      const row = Array.from(logits.subarray(t * V, (t + 1) * V));
      const z = row.reduce((s, x) => s + Math.exp(x), 0);
      const expected = row.map((x, j) => ({ j, p: Math.exp(x) / z })).sort((a, b) => b.p - a.p).slice(0, k);
      expect(Array.from(ids.subarray(t * k, (t + 1) * k))).toEqual(expected.map((e) => e.j));
      expected.forEach((e, r) => expect(probs[t * k + r]).toBeCloseTo(e.p, 6));
    }
  });

  it('breaks ties by the lower id and pads with id −1 when k exceeds the vocabulary', () => {
    const ids = new Int32Array(5), probs = new Float32Array(5);
    topKRows(Float32Array.of(1, 2, 2), 1, 3, 5, ids, probs);
    expect(Array.from(ids)).toEqual([1, 2, 0, -1, -1]);
    expect(probs[3]).toBe(0);
    expect(probs[0]! + probs[1]! + probs[2]!).toBeCloseTo(1, 6);
  });
});
