/**
 * Vocabulary as d2l builds it: `<unk>` at index 0, then the reserved tokens, then every token whose
 * count is at least `minFreq`, by count descending. Ties keep first-occurrence order: d2l sorts
 * `Counter.items()` (insertion ordered) with Python's stable `sorted(..., reverse=True)`, and
 * `Array.prototype.sort` is stable too. Tokens below `minFreq` encode as `<unk>`.
 */
import { TextError } from './errors';
import { countTokens } from './token-counter';

export const UNK = '<unk>';

export interface VocabOptions {
  /** Tokens seen fewer times map to `<unk>`; d2l's default 0 keeps everything. */
  minFreq?: number;
  /** Placed right after `<unk>`, e.g. `['<pad>', '<bos>', '<eos>']`. */
  reserved?: readonly string[];
}

export interface VocabJSON {
  format: 'rnnlab.vocab';
  version: 1;
  /** Index → token; `tokens[0]` is `<unk>`. */
  tokens: string[];
}

export class Vocab {
  private readonly index: Map<string, number>;

  private constructor(readonly tokens: readonly string[]) {
    this.index = new Map(tokens.map((t, i) => [t, i]));
  }

  /** `counts` must iterate in first-occurrence order (as `TokenCounter`/`countTokens` produce). */
  static fromCounts(counts: ReadonlyMap<string, number>, options: VocabOptions = {}): Vocab {
    const minFreq = options.minFreq ?? 0;
    if (!Number.isFinite(minFreq) || minFreq < 0) throw new TextError('InvalidOption', 'The minimum frequency must be a non-negative number.', { minFreq });
    const tokens = [UNK];
    const seen = new Set(tokens);
    for (const t of options.reserved ?? []) {
      if (!seen.has(t)) {
        seen.add(t);
        tokens.push(t);
      }
    }
    const sorted = [...counts].sort((a, b) => b[1] - a[1]);
    for (const [token, freq] of sorted) {
      if (freq < minFreq) break;
      if (!seen.has(token)) {
        seen.add(token);
        tokens.push(token);
      }
    }
    return new Vocab(tokens);
  }

  static fromTokens(tokens: Iterable<string>, options: VocabOptions = {}): Vocab {
    return Vocab.fromCounts(countTokens(tokens), options);
  }

  static fromJSON(json: unknown): Vocab {
    const fail = (reason: string, details: Record<string, unknown> = {}): never => {
      throw new TextError('InvalidVocab', `The vocabulary is damaged: ${reason}.`, { reason, ...details });
    };
    if (typeof json !== 'object' || json === null) return fail('not an object');
    const j = json as Partial<VocabJSON>;
    if (j.format !== 'rnnlab.vocab') fail('unknown format', { format: j.format });
    if (j.version !== 1) fail('unsupported version', { version: j.version });
    if (!Array.isArray(j.tokens) || j.tokens.length === 0) return fail('no token list');
    const seen = new Set<string>();
    j.tokens.forEach((t: unknown, i) => {
      if (typeof t !== 'string' || t.length === 0) fail('a token is not a non-empty string', { index: i });
      if (seen.has(t as string)) fail('a token appears twice', { index: i });
      seen.add(t as string);
    });
    if (j.tokens[0] !== UNK) fail('index 0 is not <unk>');
    return new Vocab([...j.tokens]);
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Id of `token`, or 0 (`<unk>`) if it is not in the vocabulary. */
  idOf(token: string): number {
    return this.index.get(token) ?? 0;
  }

  has(token: string): boolean {
    return this.index.has(token);
  }

  tokenOf(id: number): string {
    const t = this.tokens[id];
    if (t === undefined) throw new RangeError(`token id ${id} is outside the vocabulary of ${this.size}`);
    return t;
  }

  /** Encodes into `out` when given (its length must be `tokens.length`), else a new array. */
  encode(tokens: readonly string[], out?: Int32Array): Int32Array {
    const ids = out ?? new Int32Array(tokens.length);
    if (ids.length !== tokens.length) throw new RangeError(`encode: output length ${ids.length} ≠ ${tokens.length} tokens`);
    for (let i = 0; i < tokens.length; i++) ids[i] = this.idOf(tokens[i]!);
    return ids;
  }

  decodeTokens(ids: ArrayLike<number>): string[] {
    return Array.from(ids, (id) => this.tokenOf(id));
  }

  /** Joins the tokens with `separator` (`tokenSeparator(kind)`: '' for characters, ' ' for words). */
  decode(ids: ArrayLike<number>, separator = ''): string {
    return this.decodeTokens(ids).join(separator);
  }

  toJSON(): VocabJSON {
    return { format: 'rnnlab.vocab', version: 1, tokens: [...this.tokens] };
  }
}
