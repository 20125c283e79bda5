import { describe, expect, it } from 'vitest';
import { RnnModel } from '../../src/engine/model';
import { expectMatchesPyTorch, referenceCases } from './pytorch-reference';


describe('language model against PyTorch', () => {
  it('names and orders parameters exactly like the PyTorch state_dict', () => {
    for (const c of referenceCases) {
      const model = new RnnModel(c.config, { dtype: Float64Array });
      expect([...model.params.keys()], c.name).toEqual(Object.keys(c.params));
      for (const [name, t] of model.params) expect(t.shape, `${c.name} ${name}`).toEqual(c.params[name]!.shape);
    }
  });

  it('covers RNN tanh/relu, GRU and LSTM with 1 and 2 layers, one-hot and embedding inputs', () => {
    expect(referenceCases.map((c) => c.name)).toHaveLength(16);
  });

  for (const c of referenceCases) {
    it(`matches PyTorch ${c.name} logits, loss, final state and every gradient to 1e-9 in float64`, () => {
      expectMatchesPyTorch(new RnnModel(c.config, { dtype: Float64Array }), c, 1e-9);
    });
    it(`matches PyTorch ${c.name} to 1e-4 in float32`, () => {
      expectMatchesPyTorch(new RnnModel(c.config, { dtype: Float32Array }), c, 1e-4);
    });
  }
});
