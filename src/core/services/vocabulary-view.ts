/**
 * The dataset screen's vocabulary numbers for one `minFreq`, from a counted table in O(log n):
 * the same values `vocabSizeForMinFreq` and `unkRate` compute by scanning the counts.
 */
import type { Cleaning, TokenizerKind } from '../../engine/text';
import type { VocabularyView } from '../../shared/datasets';
import type { TokenCountTable } from './token-counts';

/** The Zipf chart gets the counts of the first ranks only; the contract indexes them by rank. */
export const MAX_RANK_COUNTS = 5000;

/** How many entries of a descending array are ≥ `minFreq`. */
function countAtLeast(desc: Float64Array, minFreq: number): number {
  let lo = 0;
  let hi = desc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (desc[mid]! >= minFreq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * exp(entropy) with the `kept` most frequent tokens and every other occurrence pooled into one
 * `<unk>` of count `unk`: H = ln N − (Σ f ln f + u ln u) / N.
 */
function pooledUnigramPerplexity(table: TokenCountTable, kept: number, unk: number): number {
  const n = table.total;
  if (n === 0) return 1;
  const sum = table.fLogF[kept]! + (unk > 0 ? unk * Math.log(unk) : 0);
  return Math.exp(Math.log(n) - sum / n);
}

export function vocabularyView(table: TokenCountTable, tokenizer: TokenizerKind, cleaning: Cleaning, minFreq: number): VocabularyView {
  const kept = countAtLeast(table.freqsDesc, minFreq);
  // every occurrence outside the kept tokens encodes as <unk>, a literal "<unk>" in the text included
  const unk = table.total - table.prefix[kept]!;
  return {
    tokenizer,
    cleaning,
    minFreq,
    tokens: table.total,
    distinct: table.counts.size,
    vocabSize: 1 + kept,
    unkRate: table.total === 0 ? 0 : unk / table.total,
    unigramPerplexity: pooledUnigramPerplexity(table, kept, unk),
    rankCounts: Array.from(table.rankCounts.subarray(0, MAX_RANK_COUNTS)),
    top: table.top.map(([t, n]) => [t, n] as [string, number]),
  };
}
