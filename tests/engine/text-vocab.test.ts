import { describe, expect, it } from 'vitest';
import { buildCorpus, splitTail, truncateTokens } from '../../src/engine/text/corpus';
import { unigramEntropy, unigramPerplexity, unkRate, vocabSizeForMinFreq } from '../../src/engine/text/stats';
import { countTokens, TokenCounter } from '../../src/engine/text/token-counter';
import { cleanText } from '../../src/engine/text/clean';
import { tokenize } from '../../src/engine/text/tokenize';
import { UNK, Vocab } from '../../src/engine/text/vocab';

const words = (s: string) => s.split(' ');

describe('Vocab', () => {
  it('puts <unk> first, then tokens by count descending with ties in first-occurrence order', () => {
    const v = Vocab.fromTokens(words('c b a b a d a e'));
    // counts: a3 b2 c1 d1 e1; ties c, d, e keep the order they first appeared in
    expect(v.tokens).toEqual([UNK, 'a', 'b', 'c', 'd', 'e']);
  });

  it('maps tokens seen fewer than minFreq times to <unk>', () => {
    const v = Vocab.fromTokens(words('c b a b a d a'), { minFreq: 2 });
    expect(v.tokens).toEqual([UNK, 'a', 'b']);
    expect(Array.from(v.encode(words('a c b d')))).toEqual([1, 0, 2, 0]);
  });

  it('places reserved tokens right after <unk> and does not repeat them', () => {
    const v = Vocab.fromTokens(words('x <eos> y x'), { reserved: ['<pad>', '<eos>'] });
    expect(v.tokens).toEqual([UNK, '<pad>', '<eos>', 'x', 'y']);
  });

  it('keeps a literal <unk> in the text at index 0', () => {
    const v = Vocab.fromTokens(words('<unk> <unk> a'));
    expect(v.tokens).toEqual([UNK, 'a']);
    expect(v.idOf('<unk>')).toBe(0);
  });

  it('decodes ids back to the tokens they encode', () => {
    const v = Vocab.fromTokens(Array.from('hello world'));
    const ids = v.encode(Array.from('hello'));
    expect(v.decode(ids)).toBe('hello');
    expect(() => v.tokenOf(v.size)).toThrow(RangeError);
  });

  it('round-trips through JSON', () => {
    const v = Vocab.fromTokens(Array.from('the time machine 😀'), { reserved: ['<bos>'] });
    const back = Vocab.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
    expect(back.tokens).toEqual(v.tokens);
    expect(back.idOf('😀')).toBe(v.idOf('😀'));
  });

  it('rejects a damaged vocabulary file with InvalidVocab', () => {
    const good = { format: 'rnnlab.vocab', version: 1, tokens: [UNK, 'a'] };
    const bad: unknown[] = [null, 3, { ...good, format: 'x' }, { ...good, version: 2 }, { ...good, tokens: [] }, { ...good, tokens: ['a', UNK] }, { ...good, tokens: [UNK, 'a', 'a'] }, { ...good, tokens: [UNK, 7] }, { ...good, tokens: [UNK, ''] }];
    for (const b of bad) expect(() => Vocab.fromJSON(b)).toThrow(expect.objectContaining({ code: 'InvalidVocab' }));
    expect(Vocab.fromJSON(good).size).toBe(2);
  });
});

describe('TokenCounter', () => {
  it('counts chunked text exactly like counting the whole text, in first-occurrence order', () => {
    const text = 'The Time Traveller (for so it will be convenient to speak of him) was expounding 😀 a recondite matter to us.';
    const whole = countTokens(tokenize(cleanText(text, 'letters'), 'word'));
    const c = new TokenCounter({ tokenizer: 'word', cleaning: 'letters' });
    for (let i = 0; i < text.length; i += 7) c.push(text.slice(i, i + 7));
    c.finish();
    expect([...c.counts]).toEqual([...whole]);
    expect(c.total).toBe(tokenize(cleanText(text, 'letters'), 'word').length);
  });

  it('counts astral characters as single tokens even when a chunk cuts them', () => {
    const c = new TokenCounter({ tokenizer: 'char', cleaning: 'none' });
    c.push('a\ud83d').push('\ude00a').finish();
    expect([...c.counts]).toEqual([['a', 2], ['😀', 1]]);
  });
});

