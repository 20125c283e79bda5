import { logSumExp } from '../loss';

// logits: (steps, V)  ids, probs: (steps, k) out, most probable first (ties: lower id first)
/** The k most probable next tokens after each step, with their softmax probabilities. */
export function topKRows(logits: ArrayLike<number>, steps: number, V: number, k: number, ids: Int32Array, probs: Float32Array): void {
  const kk = Math.min(k, V);
  for (let t = 0; t < steps; t++) {
    const o = t * V;
    const lse = logSumExp(logits, o, V);
    const base = t * k;
    let filled = 0;
    // insertion into a sorted list of k: V is a vocabulary, k ≤ 20
    for (let j = 0; j < V; j++) {
      const x = logits[o + j]!;
      if (filled === kk && !(x > logits[o + ids[base + kk - 1]!]!)) continue;
      let p = filled < kk ? filled++ : kk - 1;
      while (p > 0 && x > logits[o + ids[base + p - 1]!]!) {
        ids[base + p] = ids[base + p - 1]!;
        p--;
      }
      ids[base + p] = j;
    }
    for (let r = 0; r < k; r++) {
      if (r < kk) probs[base + r] = Math.exp(logits[o + ids[base + r]!]! - lse);
      else { ids[base + r] = -1; probs[base + r] = 0; }
    }
  }
}
