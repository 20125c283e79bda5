/**
 * Corpus statistics computed from token counts, so a dataset importer can show them for any
 * `minFreq` without re-reading the file. Counts are as `TokenCounter` produces them.
 */

/** Vocabulary size `Vocab.fromCounts(counts, { minFreq, reserved })` would have. */
export function vocabSizeForMinFreq(counts: ReadonlyMap<string, number>, minFreq: number, reserved: readonly string[] = []): number {
  const special = new Set(['<unk>', ...reserved]);
  let n = special.size;
  for (const [token, freq] of counts) if (freq >= minFreq && !special.has(token)) n++;
  return n;
}

/** Fraction of token occurrences that encode as `<unk>` for this `minFreq` (0 for an empty corpus). */
export function unkRate(counts: ReadonlyMap<string, number>, minFreq: number, reserved: readonly string[] = []): number {
  let total = 0;
  let unk = 0;
  for (const [token, freq] of counts) {
    total += freq;
    if (token === '<unk>' || (freq < minFreq && !reserved.includes(token))) unk += freq;
  }
  return total === 0 ? 0 : unk / total;
}

/** Entropy in nats of the unigram distribution p(t) = count(t) / total. */
export function unigramEntropy(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const freq of counts.values()) total += freq;
  if (total === 0) return 0;
  let h = 0;
  for (const freq of counts.values()) {
    if (freq > 0) {
      const p = freq / total;
      h -= p * Math.log(p);
    }
  }
  return h;
}

/**
 * exp(entropy) of the unigram distribution: the perplexity of a model that ignores context, a
 * baseline a trained language model should beat (a uniform model's perplexity is the vocabulary size).
 */
export function unigramPerplexity(counts: ReadonlyMap<string, number>): number {
  return Math.exp(unigramEntropy(counts));
}
