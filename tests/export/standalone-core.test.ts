import { describe, expect, it } from 'vitest';
import { Decoder, generate } from '../../src/engine/decode';
import { base64Encode, buildStandaloneHtml, exportableFromModel, STANDALONE_CORE } from '../../src/engine/export';
import { cleanText, tokenize, Vocab, type Cleaning, type TokenizerKind } from '../../src/engine/text';
import { label, LETTERS, smallModel, VARIANTS } from './helpers';

interface Core {
  rnnlabModel(cfg: object, W: Record<string, Float32Array>): { feed(id: number): Float32Array; reset(): void };
  rnnlabEncode(vocab: object, text: string): number[];
  rnnlabChoose(logits: Float32Array, temperature: number, greedy: boolean, random: () => number): number;
}
/** How the generation service turns a prompt into ids. */
const encodeText = (text: string, vocab: Vocab, f: { tokenizer: TokenizerKind; cleaning: Cleaning }) => vocab.encode(tokenize(cleanText(text, f.cleaning), f.tokenizer));

const core = new Function(`${STANDALONE_CORE}\nreturn { rnnlabModel, rnnlabEncode, rnnlabChoose };`)() as Core;

function standaloneModel(model: ReturnType<typeof smallModel>) {
  const c = model.config;
  const cfg = { cell: c.cell, vocab_size: c.vocabSize, embedding_dim: c.embeddingDim, hidden_size: c.hiddenSize, num_layers: c.numLayers, nonlinearity: c.nonlinearity };
  return core.rnnlabModel(cfg, Object.fromEntries([...model.params].map(([n, t]) => [n, t.data.slice()])));
}

describe('standalone page runtime', () => {
  for (const v of [...VARIANTS, { cell: 'rnn' as const, numLayers: 2, embeddingDim: 0, relu: true }]) {
    it(`repeats the engine's logits bit for bit and its greedy text (${label(v)}${'relu' in v ? ' relu' : ''})`, () => {
      const model = smallModel(v, 3);
      if ('relu' in v) (model.config as { nonlinearity: string }).nonlinearity = 'relu';
      const page = standaloneModel(model);
      const decoder = new Decoder(model);
      for (const id of [4, 8, 15, 16, 23, 0, 1]) {
        decoder.feed(id);
        expect(Array.from(page.feed(id))).toEqual(Array.from(decoder.logits));
      }
      const prefix = [4, 8, 15];
      const ours = generate(model, prefix, 150, { greedy: true }).ids;
      page.reset();
      let logits!: Float32Array;
      for (const id of prefix) logits = page.feed(id);
      const theirs: number[] = [];
      for (let i = 0; i < 150; i++) {
        const id = core.rnnlabChoose(logits, 1, true, Math.random);
        theirs.push(id);
        logits = page.feed(id);
      }
      expect(theirs).toEqual(ours);
    });
  }

  it('encodes text with the run’s cleaning and tokenizer, unknown tokens as <unk>', () => {
    const vocab = Vocab.fromJSON({ format: 'rnnlab.vocab', version: 1, tokens: LETTERS });
    for (const [text, cleaning] of [['The Time-Traveller, 1895!', 'letters'], ['Zoë 😀 went', 'none']] as const) {
      const file = { tokens: LETTERS, tokenizer: 'char' as const, cleaning };
      expect(core.rnnlabEncode(file, text)).toEqual(Array.from(encodeText(text, vocab, file)));
    }
    const words = Vocab.fromJSON({ format: 'rnnlab.vocab', version: 1, tokens: ['<unk>', 'the', 'time', 'machine'] });
    const file = { tokens: [...words.tokens], tokenizer: 'word' as const, cleaning: 'letters' as const };
    expect(core.rnnlabEncode(file, 'The  TIME\tmachine, again')).toEqual(Array.from(encodeText('The  TIME\tmachine, again', words, file)));
  });

  it('samples in proportion to softmax(logits / temperature)', () => {
    const logits = Float32Array.from([0, Math.log(3), -Infinity]);
    const counts = [0, 0, 0];
    let u = 0;
    for (let i = 0; i < 1000; i++) counts[core.rnnlabChoose(logits, 1, false, () => (u = (u + 0.001) % 1))]!++;
    expect(counts[0]).toBeCloseTo(250, -1);
    expect(counts[1]).toBeCloseTo(750, -1);
    expect(counts[2]).toBe(0);
  });

  it('base64-encodes like Node', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100, 12289]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
      expect(base64Encode(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('builds a page whose CSP forbids every network request and allows only its own script by hash', () => {
    const m = exportableFromModel(smallModel(VARIANTS[0]!), { tokens: LETTERS, tokenizer: 'char', cleaning: 'letters' });
    const html = buildStandaloneHtml(m, { sha256Base64: () => 'HASH', prefix: '</textarea><script>' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("script-src 'sha256-HASH'");
    expect(csp).not.toContain('unsafe');
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html).toContain('&lt;/textarea&gt;&lt;script&gt;');
    expect(html.match(/<script>/g)).toHaveLength(1);
  });
});
