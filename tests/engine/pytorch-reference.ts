/**
 * The PyTorch reference cases (fixtures/model/reference.json, recorded in float64 by
 * fixtures/model/make_fixtures.py) and the check every kernel backend must pass against them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ModelConfig, RnnModel } from '../../src/engine/model';
import type { FloatArray } from '../../src/engine/tensor';

export interface ReferenceCase {
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

export const referenceCases = (
  JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/model/reference.json', import.meta.url)), 'utf8')) as { cases: ReferenceCase[] }
).cases;

/** Asserts |a − b| ≤ tol · max(1, |b|) everywhere, naming the worst entry when it fails. */
export function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length, what).toBe(expected.length);
  let ratio = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const b = expected[i]!;
    const r = Math.abs(actual[i]! - b) / (tol * Math.max(1, Math.abs(b)));
    if (!(r <= ratio)) {
      ratio = r;
      at = i;
    }
  }
  expect(ratio, `${what}[${at}] = ${actual[at]} vs PyTorch ${expected[at]}`).toBeLessThanOrEqual(1);
}

/** Loads the case into `model`, runs forward and backward, and compares everything PyTorch recorded. */
export function expectMatchesPyTorch<A extends FloatArray>(model: RnnModel<A>, c: ReferenceCase, tol: number): void {
  model.loadParameters(new Map(Object.entries(c.params)));
  const ws = model.createWorkspace(c.numSteps, c.batch);
  const initial = model.createState(c.batch);
  initial.h.set(c.h0);
  if (c.c0) initial.c!.set(c.c0);
  const final = model.createState(c.batch);
  model.zeroGrads();
  const loss = ws.forward(Int32Array.from(c.ids), { targets: Int32Array.from(c.targets), initial, final });
  const logits = ws.logits.slice(); // backward turns them into ∂L/∂logits
  ws.backward();

  expectClose('loss', [loss], [c.loss], tol);
  expectClose('logits', logits, c.logits, tol);
  expectClose('h_T', final.h, c.hT, tol);
  if (c.cT) expectClose('c_T', final.c!, c.cT, tol);
  expect([...model.grads.keys()]).toEqual(Object.keys(c.grads));
  for (const [name, g] of Object.entries(c.grads)) expectClose(`grad ${name}`, model.grad(name), g, tol);
  expectClose('dL/dh0', ws.dInitial.h, c.dh0, tol);
  if (c.dc0) expectClose('dL/dc0', ws.dInitial.c!, c.dc0, tol);
}
