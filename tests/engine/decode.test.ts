import { describe, expect, it } from 'vitest';
import { Decoder, generate, Sampler, scoreTokens } from '../../src/engine/decode';
import { RnnModel, type ModelConfig } from '../../src/engine/model';
import { Rng } from '../../src/engine/rng';

const config: ModelConfig = { cell: 'gru', vocabSize: 9, embeddingDim: 5, hiddenSize: 12, numLayers: 2, nonlinearity: 'tanh', dropout: 0.2 };
function makeModel(): RnnModel<Float64Array> {
  const model = new RnnModel(config, { dtype: Float64Array, rng: new Rng(21) });
  // sharpen the output layer so the next-token distributions are far from uniform
  for (const v of [model.param('output.weight'), model.param('output.bias')]) for (let i = 0; i < v.length; i++) v[i]! *= 6;
  return model;
}
const prefix = [3, 1, 4, 1, 5];
const softmax = (x: number[]) => { const m = Math.max(...x); const e = x.map((v) => Math.exp(v - m)); const s = e.reduce((a, b) => a + b); return e.map((v) => v / s); };

describe('warm-up and generation', () => {
  it('warms up on the prefix to the same state and logits as one batch-1 forward over it', () => {
    const model = makeModel();
    const decoder = new Decoder(model);
    decoder.warmUp(prefix);
    const ws = model.createWorkspace(prefix.length, 1);
    const final = model.createState(1);
    ws.forward(Int32Array.from(prefix), { final });
    const V = config.vocabSize;
    Array.from(decoder.logits).forEach((v, j) => expect(v).toBeCloseTo(ws.logits[(prefix.length - 1) * V + j]!, 13));
    Array.from(decoder.state.h).forEach((v, i) => expect(v).toBeCloseTo(final.h[i]!, 13));
  });

  it('decodes greedily and deterministically without an rng', () => {
    const model = makeModel();
    const a = generate(model, prefix, 20, { greedy: true });
    const b = generate(model, prefix, 20, { temperature: 0 });
    expect(a.ids).toHaveLength(20);
    expect(a).toEqual(b);
    expect(a.samplingProbs.every((p) => p === 1)).toBe(true);
  });

  it('equals greedy decoding with top-k = 1, with a tiny top-p, and in the limit of low temperature', () => {
    const model = makeModel();
    const greedy = generate(model, prefix, 25, { greedy: true }).ids;
    expect(generate(model, prefix, 25, { topK: 1 }, new Rng(1)).ids).toEqual(greedy);
    expect(generate(model, prefix, 25, { topP: 1e-9 }, new Rng(2)).ids).toEqual(greedy);
    expect(generate(model, prefix, 25, { temperature: 1e-4 }, new Rng(3)).ids).toEqual(greedy);
  });

  it('samples reproducibly from the same rng seed', () => {
    const model = makeModel();
    const a = generate(model, prefix, 30, { temperature: 1.3, topK: 5, topP: 0.95 }, new Rng(8));
    const b = generate(model, prefix, 30, { temperature: 1.3, topK: 5, topP: 0.95 }, new Rng(8));
    expect(a).toEqual(b);
  });

  it('reports each generated token\'s model probability, as scoring the whole text confirms', () => {
    const model = makeModel();
    const out = generate(model, prefix, 15, { temperature: 0.8 }, new Rng(4));
    const scores = scoreTokens(model, [...prefix, ...out.ids]);
    out.probs.forEach((p, i) => expect(Math.log(p)).toBeCloseTo(scores.logprobs[prefix.length - 1 + i]!, 12));
  });

  it('rejects an empty prefix, sampling without an rng and impossible options', () => {
    const model = makeModel();
    expect(() => generate(model, [], 3, { greedy: true })).toThrow(RangeError);
    expect(() => generate(model, prefix, 3, {})).toThrow(/rng/);
    expect(() => generate(model, prefix, 3, { topP: 0 }, new Rng(1))).toThrow(RangeError);
    expect(() => generate(model, prefix, 3, { temperature: -1 }, new Rng(1))).toThrow(RangeError);
  });
});

