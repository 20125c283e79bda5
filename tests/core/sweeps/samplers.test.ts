import { describe, expect, it } from 'vitest';
import { spaceParams, type SearchSpace, type SpaceParam } from '../../../src/shared/sweep';
import { createSampler, type ObservedTrial } from '../../../src/core/sweeps/sampler';
import { gridPoint } from '../../../src/core/sweeps/grid-sampler';
import { categoricalParzen, defaultWeights, numericParzen } from '../../../src/core/sweeps/parzen-estimator';
import { splitObservations } from '../../../src/core/sweeps/tpe-sampler';
import { Rng } from '../../../src/engine/rng';

const SPACE: SearchSpace = { lr: { low: 1e-3, high: 10, log: true }, hiddenSize: { low: 8, high: 128 }, cell: { values: ['rnn', 'gru', 'lstm'] } };
const params = spaceParams(SPACE);

/** A synthetic objective with its minimum 0 at lr = 0.1, hidden 90, lstm. */
function objective(p: Record<string, unknown>): number {
  const lr = p['lr'] as number;
  const h = p['hiddenSize'] as number;
  return (Math.log10(lr) + 1) ** 2 + ((h - 90) / 30) ** 2 + (p['cell'] === 'lstm' ? 0 : p['cell'] === 'gru' ? 0.3 : 0.6);
}

function runSweep(method: 'random' | 'tpe', seed: number, n: number): number {
  const sampler = createSampler(method, params, seed);
  const trials: ObservedTrial[] = [];
  for (let i = 0; i < n; i++) {
    const p = sampler.sample(i, trials);
    trials.push({ number: i, state: 'COMPLETE', params: p, value: objective(p), intermediate: [] });
  }
  return Math.min(...trials.map((t) => t.value!));
}

describe('random sampler', () => {
  it('draws the same parameters for the same seed and trial number, whatever came before', () => {
    const a = createSampler('random', params, 7);
    const b = createSampler('random', params, 7);
    expect(a.sample(5, [])).toEqual(b.sample(5, [{ number: 0, state: 'COMPLETE', params: {}, value: 1, intermediate: [] }]));
    expect(a.sample(5, [])).not.toEqual(a.sample(6, []));
    expect(createSampler('random', params, 8).sample(5, [])).not.toEqual(a.sample(5, []));
  });

  it('keeps ints whole, values in range, and spreads log ranges evenly over decades', () => {
    const s = createSampler('random', params, 1);
    const draws = Array.from({ length: 2000 }, (_, i) => s.sample(i, []));
    for (const d of draws) {
      expect(Number.isInteger(d['hiddenSize'])).toBe(true);
      expect(d['hiddenSize']).toBeGreaterThanOrEqual(8);
      expect(d['hiddenSize']).toBeLessThanOrEqual(128);
      expect(d['lr']).toBeGreaterThanOrEqual(1e-3);
      expect(d['lr']).toBeLessThanOrEqual(10);
      expect(['rnn', 'gru', 'lstm']).toContain(d['cell']);
    }
    // log-uniform over 4 decades: each decade gets about a quarter (uniform would put 90 % in the last)
    const perDecade = [0, 0, 0, 0];
    for (const d of draws) perDecade[Math.min(3, Math.floor(Math.log10(d['lr'] as number) + 3))]!++;
    for (const c of perDecade) expect(c / draws.length).toBeGreaterThan(0.2);
    expect(new Set(draws.map((d) => d['hiddenSize'])).size).toBe(121);
  });
});

describe('grid sampler', () => {
  it('walks the cartesian product, last field fastest, in the space’s key order', () => {
    const grid = spaceParams({ cell: { values: ['gru', 'lstm'] }, numLayers: { values: [1, 2, 3] } });
    const points = Array.from({ length: 6 }, (_, i) => gridPoint(grid, i));
    expect(points).toEqual([
      { cell: 'gru', numLayers: 1 }, { cell: 'gru', numLayers: 2 }, { cell: 'gru', numLayers: 3 },
      { cell: 'lstm', numLayers: 1 }, { cell: 'lstm', numLayers: 2 }, { cell: 'lstm', numLayers: 3 },
    ]);
    expect(Object.keys(points[0]!)).toEqual(['cell', 'numLayers']);
  });

  it('refuses a range', () => {
    expect(() => gridPoint(params, 0)).toThrow(/grid sampling needs a list for hiddenSize/);
  });
});

