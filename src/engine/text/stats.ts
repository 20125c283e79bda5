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

/**
 * Entropy in nats of the unigram distribution p(t) = count(t) / total over the vocabulary a
 * `minFreq` gives: tokens seen fewer times (and a literal `<unk>` in the text) pool into `<unk>`,
 * as they do once the corpus is encoded.
 */
export function unigramEntropy(counts: ReadonlyMap<string, number>, minFreq = 0, reserved: readonly string[] = []): number {
  let total = 0;
  let unk = 0;
  let h = 0;
  for (const [token, freq] of counts) {
    total += freq;
    if (token === '<unk>' || (freq < minFreq && !reserved.includes(token))) unk += freq;
  }
  if (total === 0) return 0;
  const term = (freq: number) => (freq > 0 ? (freq / total) * Math.log(freq / total) : 0);
  for (const [token, freq] of counts) if (!(token === '<unk>' || (freq < minFreq && !reserved.includes(token)))) h -= term(freq);
  return h - term(unk);
}

/**
 * exp(entropy) of the unigram distribution: the perplexity of a model that ignores context, a
 * baseline a trained language model should beat (a uniform model's perplexity is the vocabulary
 * size). Tokens below `minFreq` count as one `<unk>` token, as the model sees them.
 */
export function unigramPerplexity(counts: ReadonlyMap<string, number>, minFreq = 0, reserved: readonly string[] = []): number {
  return Math.exp(unigramEntropy(counts, minFreq, reserved));
}
