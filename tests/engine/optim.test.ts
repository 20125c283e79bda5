import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, globalGradNorm, type ClipMode } from '../../src/engine/optim/clip';
import { createOptimizer, type OptimizerConfig } from '../../src/engine/optim/create';
import { lrAt, validateLrSchedule, type LrScheduleConfig } from '../../src/engine/optim/lr-schedule';
import type { FloatArray, FloatCtor, NamedTensors } from '../../src/engine/tensor';

interface RefCase {
  name: string;
  optimizer: OptimizerConfig;
  clip: { maxNorm: number; mode: ClipMode } | null;
  steps: number;
  paramsAfter: Record<string, number[]>;
  preClipNorms: number[];
  state: Record<string, number[]>;
}
interface Ref {
  torch: string;
  params: Record<string, { shape: number[]; data: number[] }>;
  grads: Record<string, number[]>[];
  cases: RefCase[];
}

const ref = JSON.parse(readFileSync(new URL('./fixtures/optim/optim_reference.json', import.meta.url), 'utf8')) as Ref;

function setup<A extends FloatArray>(Ctor: FloatCtor) {
  const params: NamedTensors<A> = new Map();
  const grads: NamedTensors<A> = new Map();
  for (const [name, { shape, data }] of Object.entries(ref.params)) {
    params.set(name, { shape: [...shape], data: Ctor.from(data) as A });
    grads.set(name, { shape: [...shape], data: new Ctor(data.length) as A });
  }
  const loadGrads = (step: number) => {
    for (const [name, g] of Object.entries(ref.grads[step]!)) grads.get(name)!.data.set(g);
  };
  return { params, grads, loadGrads };
}

function expectRelClose(actual: ArrayLike<number>, expected: readonly number[], rel: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    if (err > rel * Math.abs(expected[i]!)) throw new Error(`${what}[${i}]: ${actual[i]} vs ${expected[i]} (relative error ${err / Math.abs(expected[i]!)})`);
  }
}

function run<A extends FloatArray>(c: RefCase, Ctor: FloatCtor, steps = c.steps) {
  const { params, grads, loadGrads } = setup<A>(Ctor);
  const opt = createOptimizer(params, grads, c.optimizer);
  const norms: number[] = [];
  for (let s = 0; s < steps; s++) {
    loadGrads(s);
    if (c.clip) norms.push(clipGradNorm(grads, c.clip.maxNorm, c.clip.mode));
    opt.step();
  }
  return { params, grads, opt, norms, loadGrads };
}

describe(`optimizers against PyTorch ${ref.torch} (float64, 3 steps)`, () => {
  for (const c of ref.cases) {
    it(`${c.name}: parameters agree within 1e-12 relative`, () => {
      const { params, norms } = run(c, Float64Array);
      for (const [name, expected] of Object.entries(c.paramsAfter)) expectRelClose(params.get(name)!.data, expected, 1e-12, name);
      expectRelClose(norms, c.preClipNorms, 1e-12, 'pre-clip norms');
    });

    it(`${c.name}: exported state matches PyTorch's state under the same names`, () => {
      const { opt } = run(c, Float64Array);
      const state = opt.exportState();
      expect(state.step).toBe(3);
      expect(state.kind).toBe(c.optimizer.kind);
      expect([...state.tensors.keys()].sort()).toEqual(Object.keys(c.state).sort());
      for (const [key, expected] of Object.entries(c.state)) expectRelClose(state.tensors.get(key)!.data, expected, 1e-12, key);
    });

    it(`${c.name}: continues bit-identically after its state is exported and imported into a fresh optimizer`, () => {
      const a = run(c, Float64Array, 2);
      const saved = a.opt.exportState();
      const b = setup<Float64Array>(Float64Array);
      for (const [name, t] of a.params) b.params.get(name)!.data.set(t.data);
      const opt = createOptimizer(b.params, b.grads, c.optimizer);
      opt.importState(saved);
      for (const [o, p] of [[a.opt, a], [opt, b]] as const) {
        p.loadGrads(2);
        if (c.clip) clipGradNorm(p.grads, c.clip.maxNorm, c.clip.mode);
        o.step();
      }
      for (const [name, t] of a.params) expect(Array.from(b.params.get(name)!.data)).toEqual(Array.from(t.data));
    });

    it(`${c.name}: runs on Float32Array and stays within float32 precision of the reference`, () => {
      const { params } = run(c, Float32Array);
      for (const [name, expected] of Object.entries(c.paramsAfter)) {
        const got = params.get(name)!.data;
        expect(got).toBeInstanceOf(Float32Array);
        for (let i = 0; i < expected.length; i++) expect(Math.abs(got[i]! - expected[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected[i]!)));
      }
    });
  }

  it('rejects a saved state from another optimizer or another model', () => {
    const adam = ref.cases.find((c) => c.name === 'adam')!;
    const sgd = ref.cases.find((c) => c.name === 'sgd_momentum_wd')!;
    const saved = run(adam, Float64Array).opt.exportState();
    const code = expect.objectContaining({ code: 'ParamMismatch' });
    expect(() => run(sgd, Float64Array).opt.importState(saved)).toThrow(code);
    const other = run(adam, Float64Array).opt;
    const trimmed = { ...saved, tensors: new Map([...saved.tensors].slice(1)) };
    expect(() => other.importState(trimmed)).toThrow(code);
  });

  it('refuses gradients that do not match the parameters', () => {
    const { params } = setup<Float64Array>(Float64Array);
    const grads: NamedTensors<Float64Array> = new Map([...params].slice(1).map(([n, t]) => [n, { shape: t.shape, data: new Float64Array(t.data.length) }]));
    expect(() => createOptimizer(params, grads, { kind: 'adam', lr: 0.1 })).toThrow(expect.objectContaining({ code: 'ParamMismatch' }));
    expect(() => createOptimizer(params, params, { kind: 'sgd', lr: 0.1, nesterov: true })).toThrow(expect.objectContaining({ code: 'InvalidOption' }));
  });
});