describe('Parzen estimators', () => {
  const integrate = (f: (x: number) => number, a: number, b: number, n = 20000) => {
    let s = 0;
    const h = (b - a) / n;
    for (let i = 0; i < n; i++) s += f(a + (i + 0.5) * h);
    return s * h;
  };

  it('is a density over a float range (integrates to 1)', () => {
    const p = { field: 'dropout', kind: 'float', low: 0, high: 0.9, log: false } as SpaceParam & { kind: 'float' };
    const est = numericParzen(p, [0.1, 0.15, 0.7]);
    expect(integrate((x) => Math.exp(est.logPdf(x)), 0, 0.9)).toBeCloseTo(1, 3);
  });

  it('is a distribution over an int range (masses sum to 1) and peaks at the observations', () => {
    const p = { field: 'hiddenSize', kind: 'int', low: 8, high: 64, log: false } as SpaceParam & { kind: 'int' };
    const est = numericParzen(p, [20, 21, 60]);
    let total = 0;
    for (let h = 8; h <= 64; h++) total += Math.exp(est.logPdf(h));
    expect(total).toBeCloseTo(1, 5);
    expect(est.logPdf(20)).toBeGreaterThan(est.logPdf(40));
  });

  it('samples where its density is (log range)', () => {
    const p = { field: 'lr', kind: 'float', low: 1e-4, high: 1, log: true } as SpaceParam & { kind: 'float' };
    const est = numericParzen(p, Array(30).fill(1e-2));
    const draws = est.sample(new Rng(3), 2000);
    const near = draws.filter((x) => x > 3e-3 && x < 3e-2).length / draws.length;
    expect(near).toBeGreaterThan(0.8);
    for (const x of draws) expect(x >= 1e-4 && x <= 1).toBe(true);
  });

  it('weighs categories by their counts plus a prior', () => {
    const est = categoricalParzen(3, [2, 2, 2, 0]);
    const probs = [0, 1, 2].map((c) => Math.exp(est.logPdf(c)));
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(probs[2]).toBeGreaterThan(probs[0]!);
    expect(probs[0]).toBeGreaterThan(probs[1]!);
  });

  it('ramps older observations down beyond 25, as Optuna’s default_weights', () => {
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w).toHaveLength(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBeCloseTo(1, 12);
    expect(w.slice(5)).toEqual(new Array(25).fill(1));
  });
});

describe('TPE sampler', () => {
  it('ranks completed trials by value, then pruned ones by how far they got', () => {
    const t = (number: number, state: 'COMPLETE' | 'PRUNED', value: number | null, steps: number[]): ObservedTrial => ({
      number, state, params: {}, value, intermediate: steps.map((s) => ({ step: s, value: 10 + s })),
    });
    const trials = [t(0, 'PRUNED', null, [1]), t(1, 'COMPLETE', 5, [1, 2, 3]), t(2, 'PRUNED', null, [1, 2]), t(3, 'COMPLETE', 3, [1, 2, 3])];
    const { below, above } = splitObservations(trials, 3);
    expect(below.map((x) => x.number)).toEqual([1, 2, 3]);
    expect(above.map((x) => x.number)).toEqual([0]);
  });

  it('samples like random for its first 10 trials', () => {
    const tpe = createSampler('tpe', params, 4);
    const random = createSampler('random', params, 4);
    const trials: ObservedTrial[] = [];
    for (let i = 0; i < 10; i++) {
      const p = tpe.sample(i, trials);
      expect(p).toEqual(random.sample(i, trials));
      trials.push({ number: i, state: 'COMPLETE', params: p, value: objective(p), intermediate: [] });
    }
    expect(tpe.sample(10, trials)).not.toEqual(random.sample(10, trials));
  });

  it('finds better values than random search on a synthetic objective, over seeds', () => {
    const seeds = Array.from({ length: 12 }, (_, i) => i + 1);
    const tpe = seeds.map((s) => runSweep('tpe', s, 60));
    const random = seeds.map((s) => runSweep('random', s, 60));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(tpe)).toBeLessThan(0.6 * mean(random));
    expect(seeds.filter((_, i) => tpe[i]! < random[i]!).length).toBeGreaterThanOrEqual(9);
  });
});
