import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ForecastConfigError, ForecastModel, type ForecastConfig } from '../../src/engine/forecast';
import {
  huberBackward, huberForward, maeBackward, maeForward, mseForward, regressionLossBackward, regressionLossForward, type RegressionLoss,
} from '../../src/engine/loss';
import { Rng } from '../../src/engine/rng';
import type { FloatArray } from '../../src/engine/tensor';
import { expectClose } from './pytorch-reference';

/* Golden numbers from tests/fixtures/forecast/make_forecast_loss_fixture.py (PyTorch, float64). */
interface LossCase { loss_kind: RegressionLoss; pred: number[]; target: number[]; loss: number; grad: number[] }
interface ModelCase {
  name: string;
  loss_kind: RegressionLoss;
  config: ForecastConfig;
  window: number;
  batch: number;
  x: number[];
  targets: number[];
  params: Record<string, { shape: number[]; data: number[] }>;
  predictions: number[];
  loss: number;
  grads: Record<string, number[]>;
  dx: number[];
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/forecast/forecast-loss-reference.json', import.meta.url)), 'utf8')) as {
  losses: LossCase[];
  models: ModelCase[];
};

describe('regression losses against PyTorch (MSELoss, L1Loss, HuberLoss δ = 1, mean)', () => {
  for (const c of fixture.losses) {
    it(`${c.loss_kind}: value and gradient within 1e-12, including d = 0 and both sides of δ`, () => {
      const n = c.pred.length;
      expectClose('loss', [regressionLossForward(c.loss_kind, c.pred, c.target, n)], [c.loss], 1e-12);
      const d = new Float64Array(n);
      regressionLossBackward(c.loss_kind, d, c.pred, c.target, n);
      expectClose('grad', d, c.grad, 1e-12);
    });
  }

  it('MAE gives d = 0 a zero gradient and Huber is quadratic inside δ and linear outside', () => {
    expect(maeForward([1, 2], [1, 5], 2)).toBe(1.5);
    const g = new Float64Array(2);
    maeBackward(g, [1, 2], [1, 5], 2);
    expect([...g]).toEqual([0, -0.5]);
    expect(huberForward([0.5], [0], 1)).toBeCloseTo(0.125, 15);
    expect(huberForward([3], [0], 1)).toBeCloseTo(2.5, 15);
    expect(huberForward([3], [0], 1, 2)).toBeCloseTo(4, 15); // δ(|d| − δ/2) with δ = 2
    const h = new Float64Array(2);
    huberBackward(h, [0.5, -3], [0, 0], 2);
    expect([...h]).toEqual([0.25, -0.5]);
  });

  it('gradients equal central finite differences of the loss value', () => {
    const rng = new Rng(3);
    const pred = Float64Array.from({ length: 17 }, () => rng.normal(0, 2));
    const target = Float64Array.from({ length: 17 }, () => rng.normal(0, 2));
    for (const kind of ['mse', 'mae', 'huber'] as const) {
      const g = new Float64Array(17);
      regressionLossBackward(kind, g, pred, target, 17);
      for (let i = 0; i < 17; i++) {
        const keep = pred[i]!;
        pred[i] = keep + 1e-6; const up = regressionLossForward(kind, pred, target, 17);
        pred[i] = keep - 1e-6; const down = regressionLossForward(kind, pred, target, 17);
        pred[i] = keep;
        expect(g[i]).toBeCloseTo((up - down) / 2e-6, 7);
      }
    }
  });
});

function expectModelMatches<A extends FloatArray>(model: ForecastModel<A>, c: ModelCase, tol: number, viaOption: boolean): void {
  model.loadParameters(new Map(Object.entries(c.params)));
  const ws = model.createWorkspace(c.window, c.batch);
  model.zeroGrads();
  const loss = ws.forward(c.x, viaOption ? { targets: c.targets, loss: c.loss_kind } : { targets: c.targets });
  ws.backward();
  expectClose('loss', [loss], [c.loss], tol);
  expectClose('predictions', ws.predictions, c.predictions, tol);
  for (const [name, g] of Object.entries(c.grads)) expectClose(`grad ${name}`, model.grad(name), g, tol);
  expectClose('dL/dx', ws.dInputs, c.dx, tol);
}

describe('forecasters with horizon > 1 trained on each loss, against PyTorch', () => {
  it('covers GRU ×2, LSTM, RNN with every loss and a head of outputs × horizon', () => {
    expect(fixture.models.map((c) => c.name)).toEqual(['gru', 'lstm', 'rnn'].flatMap((cell, i) => ['mse', 'mae', 'huber'].map((l) => `${cell}-${i === 0 ? 2 : 1}layer-${l}`)));
    for (const c of fixture.models) {
      const model = new ForecastModel(c.config, { dtype: Float64Array });
      expect(model.params.get('head.weight')!.shape).toEqual([c.config.outputSize * c.config.horizon!, c.config.hiddenSize]);
      for (const [name, t] of model.params) expect(t.shape, `${c.name} ${name}`).toEqual(c.params[name]!.shape);
    }
  });

  for (const c of fixture.models) {
    it(`${c.name}: loss chosen in the config — predictions, loss, gradients and dL/dx within 1e-9 (float64)`, () => {
      expectModelMatches(new ForecastModel({ ...c.config, loss: c.loss_kind }, { dtype: Float64Array }), c, 1e-9, false);
    });
    it(`${c.name}: loss chosen per forward on an MSE model — the same within 1e-5 (float32)`, () => {
      expectModelMatches(new ForecastModel({ ...c.config, loss: 'mse' }, { dtype: Float32Array }), c, 1e-5, true);
    });
  }

  it('defaults to MSE and refuses an unknown loss or horizon, naming the field', () => {
    const c = fixture.models[0]!;
    const model = new ForecastModel(c.config, { dtype: Float64Array });
    model.loadParameters(new Map(Object.entries(c.params)));
    expect(model.config.loss).toBe('mse');
    const ws = model.createWorkspace(c.window, c.batch);
    expect(ws.forward(c.x, { targets: c.targets })).toBeCloseTo(mseForward(ws.predictions, c.targets, c.targets.length), 14);
    for (const [patch, field] of [[{ loss: 'l2' }, 'loss'], [{ horizon: 0 }, 'horizon'], [{ horizon: 1.5 }, 'horizon']] as const) {
      let error: unknown;
      try { new ForecastModel({ ...c.config, ...patch } as ForecastConfig, { dtype: Float64Array }); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(ForecastConfigError);
      expect((error as ForecastConfigError).field).toBe(field);
    }
    expect(() => ws.forward(c.x, { targets: c.targets.slice(0, 5) })).toThrow(/expected 18 target values \(3 × 6\)/);
  });
});