describe('clipGradNorm', () => {
  const grads = (values: number[][]): NamedTensors<Float64Array> => new Map(values.map((v, i) => [`g${i}`, { shape: [v.length], data: Float64Array.from(v) }]));

  it('scales every gradient by θ/‖g‖ when the global norm exceeds θ and returns the pre-clip norm', () => {
    const g = grads([[3, 0], [0, 4]]);
    expect(clipGradNorm(g, 1)).toBe(5);
    expect(g.get('g0')!.data[0]).toBeCloseTo(0.6, 15);
    expect(g.get('g1')!.data[1]).toBeCloseTo(0.8, 15);
    expect([g.get('g0')!.data[1], g.get('g1')!.data[0]]).toEqual([0, 0]);
    expect(globalGradNorm(g)).toBeCloseTo(1, 15);
  });

  it('leaves gradients whose norm is within θ untouched', () => {
    const g = grads([[3], [4]]);
    expect(clipGradNorm(g, 5)).toBe(5);
    expect(clipGradNorm(g, 10, 'pytorch')).toBe(5);
    expect(Array.from(g.get('g0')!.data)).toEqual([3]);
  });

  it('returns a non-finite norm without touching the gradients', () => {
    const g = grads([[Number.NaN, 1]]);
    expect(clipGradNorm(g, 1)).toBeNaN();
    expect(g.get('g0')!.data[1]).toBe(1);
    expect(clipGradNorm(grads([[Infinity]]), 1)).toBe(Infinity);
    expect(() => clipGradNorm(g, 0)).toThrow(expect.objectContaining({ code: 'InvalidOption' }));
  });
});

describe('learning-rate schedules', () => {
  const at = (cfg: LrScheduleConfig, steps: number[]) => steps.map((s) => lrAt(cfg, s));

  it('keeps a constant rate', () => {
    expect(at({ baseLr: 0.5, schedule: { kind: 'constant' } }, [0, 1, 1000])).toEqual([0.5, 0.5, 0.5]);
  });

  it('multiplies by γ every k steps', () => {
    expect(at({ baseLr: 1, schedule: { kind: 'step', stepSize: 2, gamma: 0.5 } }, [0, 1, 2, 3, 4])).toEqual([1, 1, 0.5, 0.5, 0.25]);
  });

  it('decays exponentially', () => {
    expect(at({ baseLr: 2, schedule: { kind: 'exponential', gamma: 0.5 } }, [0, 1, 3])).toEqual([2, 1, 0.25]);
  });

  it('follows a half cosine from the base rate to the minimum over totalSteps and then stays there', () => {
    const cfg: LrScheduleConfig = { baseLr: 1, schedule: { kind: 'cosine', totalSteps: 4, minLr: 0.2 } };
    const [a, b, c, d, e] = at(cfg, [0, 1, 2, 3, 4]);
    expect(a).toBe(1);
    expect(b).toBeCloseTo(0.2 + 0.8 * (1 + Math.SQRT1_2) / 2, 15);
    expect(c).toBeCloseTo(0.6, 15);
    expect(d).toBeCloseTo(0.2 + 0.8 * (1 - Math.SQRT1_2) / 2, 15);
    expect(e).toBe(0.2);
    expect(lrAt(cfg, 99)).toBe(0.2);
  });

  it('warms up linearly and then starts the schedule from its own step 0', () => {
    expect(at({ baseLr: 1, warmupSteps: 4, schedule: { kind: 'step', stepSize: 2, gamma: 0.1 } }, [0, 1, 2, 3, 4, 5, 6])).toEqual([0.25, 0.5, 0.75, 1, 1, 1, 0.1 * 1]);
    const cos: LrScheduleConfig = { baseLr: 1, warmupSteps: 2, schedule: { kind: 'cosine', totalSteps: 6, minLr: 0 } };
    expect(at(cos, [0, 1, 2])).toEqual([0.5, 1, 1]);
    expect(lrAt(cos, 4)).toBeCloseTo(0.5, 15);
    expect(lrAt(cos, 6)).toBe(0);
  });

  it('rejects settings out of range', () => {
    const code = expect.objectContaining({ code: 'InvalidOption' });
    expect(() => validateLrSchedule({ baseLr: -1, schedule: { kind: 'constant' } })).toThrow(code);
    expect(() => validateLrSchedule({ baseLr: 1, warmupSteps: 1.5, schedule: { kind: 'constant' } })).toThrow(code);
    expect(() => validateLrSchedule({ baseLr: 1, schedule: { kind: 'step', stepSize: 0, gamma: 0.5 } })).toThrow(code);
    expect(() => validateLrSchedule({ baseLr: 1, schedule: { kind: 'cosine', totalSteps: 10, minLr: 2 } })).toThrow(code);
    expect(() => validateLrSchedule({ baseLr: 1, warmupSteps: 3, schedule: { kind: 'cosine', totalSteps: 10, minLr: 0.1 } })).not.toThrow();
  });
});
