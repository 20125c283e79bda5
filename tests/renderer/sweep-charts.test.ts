import { describe, expect, it } from 'vitest';
import { curvesOption, importanceOption, lastIntermediate, mix, parallelOption, scatterOption, trialValue, type SweepColors } from '../../src/renderer/components/sweep/sweep-charts';
import type { SpaceParam, TrialDto } from '../../src/shared/sweep';

const theme = { text: '#111111', muted: '#777777', grid: '#dddddd', panel: '#ffffff' };
const colors: SweepColors = { best: '#e8590c', good: '#2f6fde', bad: '#777777', pruned: '#999999' };
const params: SpaceParam[] = [
  { field: 'lr', kind: 'float', low: 0.01, high: 10, log: true },
  { field: 'hiddenSize', kind: 'int', low: 16, high: 256, log: false },
  { field: 'cell', kind: 'categorical', values: ['gru', 'lstm'] },
];

function trial(number: number, state: TrialDto['state'], value: number | null, intermediate: number[], params: TrialDto['params']): TrialDto {
  return { number, state, value, params, intermediate: intermediate.map((v, i) => ({ step: i + 1, value: v })), runId: `run-${number}`, started: null, finished: null, message: null };
}

const trials = [
  trial(0, 'COMPLETE', 9, [12, 9], { lr: 0.1, hiddenSize: 32, cell: 'gru' }),
  trial(1, 'PRUNED', null, [20], { lr: 8, hiddenSize: 200, cell: 'lstm' }),
  trial(2, 'COMPLETE', 5, [10, 5], { lr: 1, hiddenSize: 64, cell: 'lstm' }),
  trial(3, 'RUNNING', null, [15], { lr: 0.02, hiddenSize: 16, cell: 'gru' }),
];

type Obj = Record<string, unknown>;
const series = (o: Obj) => o['series'] as Obj[];

describe('sweep charts', () => {
  it('draws parallel coordinates with a log axis for a log parameter, a category axis for a choice, and the objective last', () => {
    const o = parallelOption(params, trials, 2, theme, colors);
    const axes = o['parallelAxis'] as Obj[];
    expect(axes.map((a) => [a['dim'], a['type'], a['name']])).toEqual([
      [0, 'log', 'Learning rate'],
      [1, 'value', 'Hidden size'],
      [2, 'category', 'Cell'],
      [3, 'value', 'val. perplexity'],
    ]);
    // a linear objective axis keeps ECharts' labels, which show the digits a narrow range needs
    expect((axes[3]!['axisLabel'] as Obj)['formatter']).toBeUndefined();
    const data = series(o)[0]!['data'] as Array<{ trial: number; value: unknown[]; lineStyle: Obj }>;
    // the running trial has no value yet; the pruned one lies underneath, dashed, at the value it was stopped at; the best on top
    expect(data.map((d) => d.trial)).toEqual([1, 0, 2]);
    expect(data[0]!.value).toEqual([8, 200, 'lstm', 20]);
    expect(data[0]!.lineStyle).toMatchObject({ color: colors.pruned, type: 'dashed' });
    expect(data[2]!.value).toEqual([1, 64, 'lstm', 5]);
    expect(data[2]!.lineStyle).toMatchObject({ color: colors.best, width: 3 });
    expect(data[1]!.lineStyle['color']).toBe(colors.bad);
  });

  it('uses a log objective axis when the values span more than a factor of 20', () => {
    const wide = [trial(0, 'COMPLETE', 3, [3], { lr: 1 }), trial(1, 'COMPLETE', 300, [300], { lr: 2 })];
    const axes = parallelOption(params.slice(0, 1), wide, 0, theme, colors)['parallelAxis'] as Obj[];
    expect(axes[1]!['type']).toBe('log');
  });

  it('dims pruned and failed learning curves, dashes running ones, and highlights the best on top', () => {
    const lines = series(curvesOption(trials, 2, theme, colors));
    const byId = Object.fromEntries(lines.map((l) => [l['id'], l])) as Record<string, Obj & { lineStyle: Obj }>;
    expect(Object.keys(byId)).toEqual(['trial-0', 'trial-1', 'trial-2', 'trial-3']);
    expect(byId['trial-1']!.lineStyle).toMatchObject({ color: colors.pruned, opacity: 0.28 });
    expect(byId['trial-2']!.lineStyle).toMatchObject({ color: colors.best, width: 3, opacity: 1 });
    expect(byId['trial-2']!['z']).toBeGreaterThan(byId['trial-0']!['z'] as number);
    expect(byId['trial-3']!.lineStyle['type']).toBe('dashed');
    expect(byId['trial-0']!['data']).toEqual([[1, 12], [2, 9]]);
  });

  it('plots the objective against a log parameter on a log x axis, pruned trials at the value they last reported', () => {
    const o = scatterOption(params[0]!, trials, 2, theme, colors);
    expect((o['xAxis'] as Obj)['type']).toBe('log');
    const [complete, pruned] = series(o) as Array<{ data: Array<{ value: unknown[]; trial: number }> }>;
    expect(complete!.data.map((d) => d.value)).toEqual([[0.1, 9], [1, 5]]);
    expect(pruned!.data.map((d) => [d.trial, d.value])).toEqual([[1, [8, 20]]]);
    expect((scatterOption(params[1]!, trials, 2, theme, colors)['xAxis'] as Obj)['type']).toBe('value');
    expect((scatterOption(params[2]!, trials, 2, theme, colors)['xAxis'] as Obj)['type']).toBe('category');
  });

  it('puts the most important parameter on top of the bars', () => {
    const o = importanceOption([{ name: 'lr', importance: 0.7 }, { name: 'cell', importance: 0.3 }], theme, '#2f6fde');
    expect((o['yAxis'] as Obj)['data']).toEqual(['Cell', 'Learning rate']);
    expect(series(o)[0]!['data']).toEqual([0.3, 0.7]);
  });

  it('compares a pruned trial by the value it was stopped at, and a running or failed one by none', () => {
    expect(trialValue(trials[1]!)).toBe(20);
    expect(trialValue({ ...trials[1]!, value: 19.5 })).toBe(19.5);
    expect(trialValue(trials[2]!)).toBe(5);
    expect(trialValue(trials[3]!)).toBeNull();
    expect(trialValue(trial(8, 'FAIL', null, [30], {}))).toBeNull();
  });

  it('reads the last reported value and mixes colours', () => {
    expect(lastIntermediate(trials[1]!)).toBe(20);
    expect(lastIntermediate(trial(9, 'FAIL', null, [], {}))).toBeNull();
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
  });
});