describe('corpus statistics', () => {
  const counts = countTokens(words('a a a a b b b c c d'));

  it('predicts the vocabulary size Vocab builds for each minFreq', () => {
    for (const minFreq of [0, 1, 2, 3, 4, 5]) {
      expect(vocabSizeForMinFreq(counts, minFreq)).toBe(Vocab.fromCounts(counts, { minFreq }).size);
      expect(vocabSizeForMinFreq(counts, minFreq, ['<pad>'])).toBe(Vocab.fromCounts(counts, { minFreq, reserved: ['<pad>'] }).size);
    }
  });

  it('gives the fraction of token occurrences that become <unk>', () => {
    expect(unkRate(counts, 0)).toBe(0);
    expect(unkRate(counts, 2)).toBeCloseTo(1 / 10, 15);
    expect(unkRate(counts, 3)).toBeCloseTo(3 / 10, 15);
    expect(unkRate(counts, 5)).toBe(1);
    expect(unkRate(new Map(), 3)).toBe(0);
  });

  it('agrees with the <unk> share of an encoded corpus', () => {
    const tokens = words('a a a a b b b c c d');
    const ids = Vocab.fromTokens(tokens, { minFreq: 3 }).encode(tokens);
    expect(ids.filter((id) => id === 0).length / ids.length).toBe(unkRate(counts, 3));
  });

  it('has the vocabulary size as unigram perplexity for a uniform distribution', () => {
    expect(unigramPerplexity(countTokens(words('w x y z w x y z')))).toBeCloseTo(4, 12);
  });

  it('pools the tokens below minFreq into one <unk> for the unigram perplexity, as the encoded corpus has them', () => {
    const tokens = words('a a a a b b b c c d');
    const ids = Vocab.fromTokens(tokens, { minFreq: 3 }).encode(tokens);
    const encoded = unigramPerplexity(countTokens(Array.from(ids, String)));
    expect(unigramPerplexity(counts, 3)).toBeCloseTo(encoded, 12);
    // a4 b3 <unk>3: not the five-token distribution of the raw text
    expect(unigramPerplexity(counts, 3)).not.toBeCloseTo(unigramPerplexity(counts), 3);
    expect(unigramPerplexity(counts, 100)).toBe(1);
  });

  it('has 2^1.5 as unigram perplexity for probabilities 1/2, 1/4, 1/4', () => {
    const c = countTokens(words('a a b c'));
    expect(unigramEntropy(c)).toBeCloseTo(1.5 * Math.LN2, 14);
    expect(unigramPerplexity(c)).toBeCloseTo(2 ** 1.5, 12);
  });
});

describe('buildCorpus', () => {
  const text = 'The time machine, by H. G. Wells.';

  it('cleans, tokenizes and encodes so that decoding gives the cleaned text back', () => {
    const c = buildCorpus(text, { tokenizer: 'char', cleaning: 'letters' });
    expect(c.vocab.decode(c.ids)).toBe('the time machine by h g wells ');
    expect(c.train).toHaveLength(c.ids.length);
    expect(c.val).toHaveLength(0);
  });

  it('builds the vocabulary from every token but keeps only the first maxTokens ids (like d2l)', () => {
    const c = buildCorpus(text, { tokenizer: 'word', cleaning: 'letters', maxTokens: 2 });
    expect(c.vocab.decode(c.ids, ' ')).toBe('the time');
    expect(c.vocab.has('wells')).toBe(true);
    expect(c.totalTokens).toBe(7);
    expect(buildCorpus(text, { tokenizer: 'word', cleaning: 'letters', maxTokens: -1 }).ids).toHaveLength(7);
  });

  it('holds out the tail fraction of the token stream for validation', () => {
    const c = buildCorpus(text, { tokenizer: 'char', cleaning: 'letters', valFraction: 0.2 });
    expect(c.val.length).toBe(Math.round(c.ids.length * 0.2));
    expect([...c.train, ...c.val]).toEqual([...c.ids]);
    expect(c.vocab.decode(c.val)).toBe('the time machine by h g wells '.slice(c.train.length));
  });

  it('reuses a given vocabulary', () => {
    const vocab = Vocab.fromTokens(Array.from('abc'));
    const c = buildCorpus('abz', { tokenizer: 'char', cleaning: 'none' }, vocab);
    expect(c.vocab).toBe(vocab);
    expect(Array.from(c.ids)).toEqual([vocab.idOf('a'), vocab.idOf('b'), 0]);
  });

  it('rounds the validation size rather than truncating it', () => {
    const ids = Int32Array.from({ length: 100 }, (_, i) => i);
    expect(splitTail(ids, 0.29).val).toHaveLength(29);
    expect(() => splitTail(ids, 1)).toThrow(expect.objectContaining({ code: 'InvalidOption' }));
    expect(() => truncateTokens(ids, 2.5)).toThrow(expect.objectContaining({ code: 'InvalidOption' }));
    expect(truncateTokens(ids, 1000)).toHaveLength(100);
  });
});
