/** Small models and vocabularies for the export tests. */
import { RnnModel, type ModelConfig } from '../../src/engine/model';
import { Rng } from '../../src/engine/rng';
import { exportableFromModel, type ExportableModel } from '../../src/engine/export';

export const LETTERS = ['<unk>', ' ', ...'etaoinshrdlcumwfgypbvkjxqz'];

export interface Variant {
  cell: ModelConfig['cell'];
  numLayers: number;
  embeddingDim: number;
}

/** RNN, GRU and LSTM × 1 and 2 layers × one-hot and embedding. */
export const VARIANTS: Variant[] = (['rnn', 'gru', 'lstm'] as const).flatMap((cell) =>
  [1, 2].flatMap((numLayers) => [0, 6].map((embeddingDim) => ({ cell, numLayers, embeddingDim }))),
);

export const label = (v: Variant) => `${v.cell} ×${v.numLayers} ${v.embeddingDim > 0 ? `embedding ${v.embeddingDim}` : 'one-hot'}`;

export function smallModel(v: Variant, seed = 7, hiddenSize = 10): RnnModel<Float32Array> {
  const config: ModelConfig = { cell: v.cell, vocabSize: LETTERS.length, embeddingDim: v.embeddingDim, hiddenSize, numLayers: v.numLayers, nonlinearity: 'tanh', dropout: v.numLayers > 1 ? 0.2 : 0 };
  // weights larger than PyTorch's default init so the gates leave their linear range
  const model = new RnnModel(config, { dtype: Float32Array, rng: new Rng(seed) });
  for (const t of model.params.values()) for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! * 3;
  return model;
}

export function smallExport(v: Variant, seed = 7): ExportableModel {
  return exportableFromModel(smallModel(v, seed), { tokens: LETTERS, tokenizer: 'char', cleaning: 'letters' });
}

/** Logits (T, V) of one sequence from a zero state, computed by the engine. */
export function engineLogits(model: RnnModel<Float32Array>, ids: number[]): Float32Array {
  const ws = model.createWorkspace(ids.length, 1);
  ws.forward(Int32Array.from(ids));
  return ws.logits.slice(0, ids.length * model.config.vocabSize);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
