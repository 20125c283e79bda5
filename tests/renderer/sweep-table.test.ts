import { describe, expect, it } from 'vitest';
import { bestTrial, bestTrialNumbers, filterTrials, sortTrials, type TableTrial } from '../../src/renderer/lib/sweep-table';

const trials: TableTrial[] = [
  { number: 0, state: 'COMPLETE', value: 8.5, params: { lr: 0.1, cell: 'gru' } },
  { number: 1, state: 'PRUNED', value: 14.2, params: { lr: 1, cell: 'rnn' } },
  { number: 2, state: 'COMPLETE', value: 6.1, params: { lr: 0.01, cell: 'lstm' } },
  { number: 3, state: 'RUNNING', value: null, params: { lr: 0.3, cell: 'gru' } },
  { number: 4, state: 'COMPLETE', value: 7.3, params: { lr: 0.03, cell: 'lstm' } },
  { number: 5, state: 'FAIL', value: null, params: { lr: 3, cell: 'rnn' } },
  { number: 6, state: 'COMPLETE', value: 9.9, params: { lr: 0.2, cell: 'rnn' } },
  { number: 7, state: 'COMPLETE', value: 6.1, params: { lr: 0.02, cell: 'gru' } },
];
const numbers = (ts: readonly TableTrial[]) => ts.map((t) => t.number);

describe('sweep trial table', () => {
  it('sorts by the objective with trials that have none last, whichever the direction', () => {
    expect(numbers(sortTrials(trials, 'value', 'asc'))).toEqual([2, 7, 4, 0, 6, 1, 3, 5]);
    expect(numbers(sortTrials(trials, 'value', 'desc'))).toEqual([1, 6, 0, 4, 2, 7, 3, 5]);
  });

  it('sorts by a numeric parameter as numbers and by a categorical one as text', () => {
    expect(numbers(sortTrials(trials, 'param:lr', 'asc'))).toEqual([2, 7, 4, 0, 6, 3, 1, 5]);
    expect(numbers(sortTrials(trials, 'param:cell', 'desc'))).toEqual([1, 5, 6, 2, 4, 0, 3, 7]);
  });

  it('keeps the best k % of the trials that have a value, rounding up, ties by trial number', () => {
    expect([...bestTrialNumbers(trials, 25)]).toEqual([2, 7]);
    expect([...bestTrialNumbers(trials, 50)]).toEqual([2, 7, 4]);
    expect([...bestTrialNumbers(trials, 1)]).toEqual([2]);
    expect(bestTrialNumbers(trials, 100).size).toBe(6);
  });

  it('combines the state filter with the best-k filter', () => {
    expect(numbers(filterTrials(trials, { states: ['COMPLETE'], bestPercent: 100 }))).toEqual([0, 2, 4, 6, 7]);
    expect(numbers(filterTrials(trials, { states: ['PRUNED', 'FAIL'], bestPercent: 100 }))).toEqual([1, 5]);
    expect(numbers(filterTrials(trials, { states: [], bestPercent: 50 }))).toEqual([2, 4, 7]);
    expect(numbers(filterTrials(trials, { states: ['PRUNED'], bestPercent: 50 }))).toEqual([]);
  });

  it('names the trial with the smallest value as the best', () => {
    expect(bestTrial(trials)?.number).toBe(2);
    expect(bestTrial(trials.filter((t) => t.value === null))).toBeNull();
  });
});
