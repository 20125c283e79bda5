import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ashaPruner, isPromotable } from '../../../src/core/sweeps/asha-pruner';
import { medianPruner, percentile } from '../../../src/core/sweeps/median-pruner';
import type { Pruner, PrunerTrial } from '../../../src/core/sweeps/pruner';
import { Rng } from '../../../src/engine/rng';

const PYTHON = process.env['RNNLAB_TORCH_PYTHON'] ?? '/usr/bin/python3';
const FIXTURES = resolve(import.meta.dirname, '../../fixtures/sweeps');

type Event = [number, number, number];

/** Replays events through our pruner as the sweep runner does: report, check, then prune or complete at the last step. */
function replay(pruner: Pruner, events: readonly Event[], lastStep: number): [number, number, boolean][] {
  const trials = new Map<number, PrunerTrial & { intermediate: { step: number; value: number }[]; rungs: Record<string, number> }>();
  const out: [number, number, boolean][] = [];
  for (const [number, step, value] of events) {
    let t = trials.get(number);
    if (!t) trials.set(number, (t = { number, state: 'RUNNING', intermediate: [], rungs: {} }));
    if (t.state !== 'RUNNING') continue;
    t.intermediate.push({ step, value });
    const d = pruner.check(t, [...trials.values()]);
    Object.assign(t.rungs, d.rungs);
    out.push([number, step, d.prune]);
    if (d.prune) t.state = 'PRUNED';
    else if (step === lastStep) t.state = 'COMPLETE';
  }
  return out;
}

/** Optuna's decisions for each job, from one python process. */
function optunaReplay(jobs: { pruner: 'median' | 'asha'; events: readonly Event[]; last: number }[]): [number, number, boolean][][] {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-prune-'));
  writeFileSync(join(dir, 'jobs.json'), JSON.stringify(jobs));
  const out = execFileSync(PYTHON, [join(FIXTURES, 'prune_events.py'), join(dir, 'jobs.json')], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as [number, number, boolean][][];
}

/** `n` trials of `steps` epochs, K = 3 at a time, each a noisy decaying curve at its own level. */
function interleaved(seed: number, n: number, steps: number): Event[] {
  const rng = new Rng(seed);
  const curves = Array.from({ length: n }, () => {
    const level = 5 + 20 * rng.nextFloat();
    return Array.from({ length: steps }, (_, s) => level * (1 + 2 / (s + 1)) + rng.nextFloat());
  });
  const events: Event[] = [];
  // three trials in flight; each round advances each by one step, a new one starts when one finishes
  const pos = new Map<number, number>();
  let next = 0;
  const live: number[] = [];
  while (next < n || live.length > 0) {
    while (live.length < 3 && next < n) {
      live.push(next);
      pos.set(next++, 0);
    }
    for (const t of [...live]) {
      const s = pos.get(t)!;
      events.push([t, s + 1, curves[t]![s]!]);
      pos.set(t, s + 1);
      if (s + 1 === steps) live.splice(live.indexOf(t), 1);
    }
  }
  return events;
}

const trial = (number: number, state: PrunerTrial['state'], values: number[], rungs: Record<string, number> = {}): PrunerTrial => ({
  number, state, intermediate: values.map((value, i) => ({ step: i + 1, value })), rungs,
});

describe('median pruner', () => {
  it('interpolates percentiles like numpy', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, NaN, 3], 50)).toBe(2);
  });

  it('prunes nothing before 5 trials completed, then a trial worse than the median at its step', () => {
    const p = medianPruner();
    const done = [10, 11, 12, 13, 14].map((v, i) => trial(i, 'COMPLETE', [v + 5, v]));
    const bad = trial(9, 'RUNNING', [20]);
    expect(p.check(bad, [...done.slice(0, 4), bad]).prune).toBe(false);
    expect(p.check(bad, [...done, bad]).prune).toBe(true); // 20 > median(15..19) = 17
    const good = trial(10, 'RUNNING', [16]);
    expect(p.check(good, [...done, good]).prune).toBe(false);
  });

  it('compares the trial’s best value so far, and waits out the warm-up steps', () => {
    const done = [1, 2, 3, 4, 5].map((v, i) => trial(i, 'COMPLETE', [10, 10 + v]));
    const dipped = trial(9, 'RUNNING', [5, 50]); // best so far 5 beats the median 13 at step 2
    expect(medianPruner().check(dipped, [...done, dipped]).prune).toBe(false);
    const bad = trial(9, 'RUNNING', [30]);
    expect(medianPruner({ nWarmupSteps: 2 }).check(bad, [...done, bad]).prune).toBe(false);
    expect(medianPruner().check(bad, [...done, bad]).prune).toBe(true);
  });
});

describe('ASHA pruner', () => {
  it('promotes the best 1/η at each rung, the first arrivals only when best', () => {
    expect(isPromotable(5, [5], 3)).toBe(true);
    expect(isPromotable(6, [5, 6], 3)).toBe(false);
    expect(isPromotable(4, [5, 6, 4], 3)).toBe(true);
    expect(isPromotable(5, [5, 6, 4], 3)).toBe(false);
    expect(isPromotable(5, [5, 6, 4, 7, 8, 9], 3)).toBe(true); // best 2 of 6
  });

  it('checks only at rungs 1, 3, 9 epochs and records the rung values', () => {
    const p = ashaPruner();
    const first = trial(0, 'RUNNING', [10]);
    expect(p.check(first, [first])).toEqual({ prune: false, rungs: { completed_rung_0: 10 } });
    const a = trial(0, 'RUNNING', [10, 9], { completed_rung_0: 10 });
    expect(p.check(a, [a])).toEqual({ prune: false, rungs: {} }); // epoch 2: between rungs
    const worse = trial(1, 'RUNNING', [12]);
    expect(p.check(worse, [a, worse])).toEqual({ prune: true, rungs: { completed_rung_0: 12 } });
  });

});

describe('against Optuna itself', () => {
  it('makes the decisions of Optuna’s SuccessiveHalvingPruner and MedianPruner on interleaved trials', () => {
    const jobs = [
      ...[1, 2, 3].map((seed) => ({ pruner: 'asha' as const, events: interleaved(seed, 24, 9), last: 9 })),
      ...[4, 5].map((seed) => ({ pruner: 'median' as const, events: interleaved(seed, 16, 6), last: 6 })),
    ];
    const ours = jobs.map((j) => replay(j.pruner === 'asha' ? ashaPruner() : medianPruner(), j.events, j.last));
    for (const o of ours) expect(o.some(([, , pruned]) => pruned)).toBe(true);
    expect(ours).toEqual(optunaReplay(jobs));
  }, 60_000);
});
