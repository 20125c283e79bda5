import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../src/shared/run-config';
import { globalGradNorm } from '../../src/engine/optim';
import { Rng } from '../../src/engine/rng';
import {
  EXPLODING_LOSS_FACTOR, EXPLODING_LOSS_STEPS, resolveTrainerOptions, Trainer, TrainError, trainerOptionsFromRunConfig, type TrainerOptions,
} from '../../src/engine/train';

const V = 12;

function randomIds(seed: number, n: number): Int32Array {
  const rng = new Rng(seed);
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = rng.nextInt(V);
  return ids;
}

const data = { train: randomIds(1, 1200), val: randomIds(2, 300), vocabSize: V };
const small = (o: Partial<TrainerOptions> = {}) => resolveTrainerOptions({ hiddenSize: 16, numSteps: 6, batchSize: 4, ...o });

function snapshot(t: Trainer): Map<string, Uint8Array> {
  return new Map([...t.model.params].map(([name, p]) => [name, new Uint8Array(p.data.slice().buffer)]));
}

describe('trainer options', () => {
  it('defaults to d2l\'s character-model settings', () => {
    const o = resolveTrainerOptions();
    expect(o).toMatchObject({ hiddenSize: 256, numSteps: 35, batchSize: 32, optimizer: 'sgd', lr: 1, clip: 1, sampler: 'sequential' });
  });

  it('takes the engine subset of a run config', () => {
    const o = trainerOptionsFromRunConfig({ ...defaultRunConfig('ds'), cell: 'gru', init: 'normal' });
    expect(o.cell).toBe('gru');
    expect(o.init).toBe('normal');
    expect(o).not.toHaveProperty('datasetId');
  });

  it('rejects values outside the run-config ranges with a code', () => {
    expect(() => resolveTrainerOptions({ lr: -1 })).toThrow(expect.objectContaining({ code: 'InvalidOption', details: expect.objectContaining({ field: 'lr' }) }));
    expect(() => resolveTrainerOptions({ cell: 'transformer' as never })).toThrow(TrainError);
  });

  it('uses d2l\'s N(0, 0.01²) initialisation for init "normal"', () => {
    const t = new Trainer(small({ init: 'normal' }), data);
    const w = t.model.param('rnn.weight_hh_l0');
    let sq = 0;
    for (const v of w) sq += v * v;
    expect(Math.sqrt(sq / w.length)).toBeCloseTo(0.01, 2);
    expect([...t.model.param('rnn.bias_hh_l0')].every((v) => v === 0)).toBe(true);
  });
});

describe('Trainer.trainStep', () => {
  it('walks through epochs minibatch by minibatch and reports each step', () => {
    const t = new Trainer(small(), data);
    const first = t.iterator.batchesThisEpoch;
    const steps = [];
    for (let i = 0; i < first + 2; i++) steps.push(t.trainStep());
    expect(steps.map((s) => s.stepInEpoch)).toEqual([...Array.from({ length: first }, (_, i) => i), 0, 1]);
    expect(steps.map((s) => s.epoch)).toEqual([...Array<number>(first).fill(0), 1, 1]);
    expect(steps.map((s) => s.epochDone)).toEqual([...Array<boolean>(first - 1).fill(false), true, false, false]);
    expect(steps.at(-1)!.updates).toBe(first + 2);
    for (const s of steps) {
      expect(s.tokens).toBe(24);
      expect(s.perplexity).toBeCloseTo(Math.exp(s.loss), 10);
      expect(s.diverged).toBeNull();
    }
    expect(steps[0]!.loss).toBeCloseTo(Math.log(V), 0);
  });

  it('clips to the global norm θ and reports the norm before clipping', () => {
    const t = new Trainer(small({ clip: 0.05 }), data);
    const r = t.trainStep();
    expect(r.gradNorm).toBeGreaterThan(0.05);
    expect(globalGradNorm(t.model.grads)).toBeCloseTo(0.05, 6);
  });

  it('leaves the gradients unclipped when θ is 0', () => {
    const t = new Trainer(small({ clip: 0 }), data);
    const r = t.trainStep();
    expect(globalGradNorm(t.model.grads)).toBeCloseTo(r.gradNorm, 6);
  });

  it('takes each update\'s learning rate from the schedule', () => {
    const t = new Trainer(small({ lr: 0.5, warmupSteps: 4 }), data);
    expect([0, 1, 2, 3, 4, 5].map(() => t.trainStep().lr)).toEqual([0.125, 0.25, 0.375, 0.5, 0.5, 0.5]);
  });

  it('converts an epoch-based step decay into updates', () => {
    const t = new Trainer(small({ lr: 1, schedule: 'step', scheduleStep: 1, scheduleGamma: 0.5 }), data);
    t.trainEpoch();
    expect(t.schedule.schedule).toEqual({ kind: 'step', stepSize: t.batchesPerEpoch, gamma: 0.5 });
    expect(t.lr).toBe(t.updates >= t.batchesPerEpoch ? 0.5 : 1);
  });
});

describe('Trainer.trainEpoch', () => {
  it('reports exp of the mean cross-entropy over the epoch\'s tokens, as d2l', () => {
    const a = new Trainer(small(), data);
    const b = new Trainer(small(), data);
    const epoch = a.trainEpoch();
    let sum = 0, tokens = 0, norms = 0, n = 0, last;
    do {
      last = b.trainStep();
      sum += last.loss * last.tokens;
      tokens += last.tokens;
      norms += last.gradNorm;
      n++;
    } while (!last.epochDone);
    expect(epoch).toMatchObject({ epoch: 0, steps: n, tokens, gradNormLast: last.gradNorm, lr: 1, diverged: null });
    expect(epoch.loss).toBe(sum / tokens);
    expect(epoch.perplexity).toBe(Math.exp(sum / tokens));
    expect(epoch.gradNormMean).toBeCloseTo(norms / n, 12);
    expect(a.epoch).toBe(1);
    expect(a.lastEpoch).toEqual(epoch);
  });
});

