import { describe, expect, it } from 'vitest';
import { RnnModel, type ModelConfig } from '../../src/engine/model';
import { Rng } from '../../src/engine/rng';

/*
 * Central finite differences in float64 on the mean cross-entropy of a whole sequence:
 * every parameter tensor (several entries each) and the initial state, through all steps and layers.
 */
const T = 4, B = 2, V = 6, E = 3, H = 4;
const EPS = 1e-6;
const close = (analytic: number, numeric: number) => Math.abs(analytic - numeric) <= 1e-8 + 1e-6 * Math.abs(numeric);

function check(config: ModelConfig, dropoutSeed?: number): void {
  const data = new Rng(99);
  const model = new RnnModel(config, { dtype: Float64Array, rng: new Rng(3) });
  // widen the weights a little so gates are away from their linear regime
  for (const t of model.params.values()) for (let i = 0; i < t.data.length; i++) t.data[i]! *= 1.5;
  const ids = Int32Array.from({ length: T * B }, () => data.nextInt(V));
  const targets = Int32Array.from({ length: T * B }, () => data.nextInt(V));
  const initial = model.createState(B);
  for (let i = 0; i < initial.h.length; i++) initial.h[i] = data.uniform(-0.5, 0.5);
  if (initial.c) for (let i = 0; i < initial.c.length; i++) initial.c[i] = data.uniform(-0.5, 0.5);
  const ws = model.createWorkspace(T, B);
  const training = dropoutSeed !== undefined;
  // the same seed each time draws the same dropout masks, so the loss is a fixed function
  const loss = () => ws.forward(ids, { targets, initial, training, rng: training ? new Rng(dropoutSeed) : undefined });

  model.zeroGrads();
  loss();
  ws.backward();
  const dh0 = Float64Array.from(ws.dInitial.h);
  const dc0 = ws.dInitial.c ? Float64Array.from(ws.dInitial.c) : null;

  const probe = (name: string, x: Float64Array, g: ArrayLike<number>, count: number) => {
    const pick = new Rng(name.length * 7919 + x.length);
    const indices = new Set<number>([0, x.length - 1]);
    while (indices.size < Math.min(count, x.length)) indices.add(pick.nextInt(x.length));
    for (const i of indices) {
      const keep = x[i]!;
      x[i] = keep + EPS; const up = loss();
      x[i] = keep - EPS; const down = loss();
      x[i] = keep;
      const numeric = (up - down) / (2 * EPS);
      expect(close(g[i]!, numeric), `${name}[${i}]: analytic ${g[i]} vs numeric ${numeric}`).toBe(true);
    }
  };
  for (const [name, t] of model.params) probe(name, t.data, model.grad(name), 8);
  probe('h0', initial.h, dh0, 8);
  if (initial.c && dc0) probe('c0', initial.c, dc0, 8);
}

const cells: Array<[string, Pick<ModelConfig, 'cell' | 'nonlinearity'>]> = [
  ['RNN tanh', { cell: 'rnn', nonlinearity: 'tanh' }],
  ['RNN relu', { cell: 'rnn', nonlinearity: 'relu' }],
  ['GRU', { cell: 'gru', nonlinearity: 'tanh' }],
  ['LSTM', { cell: 'lstm', nonlinearity: 'tanh' }],
];

describe('gradients equal central finite differences in float64', () => {
  for (const [label, cell] of cells) {
    for (const numLayers of [1, 2]) {
      for (const embeddingDim of [0, E]) {
        const input = embeddingDim ? 'embedding' : 'one-hot';
        it(`${label}, ${numLayers} layer(s), ${input} input: every parameter and the initial state`, () => {
          check({ ...cell, vocabSize: V, embeddingDim, hiddenSize: H, numLayers, dropout: 0 });
        });
      }
    }
    it(`${label}, 3 layers with dropout between layers (fixed masks): every parameter`, () => {
      check({ ...cell, vocabSize: V, embeddingDim: E, hiddenSize: H, numLayers: 3, dropout: 0.3 }, 17);
    });
  }
});
