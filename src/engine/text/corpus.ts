/**
 * text → cleaned → tokens → ids, as d2l's `load_corpus_time_machine`: the vocabulary is built from
 * every token, then the id stream is cut to the first `maxTokens` (d2l trains on 10,000), then the
 * tail `valFraction` of that stream is held out for validation.
 */
import { cleanText, type Cleaning } from './clean';
import { TextError } from './errors';
import { tokenize, type TokenizerKind } from './tokenize';
import { Vocab } from './vocab';

export interface CorpusOptions {
  tokenizer: TokenizerKind;
  cleaning: Cleaning;
  minFreq?: number;
  reserved?: readonly string[];
  /** Keep only the first `maxTokens` ids; -1 or undefined keeps all. */
  maxTokens?: number;
  /** Fraction of the (truncated) stream held out from its end; 0 or undefined holds out nothing. */
  valFraction?: number;
}

export interface Corpus {
  vocab: Vocab;
  /** Ids after `maxTokens`; `train` and `val` are views of it. */
  ids: Int32Array;
  train: Int32Array;
  val: Int32Array;
  /** Token count before `maxTokens`. */
  totalTokens: number;
}

/** Builds the vocabulary from the text unless one is given (e.g. restored from a dataset). */
export function buildCorpus(text: string, options: CorpusOptions, vocab?: Vocab): Corpus {
  const tokens = tokenize(cleanText(text, options.cleaning), options.tokenizer);
  const v = vocab ?? Vocab.fromTokens(tokens, { minFreq: options.minFreq ?? 0, reserved: options.reserved ?? [] });
  const ids = truncateTokens(v.encode(tokens), options.maxTokens);
  const { train, val } = splitTail(ids, options.valFraction ?? 0);
  return { vocab: v, ids, train, val, totalTokens: tokens.length };
}

/** The first `maxTokens` ids as a view; -1/undefined (or a larger number) keeps all. */
export function truncateTokens(ids: Int32Array, maxTokens?: number): Int32Array {
  if (maxTokens === undefined || maxTokens === -1) return ids;
  if (!Number.isInteger(maxTokens) || maxTokens < 0) throw new TextError('InvalidOption', 'The token limit must be a non-negative whole number, or -1 for all.', { maxTokens });
  return ids.subarray(0, Math.min(maxTokens, ids.length));
}

/** Views: `val` is the last round(length × valFraction) ids (rounded, so 0.29 × 100 is 29), `train` everything before. */
export function splitTail(ids: Int32Array, valFraction: number): { train: Int32Array; val: Int32Array } {
  if (!(valFraction >= 0 && valFraction < 1)) throw new TextError('InvalidOption', 'The validation fraction must be at least 0 and below 1.', { valFraction });
  const nVal = Math.round(ids.length * valFraction);
  const cut = ids.length - nVal;
  return { train: ids.subarray(0, cut), val: ids.subarray(cut) };
}
