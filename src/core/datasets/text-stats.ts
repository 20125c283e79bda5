/** Corpus statistics for a text dataset, accumulated chunk by chunk (engine/text does the counting). */
import { cleanText, TokenCounter, unigramPerplexity, unkRate, vocabSizeForMinFreq, type Cleaning, type TokenizerKind } from '../../engine/text';
import { OPENING_CHARS } from '../../shared/text-defaults';
import type { TokenizerStats } from '../store/schemas';

/** Share of the non-space characters of a text that are ASCII letters (what `letters` cleaning keeps). */
export class LettersShare {
  private letters = 0;
  private nonSpace = 0;

  push(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 32 || (c >= 9 && c <= 13)) continue;
      // a surrogate pair is one character
      if (c >= 0xdc00 && c <= 0xdfff) continue;
      this.nonSpace++;
      const lower = c | 32;
      if (lower >= 97 && lower <= 122) this.letters++;
    }
  }

  get kept(): number {
    return this.nonSpace === 0 ? 1 : this.letters / this.nonSpace;
  }
}

export interface TextStatsOptions {
  cleaning: Cleaning;
  minFreq: number;
  topK: number;
}

export class TextStatsAccumulator {
  private readonly counters: Record<TokenizerKind, TokenCounter>;
  private readonly letters = new LettersShare();
  private head = '';

  constructor(private readonly options: TextStatsOptions) {
    this.counters = {
      char: new TokenCounter({ tokenizer: 'char', cleaning: options.cleaning }),
      word: new TokenCounter({ tokenizer: 'word', cleaning: options.cleaning }),
    };
  }

  push(text: string): void {
    this.counters.char.push(text);
    this.counters.word.push(text);
    this.letters.push(text);
    // twice the opening's length, so that cleaning (which shortens runs of non-letters) leaves enough
    if (this.head.length < 2 * OPENING_CHARS) this.head += text.slice(0, 2 * OPENING_CHARS - this.head.length);
  }

  finish(): Record<TokenizerKind, TokenizerStats> & { lettersKept: number; opening: { none: string; letters: string } } {
    const opening = { none: [...this.head].slice(0, OPENING_CHARS).join(''), letters: cleanText(this.head, 'letters').slice(0, OPENING_CHARS) };
    return { char: this.summarise(this.counters.char.finish()), word: this.summarise(this.counters.word.finish()), lettersKept: this.letters.kept, opening };
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
