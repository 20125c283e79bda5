import { describe, expect, it } from 'vitest';
import {
  findNonFinite, ModelConfigError, parameterShapes, resetState, RnnModel, type ModelConfig,
} from '../../src/engine/model';
import { Rng } from '../../src/engine/rng';

const base: ModelConfig = { cell: 'lstm', vocabSize: 11, embeddingDim: 0, hiddenSize: 6, numLayers: 2, nonlinearity: 'tanh', dropout: 0 };
const randomIds = (n: number, V: number, seed: number) => { const r = new Rng(seed); return Int32Array.from({ length: n }, () => r.nextInt(V)); };

function stats(a: ArrayLike<number>): { mean: number; std: number; maxAbs: number } {
  let s = 0, s2 = 0, m = 0;
  for (let i = 0; i < a.length; i++) { s += a[i]!; s2 += a[i]! ** 2; m = Math.max(m, Math.abs(a[i]!)); }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(s2 / a.length - mean * mean), maxAbs: m };
}

describe('model configuration and parameters', () => {
  it('rejects impossible configurations with the offending field', () => {
    const bad: Array<[Partial<ModelConfig>, keyof ModelConfig]> = [
      [{ hiddenSize: 0 }, 'hiddenSize'], [{ numLayers: 1.5 }, 'numLayers'], [{ vocabSize: -1 }, 'vocabSize'],
      [{ embeddingDim: -2 }, 'embeddingDim'], [{ dropout: 1 }, 'dropout'], [{ cell: 'tcn' as never }, 'cell'],
      [{ nonlinearity: 'gelu' as never }, 'nonlinearity'],
    ];
    for (const [patch, field] of bad) {
      try {
        new RnnModel({ ...base, ...patch }, { dtype: Float64Array });
        expect.unreachable(`accepted ${JSON.stringify(patch)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(ModelConfigError);
        expect((e as ModelConfigError).field).toBe(field);
      }
    }
  });

  it('has as many parameters as the PyTorch module', () => {
    const c: ModelConfig = { ...base, cell: 'gru', embeddingDim: 8, numLayers: 3, hiddenSize: 10 };
    const G = 3 * 10;
    const expected = 11 * 8 + (G * 8 + G * 10 + 2 * G) + 2 * (G * 10 + G * 10 + 2 * G) + 11 * 10 + 11;
    expect(new RnnModel(c, { dtype: Float32Array }).parameterCount()).toBe(expected);
    expect(parameterShapes(c)[0]).toEqual(['embedding.weight', [11, 8]]);
  });

  it('initialises like PyTorch: recurrent and output weights in ±1/√H, embedding N(0, 1)', () => {
    const H = 25;
    const model = new RnnModel({ ...base, vocabSize: 200, embeddingDim: 50, hiddenSize: H }, { dtype: Float64Array, rng: new Rng(1) });
    for (const [name, t] of model.params) {
      const s = stats(t.data);
      if (name === 'embedding.weight') {
        expect(Math.abs(s.mean)).toBeLessThan(0.03);
        expect(s.std).toBeGreaterThan(0.97);
        expect(s.std).toBeLessThan(1.03);
      } else {
        expect(s.maxAbs, name).toBeLessThanOrEqual(1 / Math.sqrt(H));
        expect(s.maxAbs, name).toBeGreaterThan(0.8 / Math.sqrt(H));
      }
    }
  });

  it('initialises like d2l from scratch: weights N(0, 0.01²), biases zero', () => {
    const model = new RnnModel({ ...base, vocabSize: 60, hiddenSize: 40 }, { dtype: Float64Array, rng: new Rng(2), init: 'd2l' });
    for (const [name, t] of model.params) {
      const s = stats(t.data);
      if (name.includes('bias')) expect(s.maxAbs, name).toBe(0);
      else { expect(s.std, name).toBeGreaterThan(0.009); expect(s.std, name).toBeLessThan(0.011); }
    }
  });

  it('draws the same initial weights from the same seed and different ones from another', () => {
    const a = new RnnModel(base, { dtype: Float32Array, rng: new Rng(7) });
    const b = new RnnModel(base, { dtype: Float32Array, rng: new Rng(7) });
    const c = new RnnModel(base, { dtype: Float32Array, rng: new Rng(8) });
    expect(Array.from(a.param('rnn.weight_hh_l1'))).toEqual(Array.from(b.param('rnn.weight_hh_l1')));
    expect(Array.from(a.param('rnn.weight_hh_l1'))).not.toEqual(Array.from(c.param('rnn.weight_hh_l1')));
  });

  it('refuses to load a tensor of the wrong shape or an unknown name', () => {
    const m = new RnnModel(base, { dtype: Float32Array });
    expect(() => m.loadParameters(new Map([['output.bias', { shape: [10], data: new Float32Array(10) }]]), true)).toThrow(/shape/);
    expect(() => m.loadParameters(new Map([['rnn.weight', { shape: [1], data: [0] }]]), true)).toThrow(/unexpected/);
    expect(() => m.loadParameters(new Map([['output.bias', { shape: [11], data: new Float32Array(11) }]]))).toThrow(/missing/);
  });
});

describe('forward and backpropagation through time', () => {
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    it(`carries the final state into the next minibatch exactly like one longer sequence (${cell})`, () => {
      const model = new RnnModel({ ...base, cell }, { dtype: Float64Array, rng: new Rng(4) });
      const B = 3, V = base.vocabSize;
      const ids = randomIds(6 * B, V, 1);
      const whole = model.createWorkspace(6, B);
      const wholeFinal = model.createState(B);
      whole.forward(ids, { final: wholeFinal });
      const half = model.createWorkspace(3, B);
      const state = model.createState(B);
      half.forward(ids.subarray(0, 3 * B), { initial: state, final: state });
      expect(Array.from(half.logits)).toEqual(Array.from(whole.logits.subarray(0, 3 * B * V)));
      half.forward(ids.subarray(3 * B), { initial: state, final: state });
      for (let i = 0; i < 3 * B * V; i++) expect(half.logits[i]).toBeCloseTo(whole.logits[3 * B * V + i]!, 13);
      for (let i = 0; i < state.h.length; i++) expect(state.h[i]).toBeCloseTo(wholeFinal.h[i]!, 13);
    });
  }

  it('starts from zeros after a reset, the same as passing no initial state', () => {
    const model = new RnnModel(base, { dtype: Float64Array, rng: new Rng(4) });
    const ws = model.createWorkspace(4, 2);
    const ids = randomIds(8, base.vocabSize, 2), targets = randomIds(8, base.vocabSize, 3);
    const state = model.createState(2);
    ws.forward(ids, { initial: state, final: state });
    expect(state.h.some((v) => v !== 0)).toBe(true);
    resetState(state);
    const a = ws.forward(ids, { targets, initial: state });
    const b = ws.forward(ids, { targets });
    expect(a).toBe(b);
  });

  it('gives identical results when a workspace is reused, and runs fewer steps than allocated', () => {
    const model = new RnnModel({ ...base, cell: 'gru', embeddingDim: 4 }, { dtype: Float32Array, rng: new Rng(4) });
    const ids = randomIds(10, base.vocabSize, 5), targets = randomIds(10, base.vocabSize, 6);
    const big = model.createWorkspace(5, 2), small = model.createWorkspace(3, 2);
    model.zeroGrads();
    const l1 = small.forward(ids, { targets });
    small.backward();
    const g1 = Float32Array.from(model.grad('rnn.weight_hh_l0'));
    big.forward(randomIds(10, base.vocabSize, 9), { targets });
    model.zeroGrads();
    const l2 = big.forward(ids, { targets, numSteps: 3 });
    big.backward();
    expect(l2).toBe(l1);
    expect(Array.from(model.grad('rnn.weight_hh_l0'))).toEqual(Array.from(g1));
  });

  it('accumulates gradients across backward calls until they are zeroed', () => {
    const model = new RnnModel(base, { dtype: Float64Array, rng: new Rng(4) });
    const ws = model.createWorkspace(3, 2);
    const ids = randomIds(6, base.vocabSize, 5), targets = randomIds(6, base.vocabSize, 6);
    model.zeroGrads();
    ws.forward(ids, { targets });
    ws.backward();
    const once = Float64Array.from(model.grad('output.weight'));
    ws.forward(ids, { targets });
    ws.backward();
    model.grad('output.weight').forEach((g, i) => expect(g).toBeCloseTo(2 * once[i]!, 14));
  });

  it('refuses a second backward of one forward: its logits became their gradient (as PyTorch frees its graph)', () => {
    const model = new RnnModel(base, { dtype: Float64Array, rng: new Rng(4) });
    const ws = model.createWorkspace(3, 2);
    ws.forward(randomIds(6, base.vocabSize, 5), { targets: randomIds(6, base.vocabSize, 6) });
    ws.backward();
    expect(() => ws.backward()).toThrow(/new forward/);
  });

  it('lets the caller reuse its id and target arrays between forward and backward', () => {
    const model = new RnnModel({ ...base, embeddingDim: 3 }, { dtype: Float64Array, rng: new Rng(4) });
    const ws = model.createWorkspace(3, 2);
    const ids = randomIds(6, base.vocabSize, 5), targets = randomIds(6, base.vocabSize, 6);
    model.zeroGrads();
    ws.forward(ids, { targets });
    ws.backward();
    const clean = new Map([...model.grads].map(([n, t]) => [n, Float64Array.from(t.data)]));
    model.zeroGrads();
    ws.forward(ids, { targets });
    ids.fill(0);
    targets.fill(1);
    ws.backward();
    for (const [n, t] of model.grads) expect(Array.from(t.data), n).toEqual(Array.from(clean.get(n)!));
  });

  it('agrees between float32 and float64 to single precision', () => {
    const m64 = new RnnModel(base, { dtype: Float64Array, rng: new Rng(4) });
    const m32 = new RnnModel(base, { dtype: Float32Array });
    m32.loadParameters(m64.params);
    const ids = randomIds(12, base.vocabSize, 5), targets = randomIds(12, base.vocabSize, 6);
    const a = m64.createWorkspace(4, 3).forward(ids, { targets });
    const b = m32.createWorkspace(4, 3).forward(ids, { targets });
    expect(Math.abs(a - b)).toBeLessThan(1e-5);
  });

  it('rejects token ids outside the vocabulary and states of the wrong shape', () => {
    const model = new RnnModel(base, { dtype: Float64Array });
    const ws = model.createWorkspace(2, 2);
    expect(() => ws.forward(Int32Array.from([0, 1, 2, 11]))).toThrow(RangeError);
    expect(() => ws.forward(Int32Array.from([0, 1, 2, 3]), { initial: model.createState(3) })).toThrow(RangeError);
    expect(() => ws.forward(Int32Array.from([0, 1, 2, 3]), { targets: Int32Array.from([0, 1, 2, -1]) })).toThrow(RangeError);
    expect(() => ws.backward()).toThrow();
  });
});

describe('dropout between layers', () => {
  const config: ModelConfig = { ...base, hiddenSize: 16, numLayers: 3, dropout: 0.5 };
  const ids = randomIds(20, base.vocabSize, 5), targets = randomIds(20, base.vocabSize, 6);

  it('is off in evaluation: the model then equals one without dropout', () => {
    const withDrop = new RnnModel(config, { dtype: Float64Array, rng: new Rng(4) });
    const without = new RnnModel({ ...config, dropout: 0 }, { dtype: Float64Array });
    without.loadParameters(withDrop.params);
    expect(withDrop.createWorkspace(5, 4).forward(ids, { targets })).toBe(without.createWorkspace(5, 4).forward(ids, { targets }));
  });

  it('changes the output in training, reproducibly for the same rng state', () => {
    const model = new RnnModel(config, { dtype: Float64Array, rng: new Rng(4) });
    const ws = model.createWorkspace(5, 4);
    const evalLoss = ws.forward(ids, { targets });
    const a = ws.forward(ids, { targets, training: true, rng: new Rng(1) });
    const b = ws.forward(ids, { targets, training: true, rng: new Rng(1) });
    const c = ws.forward(ids, { targets, training: true, rng: new Rng(2) });
    expect(a).toBe(b);
    expect(a).not.toBe(evalLoss);
    expect(a).not.toBe(c);
    expect(() => ws.forward(ids, { targets, training: true })).toThrow(/rng/);
  });

  it('keeps each activation with probability 1 − p and scales it by 1/(1 − p)', () => {
    const c: ModelConfig = { cell: 'rnn', vocabSize: 3, embeddingDim: 0, hiddenSize: 200, numLayers: 2, nonlinearity: 'relu', dropout: 0.25 };
    const model = new RnnModel(c, { dtype: Float64Array });
    // layer 0 outputs h = relu(b_ih) = 1 everywhere; layer 1 sums its input into unit 0 only
    model.param('rnn.bias_ih_l0').fill(1);
    const w1 = model.param('rnn.weight_ih_l1');
    for (let j = 0; j < 200; j++) w1[j] = 1;
    const ws = model.createWorkspace(50, 1);
    ws.forward(new Int32Array(50), { training: true, rng: new Rng(3) });
    const h1 = ws.hidden(1);
    let sum = 0;
    for (let t = 1; t <= 50; t++) sum += h1[t * 200]!;
    // E[Σ_j mask_j · 1] = 200 per step; the spread of 10 000 Bernoulli draws keeps the mean within ~2%
    expect(sum / 50 / 200).toBeGreaterThan(0.95);
    expect(sum / 50 / 200).toBeLessThan(1.05);
    for (let t = 1; t <= 50; t++) expect(Math.abs(h1[t * 200]! / (1 / 0.75) - Math.round(h1[t * 200]! / (1 / 0.75)))).toBeLessThan(1e-9);
  });
});

describe('non-finite report', () => {
  const config: ModelConfig = { ...base, embeddingDim: 3 };

  it('reports nothing when every number is finite', () => {
    const model = new RnnModel(config, { dtype: Float32Array, rng: new Rng(4) });
    const ws = model.createWorkspace(4, 2);
    model.zeroGrads();
    ws.forward(randomIds(8, 11, 1), { targets: randomIds(8, 11, 2) });
    ws.backward();
    expect(findNonFinite(model, ws)).toBeNull();
  });

  it('names the loss, the first gradient in state_dict order and the first step whose state went non-finite', () => {
    const model = new RnnModel(config, { dtype: Float32Array, rng: new Rng(4) });
    const ws = model.createWorkspace(4, 2);
    const ids = Int32Array.from([1, 2, 1, 2, 5, 1, 2, 2]); // token 5 first appears at step 2
    model.param('embedding.weight')[5 * 3 + 1] = NaN;
    model.zeroGrads();
    ws.forward(ids, { targets: randomIds(8, 11, 2) });
    ws.backward();
    const report = findNonFinite(model, ws);
    expect(report).not.toBeNull();
    expect(report!.loss).toBe(true);
    expect(report!.gradient?.name).toBe('embedding.weight');
    expect(report!.hidden).toEqual({ step: 2, layer: 0 });
  });

  it('reports an overflowing state after a forward alone, without blaming the loss of a target-less forward', () => {
    const model = new RnnModel({ ...config, cell: 'rnn', nonlinearity: 'relu', numLayers: 1 }, { dtype: Float32Array, rng: new Rng(4) });
    model.param('rnn.weight_hh_l0').fill(1e30);
    model.param('rnn.bias_ih_l0').fill(1);
    const ws = model.createWorkspace(5, 1);
    ws.forward(Int32Array.from([0, 1, 2, 3, 4]));
    const report = findNonFinite(model, ws, false);
    expect(report?.loss).toBe(false);
    expect(report?.gradient).toBeNull();
    expect(report?.hidden?.layer).toBe(0);
    expect(report?.hidden?.step).toBeGreaterThan(0);
  });
});
