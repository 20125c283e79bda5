import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { buildCorpus, countTokens, tokenize, unigramPerplexity } from '../../src/engine/text';
import { resolveTrainerOptions, Trainer } from '../../src/engine/train';

/**
 * A small language with structure at two scales: fixed spellings (characters within a word are
 * predictable once it starts) and a word grammar where each word has two possible successors.
 * A context-free (unigram) model cannot use either; an RNN that learns must use both.
 */
function patternText(seed: number, chars: number): string {
  const words = ['time', 'traveller', 'machine', 'future', 'light', 'across', 'river', 'garden', 'sphinx', 'bronze', 'morlock', 'eloi'];
  const rng = new Rng(seed);
  const parts: string[] = [];
  let w = 0, length = 0;
  while (length < chars) {
    parts.push(words[w]!);
    length += words[w]!.length + 1;
    w = (w * 5 + 1 + rng.nextInt(2) * 3) % words.length;
  }
  return parts.join(' ');
}

describe('learning', () => {
  it('drives training perplexity well below the unigram perplexity on a patterned text', () => {
    const corpus = buildCorpus(patternText(11, 6000), { tokenizer: 'char', cleaning: 'letters', valFraction: 0.1 });
    const unigram = unigramPerplexity(countTokens(tokenize(corpus.vocab.decode(corpus.train), 'char')));
    const options = resolveTrainerOptions({ cell: 'gru', hiddenSize: 48, numSteps: 20, batchSize: 16, optimizer: 'adam', lr: 0.02, clip: 1, seed: 5 });
    const trainer = new Trainer(options, { train: corpus.train, val: corpus.val, vocabSize: corpus.vocab.size });
    const before = trainer.evaluate()!.perplexity;
    let last = trainer.trainEpoch();
    for (let e = 1; e < 12; e++) last = trainer.trainEpoch();
    const val = trainer.evaluate()!.perplexity;

    expect(unigram).toBeGreaterThan(8);
    expect(before).toBeGreaterThan(0.9 * unigram);
    expect(last.perplexity).toBeLessThan(0.5 * unigram);
    expect(val).toBeLessThan(0.5 * unigram);
  });
});
