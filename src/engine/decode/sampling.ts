import type { Rng } from '../rng';

/**
 * How the next token is chosen from the logits (d2l 9.5 predicts greedily; sampling variants for
 * livelier text). Order of application: temperature, then top-k, then top-p, then renormalise.
 */
export interface SamplingOptions {
  /** Always take the most probable token (the first one on ties). Default false. */
  greedy?: boolean;
  /** Divides the logits; 0 means greedy. Default 1. */
  temperature?: number;
  /** Keep only the k most probable tokens; 0 or ≥ V keeps all. Default 0. */
  topK?: number;
  /** Keep the smallest set of most probable tokens whose mass reaches p (at least one); 1 keeps all. Default 1. */
  topP?: number;
  /**
   * Token ids never chosen (e.g. `<unk>`): their probability becomes zero before the rest is
   * renormalised, and greedy takes the best token not listed. Default none.
   */
  exclude?: readonly number[];
}

export interface SampledToken {
  id: number;
  /** Probability of the token under the model (softmax at temperature 1, nothing cut). */
  prob: number;
  /** Probability of the token under the distribution it was drawn from. */
  samplingProb: number;
}

export function validateSamplingOptions(o: SamplingOptions): void {
  const t = o.temperature ?? 1, k = o.topK ?? 0, p = o.topP ?? 1;
  if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`temperature must be a finite number ≥ 0, got ${t}`);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`topK must be a non-negative integer, got ${k}`);
  if (!(p > 0 && p <= 1)) throw new RangeError(`topP must be in (0, 1], got ${p}`);
  for (const id of o.exclude ?? []) if (!Number.isInteger(id) || id < 0) throw new RangeError(`excluded token ids must be non-negative integers, got ${id}`);
}

/** Reusable scratch for one vocabulary size, so sampling a token allocates nothing. */
export class Sampler {
  readonly vocabSize: number;
  /** The distribution the last token was drawn from. */
  readonly probs: Float64Array;
  private readonly order: Int32Array;

  constructor(vocabSize: number) {
    this.vocabSize = vocabSize;
    this.probs = new Float64Array(vocabSize);
    this.order = new Int32Array(vocabSize);
  }

  /** Fill `probs` with the sampling distribution for logits[offset … offset + V). */
  distribution(logits: ArrayLike<number>, offset: number, options: SamplingOptions): Float64Array {
    const V = this.vocabSize, p = this.probs;
    const temperature = options.temperature ?? 1;
    const exclude = options.exclude ?? [];
    if (options.greedy || temperature === 0) {
      p.fill(0);
      p[argmax(logits, offset, V, exclude)] = 1;
      return p;
    }
    let max = -Infinity;
    for (let j = 0; j < V; j++) if (logits[offset + j]! > max) max = logits[offset + j]!;
    for (let j = 0; j < V; j++) p[j] = Math.exp((logits[offset + j]! - max) / temperature);
    for (const id of exclude) if (id < V) p[id] = 0;
    let sum = 0;
    for (let j = 0; j < V; j++) sum += p[j]!;
    if (!(sum > 0)) throw new RangeError('every token is excluded: nothing is left to sample');
    for (let j = 0; j < V; j++) p[j]! /= sum;

    const topK = options.topK ?? 0, topP = options.topP ?? 1;
    if ((topK > 0 && topK < V) || topP < 1) {
      const order = this.order;
      for (let j = 0; j < V; j++) order[j] = j;
      order.sort((a, b) => p[b]! - p[a]! || a - b); // most probable first, ties by id
      const kept = topK > 0 && topK < V ? topK : V;
      let mass = 0;
      for (let r = 0; r < kept; r++) mass += p[order[r]!]!;
      let keep = kept;
      if (topP < 1) {
        let cum = 0;
        keep = 0;
        while (keep < kept) {
          cum += p[order[keep]!]! / mass;
          keep++;
          if (cum >= topP) break;
        }
      }
      let total = 0;
      for (let r = 0; r < keep; r++) total += p[order[r]!]!;
      for (let r = keep; r < V; r++) p[order[r]!] = 0;
      for (let r = 0; r < keep; r++) p[order[r]!]! /= total;
    }
    return p;
  }

  /** Choose a token from logits[offset … offset + V); `rng` is needed unless the choice is greedy. */
  sample(logits: ArrayLike<number>, offset: number, options: SamplingOptions, rng?: Rng): SampledToken {
    const V = this.vocabSize;
    const p = this.distribution(logits, offset, options);
    let id = -1;
    if (options.greedy || options.temperature === 0) {
      id = argmax(logits, offset, V, options.exclude);
    } else {
      if (!rng) throw new RangeError('sampling needs an rng (or greedy: true)');
      const u = rng.nextFloat();
      let cum = 0;
      for (let j = 0; j < V; j++) {
        if (p[j]! === 0) continue;
        id = j; // the last token with mass absorbs rounding in the cumulative sum
        cum += p[j]!;
        if (u < cum) break;
      }
    }
    return { id, prob: modelProbability(logits, offset, V, id), samplingProb: p[id]! };
  }
}

/** Index of the largest logit (the first on ties; NaN entries and `exclude`d ids are never chosen). */
export function argmax(logits: ArrayLike<number>, offset: number, V: number, exclude: readonly number[] = []): number {
  let best = -1, max = -Infinity;
  for (let j = 0; j < V; j++) if (logits[offset + j]! > max && !exclude.includes(j)) { max = logits[offset + j]!; best = j; }
  if (best === -1) {
    // every logit is NaN or -Infinity: the first id not excluded
    for (let j = 0; j < V && best === -1; j++) if (!exclude.includes(j)) best = j;
    if (best === -1) throw new RangeError('every token is excluded: nothing is left to choose');
  }
  return best;
}

function modelProbability(logits: ArrayLike<number>, offset: number, V: number, id: number): number {
  let max = -Infinity;
  for (let j = 0; j < V; j++) if (logits[offset + j]! > max) max = logits[offset + j]!;
  let sum = 0;
  for (let j = 0; j < V; j++) sum += Math.exp(logits[offset + j]! - max);
  return Math.exp(logits[offset + id]! - max) / sum;
}