describe('sampling distributions', () => {
  const logits = [1.0, 2.5, 0.3, 2.0, -1.0];
  const p = softmax(logits);

  it('draws tokens with frequencies that follow the softmax', () => {
    const sampler = new Sampler(5), rng = new Rng(10), n = 100_000;
    const counts = new Array(5).fill(0);
    for (let i = 0; i < n; i++) counts[sampler.sample(logits, 0, {}, rng).id]++;
    // 4σ of a binomial proportion at n = 100 000 is at most 0.0064
    counts.forEach((c, j) => expect(Math.abs(c / n - p[j]!)).toBeLessThan(0.0065));
  });

  it('keeps only the k most probable tokens, renormalised', () => {
    const d = new Sampler(5).distribution(logits, 0, { topK: 2 });
    const mass = p[1]! + p[3]!;
    expect(Array.from(d)).toEqual([0, expect.closeTo(p[1]! / mass, 14), 0, expect.closeTo(p[3]! / mass, 14), 0]);
  });

  it('gives excluded tokens probability zero and renormalises the rest; greedy takes the best one left', () => {
    const d = new Sampler(5).distribution(logits, 0, { exclude: [1] });
    const mass = 1 - p[1]!;
    expect(Array.from(d)).toEqual([p[0]! / mass, 0, p[2]! / mass, p[3]! / mass, p[4]! / mass].map((v) => expect.closeTo(v, 14)));
    const sampler = new Sampler(5), rng = new Rng(4);
    for (let i = 0; i < 2000; i++) expect(sampler.sample(logits, 0, { exclude: [1] }, rng).id).not.toBe(1);
    // argmax is token 1; without it, token 3
    expect(sampler.sample(logits, 0, { greedy: true }).id).toBe(1);
    expect(sampler.sample(logits, 0, { greedy: true, exclude: [1] }).id).toBe(3);
    expect(sampler.sample(logits, 0, { greedy: true, exclude: [1] }).prob).toBeCloseTo(p[3]!, 14);
    expect(() => sampler.sample(logits, 0, { exclude: [0, 1, 2, 3, 4] }, rng)).toThrow(RangeError);
  });

  it('keeps the smallest most-probable set reaching top-p', () => {
    // p ≈ [0.11, 0.51, 0.06, 0.31, 0.02]: 0.6 needs tokens 1 and 3; 0.9 adds token 0
    expect(Array.from(new Sampler(5).distribution(logits, 0, { topP: 0.6 })).map((v) => v > 0)).toEqual([false, true, false, true, false]);
    expect(Array.from(new Sampler(5).distribution(logits, 0, { topP: 0.9 })).map((v) => v > 0)).toEqual([true, true, false, true, false]);
  });

  it('sharpens toward the argmax as the temperature goes to 0 and flattens as it grows', () => {
    const s = new Sampler(5);
    let last = 0;
    for (const t of [10, 1, 0.5, 0.1, 0.01]) {
      const top = s.distribution(logits, 0, { temperature: t })[1]!;
      expect(top).toBeGreaterThan(last);
      last = top;
    }
    expect(last).toBeGreaterThan(1 - 1e-6);
    const flat = s.distribution(logits, 0, { temperature: 1e6 });
    flat.forEach((v) => expect(v).toBeCloseTo(0.2, 5));
  });

  it('reads a row of a larger logits buffer at its offset', () => {
    const s = new Sampler(5);
    expect(s.sample([9, 9, 9, 9, 9, ...logits], 5, { greedy: true }).id).toBe(1);
  });
});

describe('scoring a text', () => {
  it('gives perplexity exp(−mean log-probability), equal to exp(mean cross-entropy) of a forward', () => {
    const model = makeModel();
    const r = new Rng(6);
    const ids = Array.from({ length: 40 }, () => r.nextInt(config.vocabSize));
    const { logprobs, perplexity } = scoreTokens(model, ids);
    expect(logprobs).toHaveLength(39);
    const mean = logprobs.reduce((a, b) => a + b, 0) / 39;
    expect(perplexity).toBeCloseTo(Math.exp(-mean), 12);
    const ws = model.createWorkspace(39, 1);
    const loss = ws.forward(Int32Array.from(ids.slice(0, 39)), { targets: Int32Array.from(ids.slice(1)) });
    expect(Math.log(perplexity)).toBeCloseTo(loss, 12);
  });

  it('scores texts longer than one chunk exactly as one pass would', () => {
    const model = makeModel();
    const r = new Rng(7);
    const ids = Array.from({ length: 700 }, () => r.nextInt(config.vocabSize));
    const ws = model.createWorkspace(699, 1);
    const loss = ws.forward(Int32Array.from(ids.slice(0, 699)), { targets: Int32Array.from(ids.slice(1)) });
    expect(Math.log(scoreTokens(model, ids).perplexity)).toBeCloseTo(loss, 11);
  });

  it('gives perplexity V for a model whose outputs are uniform', () => {
    const model = new RnnModel(config, { dtype: Float32Array, rng: new Rng(1) });
    model.param('output.weight').fill(0);
    model.param('output.bias').fill(0);
    expect(scoreTokens(model, [1, 2, 3, 4, 0, 8]).perplexity).toBeCloseTo(config.vocabSize, 5);
  });

  it('has nothing to score in fewer than two tokens', () => {
    const s = scoreTokens(makeModel(), [4]);
    expect(s.logprobs).toHaveLength(0);
    expect(s.perplexity).toBeNaN();
  });
});
