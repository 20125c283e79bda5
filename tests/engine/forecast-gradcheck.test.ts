import { describe, expect, it } from 'vitest';
import { ForecastModel, type ForecastConfig } from '../../src/engine/forecast';
import { Rng } from '../../src/engine/rng';

/*
 * Central finite differences in float64 on the forecaster's loss (MSE, MAE, Huber; horizon 1 and 3): every parameter tensor
 * (several entries each), the input window and the initial state, through all steps and layers.
 */
const T = 5, B = 3, F = 2, O = 2, H = 4;
const EPS = 1e-6;
const close = (analytic: number, numeric: number) => Math.abs(analytic - numeric) <= 1e-8 + 1e-6 * Math.abs(numeric);

function check(config: ForecastConfig, dropoutSeed?: number): void {
  const data = new Rng(42);
  const model = new ForecastModel(config, { dtype: Float64Array, rng: new Rng(5) });
  for (const t of model.params.values()) for (let i = 0; i < t.data.length; i++) t.data[i]! *= 1.5;
  const x = Float64Array.from({ length: T * B * F }, () => data.normal());
  const targets = Float64Array.from({ length: B * O * (config.horizon ?? 1) }, () => data.normal());
  const initial = model.createState(B);
  for (let i = 0; i < initial.h.length; i++) initial.h[i] = data.uniform(-0.5, 0.5);
  if (initial.c) for (let i = 0; i < initial.c.length; i++) initial.c[i] = data.uniform(-0.5, 0.5);
  const ws = model.createWorkspace(T, B);
  const training = dropoutSeed !== undefined;
  const loss = () => ws.forward(x, { targets, initial, training, rng: training ? new Rng(dropoutSeed) : undefined });

  model.zeroGrads();
  loss();
  ws.backward();
  const dx = Float64Array.from(ws.dInputs);
  const dh0 = Float64Array.from(ws.dInitial.h);
  const dc0 = ws.dInitial.c ? Float64Array.from(ws.dInitial.c) : null;

  const probe = (name: string, v: Float64Array, g: ArrayLike<number>, count: number) => {
    const pick = new Rng(name.length * 7919 + v.length);
    const indices = new Set<number>([0, v.length - 1]);
    while (indices.size < Math.min(count, v.length)) indices.add(pick.nextInt(v.length));
    for (const i of indices) {
      const keep = v[i]!;
      v[i] = keep + EPS; const up = loss();
      v[i] = keep - EPS; const down = loss();
      v[i] = keep;
      const numeric = (up - down) / (2 * EPS);
      expect(close(g[i]!, numeric), `${name}[${i}]: analytic ${g[i]} vs numeric ${numeric}`).toBe(true);
    }
  };
  for (const [name, t] of model.params) probe(name, t.data, model.grad(name), 8);
  probe('x', x, dx, 10);
  probe('h0', initial.h, dh0, 8);
  if (initial.c && dc0) probe('c0', initial.c, dc0, 8);
}

const cells: Array<[string, Pick<ForecastConfig, 'cell' | 'nonlinearity'>]> = [
  ['RNN tanh', { cell: 'rnn', nonlinearity: 'tanh' }],
  ['RNN relu', { cell: 'rnn', nonlinearity: 'relu' }],
  ['GRU', { cell: 'gru', nonlinearity: 'tanh' }],
  ['LSTM', { cell: 'lstm', nonlinearity: 'tanh' }],
];

describe('forecaster gradients equal central finite differences in float64', () => {
  for (const [label, cell] of cells) {
    for (const numLayers of [1, 2]) {
      it(`${label}, ${numLayers} layer(s): every parameter, the input window and the initial state`, () => {
        check({ ...cell, inputSize: F, outputSize: O, hiddenSize: H, numLayers, dropout: 0 });
      });
    }
    it(`${label}, 3 layers with dropout between layers (fixed masks)`, () => {
      check({ ...cell, inputSize: F, outputSize: O, hiddenSize: H, numLayers: 3, dropout: 0.3 }, 11);
    });
  }

  for (const loss of ['mse', 'mae', 'huber'] as const) {
    for (const [label, cell] of cells.slice(2)) {
      it(`${label}, 2 layers, horizon 3, ${loss} loss: every parameter, the input window and the initial state`, () => {
        check({ ...cell, inputSize: F, outputSize: O, horizon: 3, loss, hiddenSize: H, numLayers: 2, dropout: 0 });
      });
    }
  }

  it('gives no gradient to parameters outside rnn.* and head.* (the inner embedding table is never used)', () => {
    const model = new ForecastModel({ cell: 'gru', inputSize: F, outputSize: O, hiddenSize: H, numLayers: 1, nonlinearity: 'tanh', dropout: 0 }, { dtype: Float64Array, rng: new Rng(1) });
    expect([...model.params.keys()].every((n) => n.startsWith('rnn.') || n.startsWith('head.'))).toBe(true);
    const ws = model.createWorkspace(T, B);
    model.inner.zeroGrads();
    ws.forward(new Float64Array(T * B * F).fill(0.3), { targets: new Float64Array(B * O).fill(1) });
    ws.backward();
    expect(model.inner.grad('embedding.weight').every((g) => g === 0)).toBe(true);
    expect(model.grad('head.bias').some((g) => g !== 0)).toBe(true);
  });
});
