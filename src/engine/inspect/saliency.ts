/**
 * Saliency of earlier tokens for one prediction (gradient × input; Karpathy et al. 2015, LSTMVis):
 * after reading tokens 0…t the model predicts token y; each input token s ≤ t gets
 * ∂ log p(y) / ∂x_s · x_s. For one-hot input that is the gradient of the active component,
 * Σ_g ∂/∂pre_g · W_ih[g, id_s]; for an embedding, Σ_e ∂/∂emb_e · emb_e.
 */
import { gateCount } from '../cells/cell-weights';
import { logSumExp } from '../loss';
import type { RnnModel } from '../model/rnn-model';
import type { RecurrentState } from '../model/state';
import type { FloatArray } from '../tensor';

export interface SaliencyOutput {
  /** One value per token of `ids`. */
  saliency: Float64Array;
  /** p(target | ids). */
  probability: number;
}

/** Steps of the workspace a window of `steps` uses: rounded up, so a few sizes serve every request. */
export function saliencyWorkspaceSteps(steps: number, quantum = 256): number {
  return Math.ceil(steps / quantum) * quantum;
}

/**
 * `ids` are the tokens the prediction reads (the last one is step t); `initial` the state before
 * them (null: zeros). Backpropagates through every token of `ids`.
 */
export function saliencyOf<A extends FloatArray>(model: RnnModel<A>, ids: Int32Array, target: number, initial: RecurrentState<A> | null = null): SaliencyOutput {
  const { vocabSize: V, embeddingDim: E } = model.config;
  const T = ids.length;
  if (T < 1) throw new RangeError('saliency needs at least one token');
  if (!(Number.isInteger(target) && target >= 0 && target < V)) throw new RangeError(`target ${target} is outside the vocabulary (size ${V})`);
  const ws = model.scratchWorkspace(saliencyWorkspaceSteps(T), 1);
  ws.forward(ids, { initial, numSteps: T });
  // ∂ log softmax(z)_y / ∂z = onehot(y) − softmax(z), at the last step only
  const dLogits = new Float64Array(T * V);
  const o = (T - 1) * V;
  const lse = logSumExp(ws.logits, o, V);
  for (let j = 0; j < V; j++) dLogits[o + j] = -Math.exp(ws.logits[o + j]! - lse);
  dLogits[o + target]! += 1;
  const probability = Math.exp(ws.logits[o + target]! - lse);
  model.zeroGrads();
  ws.backwardFromOutputs(dLogits);
  const saliency = new Float64Array(T);
  if (E > 0) {
    const dx = ws.dInputs!, emb = model.param('embedding.weight');
    for (let s = 0; s < T; s++) {
      let sum = 0;
      for (let e = 0, row = ids[s]! * E; e < E; e++) sum += dx[s * E + e]! * emb[row + e]!;
      saliency[s] = sum;
    }
  } else {
    // layer 0 reads W_ih (G·H, V) at column id_s
    const G = gateCount(model.config.cell) * model.config.hiddenSize;
    const dPre = ws.gateGrads(0), wIh = model.param('rnn.weight_ih_l0');
    for (let s = 0; s < T; s++) {
      let sum = 0;
      for (let g = 0, id = ids[s]!; g < G; g++) sum += dPre[s * G + g]! * wIh[g * V + id]!;
      saliency[s] = sum;
    }
  }
  model.zeroGrads();
  return { saliency, probability };
}
