import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RnnModel, type ModelConfig } from '../../src/engine/model';
import type { FloatArray } from '../../src/engine/tensor';

// Numbers recorded from PyTorch 1.13 in float64 by fixtures/model/make_fixtures.py.
interface Case {
  name: string;
  config: ModelConfig;
  numSteps: number;
  batch: number;
  ids: number[];
  targets: number[];
  params: Record<string, { shape: number[]; data: number[] }>;
  h0: number[];
  c0: number[] | null;
  logits: number[];
  loss: number;
  grads: Record<string, number[]>;
  dh0: number[];
  dc0: number[] | null;
  hT: number[];
  cT: number[] | null;
}

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/model/reference.json', import.meta.url)), 'utf8')) as { cases: Case[] };

/** Largest violation of |a − b| ≤ tol · max(1, |b|), as a ratio (≤ 1 passes), with where it happened. */
function worst(actual: ArrayLike<number>, expected: readonly number[], tol: number): { ratio: number; at: number } {
  expect(actual.length).toBe(expected.length);
  let ratio = 0, at = -1;
  for (let i = 0; i < expected.length; i++) {
    const b = expected[i]!;
    const r = Math.abs(actual[i]! - b) / (tol * Math.max(1, Math.abs(b)));
    if (!(r <= ratio)) { ratio = r; at = i; }
  }
  return { ratio, at };
}

function expectClose(what: string, actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  const { ratio, at } = worst(actual, expected, tol);
  expect(ratio, `${what}[${at}] = ${actual[at]} vs PyTorch ${expected[at]}`).toBeLessThanOrEqual(1);
}

function run<A extends FloatArray>(c: Case, dtype: new (n: number) => A, tol: number): void {
  const model = new RnnModel(c.config, { dtype });
  model.loadParameters(new Map(Object.entries(c.params)));
  const ws = model.createWorkspace(c.numSteps, c.batch);
  const initial = model.createState(c.batch);
  initial.h.set(c.h0);
  if (c.c0) initial.c!.set(c.c0);
  const final = model.createState(c.batch);
  model.zeroGrads();
  const loss = ws.forward(Int32Array.from(c.ids), { targets: Int32Array.from(c.targets), initial, final });
  ws.backward();

  expectClose('loss', [loss], [c.loss], tol);
  expectClose('logits', ws.logits, c.logits, tol);
  expectClose('h_T', final.h, c.hT, tol);
  if (c.cT) expectClose('c_T', final.c!, c.cT, tol);
  expect([...model.grads.keys()]).toEqual(Object.keys(c.grads));
  for (const [name, g] of Object.entries(c.grads)) expectClose(`grad ${name}`, model.grad(name), g, tol);
  expectClose('dL/dh0', ws.dInitial.h, c.dh0, tol);
  if (c.dc0) expectClose('dL/dc0', ws.dInitial.c!, c.dc0, tol);
}

describe('language model against PyTorch', () => {
  it('names and orders parameters exactly like the PyTorch state_dict', () => {
    for (const c of fixture.cases) {
      const model = new RnnModel(c.config, { dtype: Float64Array });
      expect([...model.params.keys()], c.name).toEqual(Object.keys(c.params));
      for (const [name, t] of model.params) expect(t.shape, `${c.name} ${name}`).toEqual(c.params[name]!.shape);
    }
  });

  it('covers RNN tanh/relu, GRU and LSTM with 1 and 2 layers, one-hot and embedding inputs', () => {
    expect(fixture.cases.map((c) => c.name)).toHaveLength(16);
  });

  for (const c of fixture.cases) {
    it(`matches PyTorch ${c.name} logits, loss, final state and every gradient to 1e-9 in float64`, () => {
      run(c, Float64Array, 1e-9);
    });
    it(`matches PyTorch ${c.name} to 1e-4 in float32`, () => {
      run(c, Float32Array, 1e-4);
    });
  }
});
