import { describe, expect, it } from 'vitest';
import { cleanText, StreamingCleaner } from '../../src/engine/text/clean';
import { tokenize, tokenSeparator, TokenStream, type TokenizerKind } from '../../src/engine/text/tokenize';
import type { Cleaning } from '../../src/engine/text/clean';

function streamTokens(chunks: string[], tokenizer: TokenizerKind, cleaning: Cleaning): string[] {
  const out: string[] = [];
  const s = new TokenStream({ tokenizer, cleaning }, (t) => out.push(t));
  for (const c of chunks) s.push(c);
  s.finish();
  return out;
}

describe('cleanText letters (d2l re.sub("[^A-Za-z]+", " ", text).lower())', () => {
  it('turns every run of non-letters into one space and lowercases', () => {
    expect(cleanText('The Time Machine, by H. G. Wells [1898]\n\nI\n', 'letters')).toBe('the time machine by h g wells i ');
    expect(cleanText("don't  STOP--now", 'letters')).toBe('don t stop now');
  });

  it('keeps leading and trailing runs as a single space, without trimming', () => {
    expect(cleanText('--a--', 'letters')).toBe(' a ');
  });

  it('replaces non-ASCII letters before lowercasing, so İ and the Kelvin sign never become i or k', () => {
    expect(cleanText('İstanbul', 'letters')).toBe(' stanbul');
    expect(cleanText('Kelvin: 5\u212a', 'letters')).toBe('kelvin ');
  });

  it('leaves text untouched with cleaning none', () => {
    expect(cleanText('A, b!\n😀', 'none')).toBe('A, b!\n😀');
  });

  it('keeps a non-letter run cut by chunk boundaries as one space when streaming', () => {
    const c = new StreamingCleaner('letters');
    expect(['Abc,', ' ,', '', '--Def 1', '2'].map((x) => c.push(x)).join('')).toBe('abc def ');
  });
});

describe('character tokenizer', () => {
  it('makes one token per code point, so an astral emoji is one token', () => {
    expect(tokenize('a😀b𝔸', 'char')).toEqual(['a', '😀', 'b', '𝔸']);
    expect(tokenize('😀😀', 'char')).toHaveLength(2);
  });

  it('keeps a lone surrogate as a token of its own', () => {
    expect(tokenize('a\ud83db', 'char')).toEqual(['a', '\ud83d', 'b']);
    expect(tokenize('a\ude00', 'char')).toEqual(['a', '\ude00']);
  });

  it('joins a surrogate pair cut at a chunk boundary', () => {
    const text = 'x😀y';
    expect(streamTokens([text.slice(0, 2), text.slice(2)], 'char', 'none')).toEqual(['x', '😀', 'y']);
  });

  it('flushes a high surrogate left at the end of the stream as a lone token', () => {
    expect(streamTokens(['ab\ud83d'], 'char', 'none')).toEqual(['a', 'b', '\ud83d']);
  });
});

describe('word tokenizer', () => {
  it('splits on runs of whitespace and never yields empty tokens', () => {
    expect(tokenize('  the time\tmachine\n\nby\u00a0h ', 'word')).toEqual(['the', 'time', 'machine', 'by', 'h']);
    expect(tokenize('   ', 'word')).toEqual([]);
  });

  it('joins a word cut at a chunk boundary', () => {
    expect(streamTokens(['the ti', 'me mach', 'ine'], 'word', 'none')).toEqual(['the', 'time', 'machine']);
    expect(streamTokens(['the ', 'time', ' ', 'machine '], 'word', 'none')).toEqual(['the', 'time', 'machine']);
  });

  it('decodes words with a space and characters with nothing between them', () => {
    expect(tokenSeparator('word')).toBe(' ');
    expect(tokenSeparator('char')).toBe('');
  });
});

describe('TokenStream', () => {
  const text = 'The Time 😀 Machine,\r\nby H. G. Wells — 𝔸 chapter\tI.  ';
  const units = text.length;

  for (const tokenizer of ['char', 'word'] as const) {
    for (const cleaning of ['letters', 'none'] as const) {
      it(`emits the same ${tokenizer} tokens with ${cleaning} cleaning for every split into chunks`, () => {
        const whole = tokenize(cleanText(text, cleaning), tokenizer);
        for (let i = 0; i <= units; i++) {
          expect(streamTokens([text.slice(0, i), text.slice(i)], tokenizer, cleaning)).toEqual(whole);
          for (let j = i; j <= units; j += 3) {
            expect(streamTokens([text.slice(0, i), text.slice(i, j), text.slice(j)], tokenizer, cleaning)).toEqual(whole);
          }
        }
      });
    }
  }
});
