/**
 * Tokenisers.
 *
 * `char`: one token per Unicode code point, so an astral character such as '😀' (two UTF-16
 * units) is one token. A lone surrogate (malformed UTF-16) is a token of its own.
 *
 * `word`: tokens are the maximal runs of non-whitespace characters, where whitespace is
 * ECMAScript's `\s` (Unicode White_Space plus line terminators and U+FEFF); empty strings never
 * occur. This matches Python's `str.split()` used by d2l except for U+001C–U+001F (whitespace in
 * Python, not here) and U+FEFF (the reverse).
 */
import { StreamingCleaner, type Cleaning } from './clean';

export type TokenizerKind = 'char' | 'word';

export const TOKENIZERS: readonly TokenizerKind[] = ['char', 'word'];

export type TokenSink = (token: string) => void;

const WORD = /\S+/g;

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Emits the code points of `text`; returns the index where an unfinished trailing pair starts. */
function emitChars(text: string, sink: TokenSink, final: boolean): number {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const unit = text.charCodeAt(i);
    if (isHighSurrogate(unit)) {
      if (i + 1 < n) {
        if (isLowSurrogate(text.charCodeAt(i + 1))) {
          sink(text.slice(i, i + 2));
          i += 2;
          continue;
        }
      } else if (!final) {
        return i;
      }
    }
    sink(text[i]!);
    i += 1;
  }
  return n;
}

/** Emits the words of `text`; returns the index where a word that may continue starts. */
function emitWords(text: string, sink: TokenSink, final: boolean): number {
  WORD.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = WORD.exec(text)) !== null) {
    const end = match.index + match[0].length;
    if (!final && end === text.length) return match.index;
    sink(match[0]);
  }
  return text.length;
}

export function tokenize(text: string, kind: TokenizerKind): string[] {
  const out: string[] = [];
  const sink: TokenSink = (t) => out.push(t);
  if (kind === 'char') emitChars(text, sink, true);
  else emitWords(text, sink, true);
  return out;
}

/** The string placed between tokens when decoding ids back to text. */
export function tokenSeparator(kind: TokenizerKind): string {
  return kind === 'word' ? ' ' : '';
}

export interface TokenStreamOptions {
  tokenizer: TokenizerKind;
  cleaning: Cleaning;
}

/**
 * Cleans and tokenises text that arrives in chunks (e.g. a 200 MB file decoded piece by piece).
 * A surrogate pair or a word cut by a chunk boundary is held back and completed by the next
 * chunk; `finish()` flushes what is left. The tokens emitted equal `tokenize(cleanText(all))`.
 */
export class TokenStream {
  private readonly cleaner: StreamingCleaner;
  private carry = '';
  private finished = false;

  constructor(
    readonly options: TokenStreamOptions,
    private readonly sink: TokenSink,
  ) {
    this.cleaner = new StreamingCleaner(options.cleaning);
  }

  push(chunk: string): void {
    if (this.finished) throw new Error('TokenStream.push after finish');
    const text = this.carry + this.cleaner.push(chunk);
    const consumed = this.options.tokenizer === 'char' ? emitChars(text, this.sink, false) : emitWords(text, this.sink, false);
    this.carry = text.slice(consumed);
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.options.tokenizer === 'char') emitChars(this.carry, this.sink, true);
    else emitWords(this.carry, this.sink, true);
    this.carry = '';
  }
}
