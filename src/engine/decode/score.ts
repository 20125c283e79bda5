import { logSumExp } from '../loss';
import type { RnnModel } from '../model/rnn-model';
import type { FloatArray } from '../tensor';

export interface TokenScores {
  /** logprobs[i] = ln P(token i+1 | tokens 0…i), from a zero state. */
  logprobs: Float64Array;
  /** exp(−mean logprob); NaN when there is nothing to score. */
  perplexity: number;
}

/** Chunk length: long texts are scored in pieces with the state carried, so memory stays bounded. */
const CHUNK = 256;

/** Score a single token sequence under the model (batch 1, independent of the training batch). */
export function scoreTokens<A extends FloatArray>(model: RnnModel<A>, ids: ArrayLike<number>): TokenScores {
  const n = ids.length - 1;
  const logprobs = new Float64Array(Math.max(0, n));
  if (n < 1) return { logprobs, perplexity: NaN };
  const V = model.config.vocabSize;
  // one chunk-sized workspace per model, reused by every call (a WebAssembly arena never frees)
  const steps = CHUNK;
  const ws = model.scratchWorkspace(CHUNK, 1);
  const state = model.createState(1);
  const input = new Int32Array(Math.min(n, steps));
  let total = 0;
  for (let start = 0; start < n; start += steps) {
    const len = Math.min(steps, n - start);
    for (let t = 0; t < len; t++) input[t] = ids[start + t]!;
    ws.forward(input, { initial: state, final: state, numSteps: len });
    const logits = ws.logits;
    for (let t = 0; t < len; t++) {
      const target = ids[start + t + 1]!;
      if (!(target >= 0 && target < V)) throw new RangeError(`token id ${target} at ${start + t + 1} is outside the vocabulary (size ${V})`);
      const lp = logits[t * V + target]! - logSumExp(logits, t * V, V);
      logprobs[start + t] = lp;
      total += lp;
    }
  }
  return { logprobs, perplexity: Math.exp(-total / n) };
}
