/** Small float64 and float32 models for the inspector's engine tests. */
import { RnnModel, type ModelConfig } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/rng';
import type { FloatArray } from '../../../src/engine/tensor';

export const CELLS = ['rnn', 'gru', 'lstm'] as const;

export function model<A extends FloatArray>(dtype: new (n: number) => A, cell: ModelConfig['cell'], options: Partial<ModelConfig> = {}, seed = 5): RnnModel<A> {
  const config: ModelConfig = { cell, vocabSize: 11, embeddingDim: 0, hiddenSize: 7, numLayers: 2, nonlinearity: 'tanh', dropout: 0, ...options };
  const m = new RnnModel(config, { dtype, rng: new Rng(seed) });
  // larger than PyTorch's init, so gates leave their linear range and saturate sometimes
  for (const t of m.params.values()) for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! * 3;
  return m;
}

export function tokens(n: number, V: number, seed = 1): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n }, () => Math.floor(rng.nextFloat() * V));
}
