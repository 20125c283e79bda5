/** Corpus statistics for a text dataset, accumulated chunk by chunk (engine/text does the counting). */
import { TokenCounter, unigramPerplexity, unkRate, vocabSizeForMinFreq, type Cleaning, type TokenizerKind } from '../../engine/text';
import type { TokenizerStats } from '../store/schemas';

export interface TextStatsOptions {
  cleaning: Cleaning;
  minFreq: number;
  topK: number;
}

export class TextStatsAccumulator {
  private readonly counters: Record<TokenizerKind, TokenCounter>;

  constructor(private readonly options: TextStatsOptions) {
    this.counters = {
      char: new TokenCounter({ tokenizer: 'char', cleaning: options.cleaning }),
      word: new TokenCounter({ tokenizer: 'word', cleaning: options.cleaning }),
    };
  }

  push(text: string): void {
    this.counters.char.push(text);
    this.counters.word.push(text);
  }

  finish(): Record<TokenizerKind, TokenizerStats> {
    return { char: this.summarise(this.counters.char.finish()), word: this.summarise(this.counters.word.finish()) };
  }

  private summarise(counter: TokenCounter): TokenizerStats {
    const { minFreq, topK } = this.options;
    // stable sort: equal counts keep first-occurrence order, as the vocabulary does
    const top = [...counter.counts].sort((a, b) => b[1] - a[1]).slice(0, topK);
    return {
      tokens: counter.total,
      distinct: counter.counts.size,
      vocabSize: vocabSizeForMinFreq(counter.counts, minFreq),
      unkRate: unkRate(counter.counts, minFreq),
      unigramPerplexity: unigramPerplexity(counter.counts, minFreq),
      top,
    };
  }
}
