/**
 * `buildCorpus` for text that arrives in chunks, in bounded memory: a 300 MB file never exists as
 * one string or one token array. One pass counts every token (the vocabulary is built from the
 * whole text, as `buildCorpus` does) and keeps only the first `maxTokens` tokens, as provisional
 * ids (order of first occurrence) in a growable Int32Array; `finish` builds the vocabulary and
 * maps the provisional ids to it. With a fixed vocabulary the ids are final at once and `full`
 * tells the reader it can stop reading. The result equals `buildCorpus(all chunks joined)`.
 */
import type { Cleaning } from './clean';
import { splitTail, truncateTokens, type Corpus, type CorpusOptions } from './corpus';
import { TokenStream } from './tokenize';
import { Vocab } from './vocab';

const INITIAL_CAPACITY = 1 << 16;

export class CorpusBuilder {
  /** Token → provisional id (first-occurrence order); unused with a fixed vocabulary. */
  private readonly firstSeen = new Map<string, number>();
  private counts: number[] = [];
  private ids: Int32Array;
  private length = 0;
  private total = 0;
  private readonly limit: number;
  private readonly stream: TokenStream;

  constructor(
    readonly options: CorpusOptions & { cleaning: Cleaning },
    private readonly vocab?: Vocab,
  ) {
    // validates maxTokens as buildCorpus does; -1/undefined keeps all
    truncateTokens(new Int32Array(0), options.maxTokens);
    this.limit = options.maxTokens === undefined || options.maxTokens === -1 ? Infinity : options.maxTokens;
    this.ids = new Int32Array(Math.min(this.limit, INITIAL_CAPACITY));
    this.stream = new TokenStream(options, vocab === undefined ? (t) => this.count(t) : (t) => this.encode(vocab, t));
  }

  /** With a fixed vocabulary: every id that will be kept is known, the rest can go unread. */
  get full(): boolean {
    return this.vocab !== undefined && this.length >= this.limit;
  }

  push(text: string): this {
    this.stream.push(text);
    return this;
  }

  /**
   * The corpus. With a fixed vocabulary and reading stopped once `full`, `totalTokens` counts only
   * the tokens read; pass the known total to report it instead.
   */
  finish(totalTokens?: number): Corpus {
    this.stream.finish();
    let vocab = this.vocab;
    if (vocab === undefined) {
      const counts = new Map<string, number>();
      for (const [token, index] of this.firstSeen) counts.set(token, this.counts[index]!);
      vocab = Vocab.fromCounts(counts, { minFreq: this.options.minFreq ?? 0, reserved: this.options.reserved ?? [] });
      const toId = new Int32Array(this.counts.length);
      for (const [token, index] of this.firstSeen) toId[index] = vocab.idOf(token);
      for (let i = 0; i < this.length; i++) this.ids[i] = toId[this.ids[i]!]!;
      this.firstSeen.clear();
      this.counts = [];
    }
    // a view: the buffer doubles, so at most half of it is spare (a copy would briefly need both)
    const ids = this.ids.subarray(0, this.length);
    this.ids = new Int32Array(0);
    const { train, val } = splitTail(ids, this.options.valFraction ?? 0);
    return { vocab, ids, train, val, totalTokens: totalTokens ?? this.total };
  }

  private count(token: string): void {
    this.total += 1;
    let index = this.firstSeen.get(token);
    if (index === undefined) {
      index = this.counts.length;
      this.firstSeen.set(token, index);
      this.counts.push(1);
    } else this.counts[index]! += 1;
    this.keep(index);
  }

  private encode(vocab: Vocab, token: string): void {
    this.total += 1;
    this.keep(vocab.idOf(token));
  }

  private keep(id: number): void {
    if (this.length >= this.limit) return;
    if (this.length === this.ids.length) {
      const grown = new Int32Array(Math.min(this.limit, this.ids.length * 2));
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = id;
  }
}