describe('Trainer.evaluate', () => {
  it('measures validation perplexity without disturbing training', () => {
    const a = new Trainer(small({ numLayers: 2, dropout: 0.3 }), data);
    const b = new Trainer(small({ numLayers: 2, dropout: 0.3 }), data);
    const la = [], lb = [];
    for (let i = 0; i < 6; i++) {
      la.push(a.trainStep().loss);
      lb.push(b.trainStep().loss);
      const e1 = b.evaluate()!, e2 = b.evaluate()!;
      expect(e1).toEqual(e2);
      expect(e1.tokens).toBe(Math.floor(299 / 4) * 4);
      expect(e1.perplexity).toBeCloseTo(Math.exp(e1.loss), 10);
    }
    expect(lb).toEqual(la);
  });

  it('uses fewer streams for a short validation set and none without one', () => {
    const short = new Trainer(small(), { ...data, val: data.val.subarray(0, 3) });
    expect(short.evaluate()!.tokens).toBe(2);
    expect(new Trainer(small(), { ...data, val: new Int32Array(0) }).evaluate()).toBeNull();
  });
});

describe('non-finite steps', () => {
  it('stops before the update when a parameter holds NaN and names it', () => {
    const t = new Trainer(small(), data);
    t.trainStep();
    t.model.param('rnn.weight_hh_l0')[5] = NaN;
    const before = snapshot(t);
    const r = t.trainStep();
    expect(r.diverged).not.toBeNull();
    expect(r.diverged).toMatchObject({ cause: 'parameter', parameter: { name: 'rnn.weight_hh_l0', index: 5 }, hidden: { step: 0, layer: 0 }, step: 1, stepInEpoch: 1 });
    expect(r.diverged!.gradient).not.toBeNull();
    expect(r.diverged!.message).toContain('rnn.weight_hh_l0');
    expect(r.updates).toBe(1);
    expect(snapshot(t)).toEqual(before);
    expect(t.optimizer.stepCount).toBe(1);
    expect(() => t.trainStep()).toThrow(expect.objectContaining({ code: 'Diverged' }));
    expect(() => t.exportState()).toThrow(expect.objectContaining({ code: 'Diverged' }));
  });

  it('stops an exploding run (ReLU RNN, lr 100, no clipping) with the first bad time step', () => {
    const t = new Trainer(small({ nonlinearity: 'relu', hiddenSize: 32, lr: 100, clip: 0, numSteps: 10, batchSize: 8, seed: 1 }), data);
    let before = snapshot(t);
    let r = t.trainStep();
    for (let i = 0; i < 200 && !r.diverged; i++) {
      before = snapshot(t);
      r = t.trainStep();
    }
    const report = r.diverged!;
    expect(report).not.toBeNull();
    expect(['hidden', 'loss', 'gradient']).toContain(report.cause);
    expect(report.hidden ?? report.gradient).not.toBeNull();
    expect(report.parameter).toBeNull();
    expect(report.message).toMatch(/^Training diverged at update \d+/);
    expect(snapshot(t)).toEqual(before);
    expect(t.diverged).toBe(report);
  });

  it('stops a run whose loss explodes without any Inf/NaN (GRU, lr 100, no clipping) after a stretch far above a uniform guess', () => {
    const t = new Trainer(small({ cell: 'gru', hiddenSize: 32, lr: 100, clip: 0, numSteps: 8, batchSize: 4, seed: 3 }), data);
    const limit = EXPLODING_LOSS_FACTOR * Math.log(V);
    const losses: number[] = [];
    let r = t.trainStep();
    let before = snapshot(t);
    for (let i = 0; i < 500 && !r.diverged; i++) {
      losses.push(r.loss);
      before = snapshot(t);
      r = t.trainStep();
    }
    const report = r.diverged!;
    expect(report).not.toBeNull();
    expect(report.cause).toBe('exploding-loss');
    expect(Number.isFinite(report.loss)).toBe(true);
    expect(report.loss).toBeGreaterThan(limit);
    // the last EXPLODING_LOSS_STEPS losses (this one included) were all above the limit, and the one before was not, or it is the start
    const run = [...losses, report.loss].slice(-EXPLODING_LOSS_STEPS);
    expect(run.every((l) => l > limit)).toBe(true);
    expect(report.message).toMatch(/the training loss exploded/);
    expect(report.message).toMatch(/lower the learning rate or enable gradient clipping/);
    expect(snapshot(t)).toEqual(before); // the update was skipped
    expect(() => t.trainStep()).toThrow(expect.objectContaining({ code: 'Diverged' }));
  });

  it('never trips the exploding-loss rule at a sane learning rate', () => {
    const t = new Trainer(small({ cell: 'gru', lr: 1, clip: 1 }), data);
    for (let e = 0; e < 3; e++) expect(t.trainEpoch().diverged).toBeNull();
  });

  it('is generic over Float64Array with the same initial draws', () => {
    const f32 = new Trainer(small({ cell: 'lstm' }), data);
    const f64 = new Trainer(small({ cell: 'lstm' }), data, { dtype: Float64Array });
    for (let i = 0; i < 3; i++) expect(f64.trainStep().loss).toBeCloseTo(f32.trainStep().loss, 5);
    expect(f64.exportState().meta.dtype).toBe('float64');
  });
});
