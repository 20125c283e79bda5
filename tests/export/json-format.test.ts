import { describe, expect, it } from 'vitest';
import { buildJsonExport, buildPytorchExport, float32ToString, parseJsonExport, parsePytorchConfig, parsePytorchExport, parseVocabFile } from '../../src/engine/export';
import { label, smallExport, VARIANTS } from './helpers';

describe('JSON export', () => {
  it('writes each float32 with the fewest digits that read back as the same float32', () => {
    const values = [0, -0, 1, -1, 0.1, 1 / 3, 1e-40, 3.4028234663852886e38, -2.5e-7, 123456.789, Math.PI];
    for (const v of values.map(Math.fround)) {
      const s = float32ToString(v);
      expect(Object.is(Math.fround(JSON.parse(s) as number), v)).toBe(true);
      if (s.replace(/^-/, '').replace(/e.*/, '').replace('.', '').replace(/^0+/, '').length > 1) {
        // one digit fewer would not do
        const p = s.replace(/^-/, '').replace(/e.*/, '').replace('.', '').replace(/^0+/, '').length - 1;
        expect(Math.fround(Number(v.toPrecision(p)))).not.toBe(v);
      }
    }
    expect(float32ToString(Math.fround(0.1))).toBe('0.1');
  });

  for (const v of VARIANTS) {
    it(`parses back to the same weights and rewrites the same text (${label(v)})`, () => {
      const m = smallExport(v);
      const text = buildJsonExport(m);
      const back = parseJsonExport(text);
      expect(back.config).toEqual(m.config);
      expect(back.vocab).toEqual(m.vocab);
      expect([...back.weights.keys()]).toEqual([...m.weights.keys()]);
      for (const [name, t] of m.weights) expect(back.weights.get(name)!.data).toEqual(t.data);
      expect(buildJsonExport(back)).toBe(text);
    });
  }

  it('lays a matrix out one row per line', () => {
    const text = buildJsonExport(smallExport(VARIANTS[0]!));
    const doc = JSON.parse(text) as { weights: Record<string, { shape: number[]; values: number[][] }> };
    const w = doc.weights['rnn.weight_hh_l0']!;
    expect(w.shape).toEqual([10, 10]);
    expect(w.values).toHaveLength(10);
    expect(text).toMatch(/"values": \[\n {8}\[/);
  });

  it('refuses values that do not form the declared shape, naming the tensor', () => {
    const doc = JSON.parse(buildJsonExport(smallExport(VARIANTS[0]!))) as { weights: Record<string, { shape: number[]; values: number[][] }> };
    doc.weights['output.weight']!.values[3]!.pop();
    expect(() => parseJsonExport(JSON.stringify(doc))).toThrow(expect.objectContaining({ code: 'ShapeMismatch', details: expect.objectContaining({ name: 'output.weight' }) }));
    expect(() => parseJsonExport('{"format":"something else"}')).toThrow(expect.objectContaining({ code: 'InvalidJson' }));
    expect(() => parseJsonExport('not json')).toThrow(expect.objectContaining({ code: 'InvalidJson' }));
  });
});

describe('PyTorch files', () => {
  it('are the same bytes for the same model, and parse back to it', () => {
    const m = smallExport(VARIANTS[3]!);
    const a = buildPytorchExport(m), b = buildPytorchExport(smallExport(VARIANTS[3]!));
    expect(a.weights).toEqual(b.weights);
    const back = parsePytorchExport(a.weights, a.config, a.vocab);
    expect(buildPytorchExport(back)).toEqual(a);
    expect(JSON.parse(a.config)).toMatchObject({ cell: 'rnn', vocab_size: 28, embedding_dim: 6, hidden_size: 10, num_layers: 2, nonlinearity: 'tanh', dropout: 0.2 });
    expect(JSON.parse(a.vocab)).toMatchObject({ tokenizer: 'char', cleaning: 'letters', separator: '', tokens: m.vocab.tokens });
  });

  it('accept a config.json written by hand, with defaults for what it leaves out', () => {
    expect(parsePytorchConfig('{"cell":"LSTM","vocab_size":5,"hidden_size":3}')).toEqual({ cell: 'lstm', vocabSize: 5, embeddingDim: 0, hiddenSize: 3, numLayers: 1, nonlinearity: 'tanh', dropout: 0 });
    expect(() => parsePytorchConfig('{"cell":"lstm","vocab_size":5,"hidden_size":3,"bidirectional":true}')).toThrow(expect.objectContaining({ code: 'InvalidConfig', details: expect.objectContaining({ field: 'bidirectional' }) }));
    expect(() => parsePytorchConfig('{"cell":"lstm","vocab_size":5,"hidden_size":0}')).toThrow(expect.objectContaining({ code: 'InvalidConfig', details: { field: 'hiddenSize' } }));
  });

  it('refuse a vocabulary without <unk> first or with a repeated token', () => {
    expect(() => parseVocabFile('{"tokens":["a","<unk>"]}')).toThrow(expect.objectContaining({ code: 'InvalidVocab' }));
    expect(() => parseVocabFile('{"tokens":["<unk>","a","a"]}')).toThrow(expect.objectContaining({ code: 'InvalidVocab' }));
    expect(() => parseVocabFile('{"tokens":["<unk>","a"],"tokenizer":"bpe"}')).toThrow(expect.objectContaining({ code: 'InvalidVocab', details: { field: 'tokenizer' } }));
  });

  it('refuse a vocabulary of another size than the model, and non-finite weights', () => {
    const m = smallExport(VARIANTS[0]!);
    const files = buildPytorchExport(m);
    expect(() => parsePytorchExport(files.weights, files.config, '{"tokens":["<unk>","a"]}')).toThrow(expect.objectContaining({ code: 'VocabSizeMismatch' }));
    m.weights.get('output.bias')!.data[2] = NaN;
    const bad = buildPytorchExport(m);
    expect(() => parsePytorchExport(bad.weights, bad.config, bad.vocab)).toThrow(expect.objectContaining({ code: 'NonFiniteWeight', details: { name: 'output.bias', index: 2 } }));
  });
});
