import { describe, expect, it } from 'vitest';
import { groupsOf, paramImportance, type ImportanceParam, type ImportanceTrial } from '../../src/renderer/lib/sweep-importance';

const PARAMS: ImportanceParam[] = [
  { name: 'lr', kind: 'numeric', log: true },
  { name: 'hiddenSize', kind: 'numeric' },
  { name: 'cell', kind: 'categorical' },
];

/** A full factorial over lr × hiddenSize × cell, scored by `f`. */
function factorial(f: (lr: number, hidden: number, cell: string) => number): ImportanceTrial[] {
  const trials: ImportanceTrial[] = [];
  for (const lr of [1e-3, 1e-2, 1e-1, 1])
    for (const hiddenSize of [16, 32, 64, 128])
      for (const cell of ['rnn', 'gru', 'lstm']) trials.push({ params: { lr, hiddenSize, cell }, value: f(lr, hiddenSize, cell) });
  return trials;
}

describe('parameter importance', () => {
  it('gives all the importance to the one parameter the objective depends on', () => {
    const got = paramImportance(PARAMS, factorial((lr) => 5 + Math.abs(Math.log10(lr) + 2)));
    expect(got[0]).toEqual({ name: 'lr', importance: 1 });
    expect(got.find((g) => g.name === 'hiddenSize')!.importance).toBe(0);
    expect(got.find((g) => g.name === 'cell')!.importance).toBe(0);
  });

  it('ranks a categorical parameter that decides most of the value above one that adds less, and one that adds nothing last', () => {
    const got = paramImportance(PARAMS, factorial((_lr, hidden, cell) => (cell === 'lstm' ? 4 : cell === 'gru' ? 6 : 12) + hidden / 32));
    expect(got.map((g) => g.name)).toEqual(['cell', 'hiddenSize', 'lr']);
    expect(got[0]!.importance).toBeGreaterThan(0.8);
    expect(got[1]!.importance).toBeGreaterThan(0.05);
    expect(got[2]!.importance).toBe(0);
    expect(got.reduce((a, g) => a + g.importance, 0)).toBeCloseTo(1, 12);
  });

  it('leaves out trials without a value (running, pruned before reporting, failed)', () => {
    const trials = factorial((lr) => -Math.log10(lr));
    const withUnfinished = [...trials, { params: { lr: 1e-3, hiddenSize: 16, cell: 'rnn' }, value: null }, { params: { lr: 1, hiddenSize: 128, cell: 'gru' }, value: Number.NaN }];
    expect(paramImportance(PARAMS, withUnfinished)).toEqual(paramImportance(PARAMS, trials));
  });

  it('scores every parameter 0 when the objective is flat or too few trials finished', () => {
    expect(paramImportance(PARAMS, factorial(() => 7)).every((g) => g.importance === 0)).toBe(true);
    expect(paramImportance(PARAMS, factorial((lr) => lr).slice(0, 2)).every((g) => g.importance === 0)).toBe(true);
  });

  it('bins a log parameter on the log scale, so each decade gets its own group', () => {
    const trials = [1e-4, 1e-3, 1e-2, 1e-1].flatMap((lr) => [{ params: { lr }, value: 1 }, { params: { lr }, value: 2 }, { params: { lr }, value: 3 }, { params: { lr }, value: 4 }]);
    expect(new Set(groupsOf({ name: 'lr', kind: 'numeric', log: true }, trials)).size).toBe(4);
    // on a linear scale the three small learning rates fall into one bin with 1e-4
    expect(new Set(groupsOf({ name: 'lr', kind: 'numeric' }, trials)).size).toBe(2);
  });
});
