import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ForecastModel, type ForecastConfig } from '../../src/engine/forecast';
import type { FloatArray } from '../../src/engine/tensor';
import { expectClose } from './pytorch-reference';

/* Golden cases recorded by tests/fixtures/forecast/make_forecast_fixture.py (PyTorch 1.13, float64). */
interface ForecastCase {
  name: string;
  config: ForecastConfig;
  window: number;
  batch: number;
  x: number[];
  targets: number[];
  params: Record<string, { shape: number[]; data: number[] }>;
  h0: number[];
  c0: number[] | null;
  outputs: number[];
  predictions: number[];
  loss: number;
  grads: Record<string, number[]>;
  dx: number[];
  dh0: number[];
  dc0: number[] | null;
  hT: number[];
  cT: number[] | null;
}

const cases = (JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/forecast/forecast-reference.json', import.meta.url)), 'utf8')) as { cases: ForecastCase[] }).cases;

function expectMatches<A extends FloatArray>(model: ForecastModel<A>, c: ForecastCase, tol: number): void {
  model.loadParameters(new Map(Object.entries(c.params)));
  const ws = model.createWorkspace(c.window, c.batch);
  const initial = model.createState(c.batch);
  initial.h.set(c.h0);
  if (c.c0) initial.c!.set(c.c0);
  const final = model.createState(c.batch);
  model.zeroGrads();
  const loss = ws.forward(c.x, { targets: c.targets, initial, final });
  ws.backward();
  expectClose('loss', [loss], [c.loss], tol);
  expectClose('outputs', ws.outputs, c.outputs, tol);
  expectClose('predictions', ws.predictions, c.predictions, tol);
  expectClose('h_T', final.h, c.hT, tol);
  if (c.cT) expectClose('c_T', final.c!, c.cT, tol);
  expect([...model.grads.keys()]).toEqual(Object.keys(c.grads));
  for (const [name, g] of Object.entries(c.grads)) expectClose(`grad ${name}`, model.grad(name), g, tol);
  expectClose('dL/dx', ws.dInputs, c.dx, tol);
  expectClose('dL/dh0', ws.dInitial.h, c.dh0, tol);
  if (c.dc0) expectClose('dL/dc0', ws.dInitial.c!, c.dc0, tol);
}

describe('forecaster against PyTorch (nn.RNN/GRU/LSTM + nn.Linear head, MSE on the last step)', () => {
  it('covers RNN tanh/relu, GRU and LSTM with 1 and 2 layers', () => {
    expect(cases.map((c) => c.name)).toEqual([
      'rnn-tanh-1layer', 'rnn-tanh-2layer', 'rnn-relu-1layer', 'rnn-relu-2layer', 'gru-1layer', 'gru-2layer', 'lstm-1layer', 'lstm-2layer',
    ]);
  });

  it('names, shapes and orders parameters exactly like the PyTorch state_dict (children rnn, head)', () => {
    for (const c of cases) {
      const model = new ForecastModel(c.config, { dtype: Float64Array });
      expect([...model.params.keys()], c.name).toEqual(Object.keys(c.params));
      for (const [name, t] of model.params) expect(t.shape, `${c.name} ${name}`).toEqual(c.params[name]!.shape);
    }
  });

  for (const c of cases) {
    it(`${c.name}: outputs, loss, final state, every gradient, dL/dx and dL/dh0 within 1e-9 in float64`, () => {
      expectMatches(new ForecastModel(c.config, { dtype: Float64Array }), c, 1e-9);
    });
    it(`${c.name}: the same within 1e-5 in float32`, () => {
      expectMatches(new ForecastModel(c.config, { dtype: Float32Array }), c, 1e-5);
    });
  }
});
