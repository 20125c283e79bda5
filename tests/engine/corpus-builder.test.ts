import { describe, expect, it } from 'vitest';
import { buildCorpus, CorpusBuilder, Vocab, type CorpusOptions } from '../../src/engine/text';
import { Rng } from '../../src/engine/rng';

const TEXTS = [
  'The Time Machine, by H. G. Wells [1898]\n\nThe Time Traveller (for so it will be convenient to speak of him) was expounding.',
  'naïve café — déjà vu 😀😀 x😀y\t\tend  of   text ',
  '  leading spaces, <unk> written out, and a tail without a space',
  '',
];

/** The text cut at every `step`-th UTF-16 unit, so pairs and words straddle chunk ends. */
function chunks(text: string, step: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += step) out.push(text.slice(i, i + step));
  return out;
}

function streamed(text: string, step: number, options: CorpusOptions, vocab?: Vocab) {
  const builder = new CorpusBuilder(options, vocab);
  for (const c of chunks(text, step)) builder.push(c);
  return builder.finish();
}

describe('CorpusBuilder', () => {
  it('gives exactly what buildCorpus gives on the joined text, for any chunking and every option', () => {
    const options: CorpusOptions[] = [];
    for (const tokenizer of ['char', 'word'] as const) {
      for (const cleaning of ['letters', 'none'] as const) {
        for (const maxTokens of [undefined, -1, 0, 7, 40, 10_000]) {
          options.push({ tokenizer, cleaning, maxTokens, minFreq: 2, valFraction: 0.2 });
          options.push({ tokenizer, cleaning, maxTokens, reserved: ['<pad>'] });
        }
      }
    }
    for (const text of TEXTS) {
      for (const o of options) {
        const ref = buildCorpus(text, o);
        for (const step of [1, 2, 3, 7, 64, 1000]) {
          const got = streamed(text, step, o);
          expect(got.vocab.tokens).toEqual(ref.vocab.tokens);
          expect(got.ids).toEqual(ref.ids);
          expect(got.train).toEqual(ref.train);
          expect(got.val).toEqual(ref.val);
          expect(got.totalTokens).toBe(ref.totalTokens);
        }
      }
    }
  });

  it('matches buildCorpus on a random text longer than its first buffer, so the id buffer grows', () => {
    const rng = new Rng(7);
    const alphabet = 'abcdefghij  \n.,é😀';
    const letters = Array.from(alphabet);
    let text = '';
    while (text.length < 300_000) text += letters[rng.nextInt(letters.length)];
    for (const o of [{ tokenizer: 'char', cleaning: 'none' }, { tokenizer: 'word', cleaning: 'letters', minFreq: 3 }] as CorpusOptions[]) {
      const ref = buildCorpus(text, o);
      const got = streamed(text, 4099, o);
      expect(got.ids).toEqual(ref.ids);
      expect(got.vocab.tokens).toEqual(ref.vocab.tokens);
    }
  });

  it('with a fixed vocabulary says it is full after maxTokens tokens, and keeps only those', () => {
    const vocab = Vocab.fromTokens(Array.from('abc'));
    const builder = new CorpusBuilder({ tokenizer: 'char', cleaning: 'none', maxTokens: 3 }, vocab);
    builder.push('ab');
    expect(builder.full).toBe(false);
    builder.push('zcab');
    expect(builder.full).toBe(true);
    const c = builder.finish(99);
    expect(Array.from(c.ids)).toEqual([vocab.idOf('a'), vocab.idOf('b'), 0]);
    expect(c.totalTokens).toBe(99);
    expect(new CorpusBuilder({ tokenizer: 'char', cleaning: 'none', maxTokens: 3 }).push('abcdef').full).toBe(false);
  });

  it('refuses a token limit that is not a whole number', () => {
    expect(() => new CorpusBuilder({ tokenizer: 'char', cleaning: 'none', maxTokens: 2.5 })).toThrow(expect.objectContaining({ code: 'InvalidOption' }));
  });
});
