import { TokenStream, type TokenStreamOptions } from './tokenize';

/**
 * Counts token frequencies over text fed in chunks. `counts` iterates in first-occurrence order,
 * which is the tie-break order `Vocab.fromCounts` relies on (like Python's `Counter`).
 */
export class TokenCounter {
  readonly counts = new Map<string, number>();
  total = 0;
  private readonly stream: TokenStream;

  constructor(options: TokenStreamOptions) {
    this.stream = new TokenStream(options, (token) => {
      this.counts.set(token, (this.counts.get(token) ?? 0) + 1);
      this.total += 1;
    });
  }

  push(chunk: string): this {
    this.stream.push(chunk);
    return this;
  }

  /** Flushes a trailing word or lone surrogate; call once after the last chunk. */
  finish(): this {
    this.stream.finish();
    return this;
  }
}

/** Counts an in-memory token list, in first-occurrence order. */
export function countTokens(tokens: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
