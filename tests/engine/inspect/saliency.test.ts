import { describe, expect, it } from 'vitest';
import { saliencyOf } from '../../../src/engine/inspect';
import { logSumExp } from '../../../src/engine/loss';
import { RnnModel, type ModelConfig } from '../../../src/engine/model';
import { CELLS, model, tokens } from './helpers';

/**
 * log p(target) when input row s is scaled by (1 + eps): its derivative at 0 is grad · x_s, the
 * gradient × input saliency. A one-hot model is rebuilt with an identity embedding so its inputs
 * can be scaled as float rows (the same function of the same numbers).
 */
function logpScaled(m: RnnModel<Float64Array>, ids: Int32Array, target: number, s: number, eps: number): number {
  const { vocabSize: V, embeddingDim: E } = m.config;
  let rowsOf = m;
  let width = E;
  if (E === 0) {
    const config: ModelConfig = { ...m.config, embeddingDim: V };
    rowsOf = new RnnModel(config, { dtype: Float64Array });
    rowsOf.loadParameters(m.params, true);
    const emb = rowsOf.param('embedding.weight');
    for (let j = 0; j < V; j++) emb[j * V + j] = 1;
    width = V;
  }
  const emb = rowsOf.param('embedding.weight');
  const rows = new Float64Array(ids.length * width);
  for (let t = 0; t < ids.length; t++) for (let e = 0; e < width; e++) rows[t * width + e] = emb[ids[t]! * width + e]! * (t === s ? 1 + eps : 1);
  const ws = rowsOf.createWorkspace(ids.length, 1);
  ws.forwardInputs(rows);
  const o = (ids.length - 1) * V;
  return ws.logits[o + target]! - logSumExp(ws.logits, o, V);
}

describe('saliencyOf', () => {
  const ids = tokens(9, 11, 4);

  for (const cell of CELLS) {
    for (const embeddingDim of [0, 5]) {
      it(`equals the finite-difference derivative of log p(y) along each input (${cell}, ${embeddingDim ? 'embedding' : 'one-hot'})`, () => {
        const m = model(Float64Array, cell, { embeddingDim });
        const target = 3;
        const { saliency, probability } = saliencyOf(m, ids, target);
        expect(saliency).toHaveLength(ids.length);
        expect(Math.log(probability)).toBeCloseTo(logpScaled(m, ids, target, 0, 0), 10);
        const eps = 1e-6;
        for (let s = 0; s < ids.length; s++) {
          const fd = (logpScaled(m, ids, target, s, eps) - logpScaled(m, ids, target, s, -eps)) / (2 * eps);
          expect(Math.abs(saliency[s]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
        }
        expect(saliency.some((v) => Math.abs(v) > 1e-3)).toBe(true);
      });
    }
  }

  it('starts from the state it is given, and leaves the gradients zeroed', () => {
    const m = model(Float64Array, 'lstm');
    const state = m.createState(1);
    m.createWorkspace(4, 1).forward(tokens(4, 11, 9), { final: state });
    const from = saliencyOf(m, ids, 2, state), zero = saliencyOf(m, ids, 2);
    expect(from.probability).not.toBeCloseTo(zero.probability, 6);
    for (const g of m.grads.values()) expect(g.data.every((x) => x === 0)).toBe(true);
  });

  it('refuses a target outside the vocabulary', () => {
    expect(() => saliencyOf(model(Float64Array, 'gru'), ids, 11)).toThrow(/outside the vocabulary/);
  });
});
