/** The forecast setup form's parsing and split, and the forecast chart options, as plain functions. */
import { describe, expect, it } from 'vitest';
import { defaultDraft, parseForecastDraft } from '../../src/renderer/components/forecast/forecast-form';
import { actualVsPredictedOption, errorVsKOption, forecastCsv, futureOption, histogram, residuals, valMaeOption } from '../../src/renderer/components/forecast/forecast-charts';
import { forecastConfigSchema } from '../../src/shared/forecast-config';
import type { ForecastView } from '../../src/shared/forecast';
import type { CsvStats } from '../../src/shared/datasets';
import { csvDataset } from './fixtures';

const stats = csvDataset('load').stats as CsvStats;
const theme = { text: '#000', muted: '#666', grid: '#ddd', panel: '#fff' };
const colors = { actual: '#111', predicted: '#22f', baseline: '#f80', val: '#f80', test: '#0a0', floor: '#c00' };

describe('forecast setup form', () => {
  it('starts from the schema defaults with the numeric column as target and a time-like column as the x axis', () => {
    const d = defaultDraft('load', stats, 'forecast-1');
    // "date" here is a text (label) column: it cannot order the rows
    expect(d).toMatchObject({ target: 'load', timeColumn: '', window: 4, horizon: 1, trainPercent: 70, valPercent: 20, missing: 'interpolate' });
    const { config, errors } = parseForecastDraft(d, stats);
    expect(errors).toEqual({});
    expect(forecastConfigSchema.parse(config)).toEqual(config);
    expect(config).toMatchObject({ task: 'forecast', datasetId: 'load', target: 'load', timeColumn: null, trainFraction: 0.7, valFraction: 0.2, clip: null, seasonalPeriod: null });
  });

  it('takes the importer’s detected time column, or a numeric column named like one, never a text column', () => {
    const dated: CsvStats = {
      ...stats,
      columns: [{ ...stats.columns[0]!, kind: 'time' }, stats.columns[1]!],
      time: { column: 'date', first: '2024-01-01', last: '2026-09-26', step: 'daily', seasonalPeriod: 7, increasing: true },
    };
    expect(defaultDraft('load', dated, 'r')).toMatchObject({ target: 'load', timeColumn: 'date' });
    const stepped: CsvStats = { ...stats, columns: [{ ...stats.columns[1]!, name: 't', missing: 0 }, stats.columns[1]!] };
    expect(defaultDraft('load', stepped, 'r')).toMatchObject({ target: 'load', timeColumn: 't' });
  });

  it('names the field and its range when a number is out of range or missing', () => {
    const d = defaultDraft('load', stats, 'r');
    expect(parseForecastDraft({ ...d, window: 0 }, stats).errors.window).toBe('Window: must be at least 1.');
    expect(parseForecastDraft({ ...d, hiddenSize: '' }, stats).errors.hiddenSize).toBe('Hidden size needs a number.');
    expect(parseForecastDraft({ ...d, numLayers: 9 }, stats).errors.numLayers).toBe('Layers: must be at most 8.');
    expect(parseForecastDraft({ ...d, window: 0 }, stats).config).toBeNull();
  });

  it('refuses a split over 100% and a training part too short for the window, with row counts', () => {
    const d = defaultDraft('load', stats, 'r');
    expect(parseForecastDraft({ ...d, trainPercent: 80, valPercent: 30 }, stats).errors.split).toMatch(/together at most 100%/);
    expect(parseForecastDraft({ ...d, window: 700 }, stats).errors.split).toBe('The training part has 700 rows; a window of 700 plus a horizon of 1 needs at least 701. Enlarge it or shorten the window.');
    expect(parseForecastDraft({ ...d, window: 699 }, stats).errors.split).toBeUndefined();
  });

  it('refuses a target that holds no numbers', () => {
    const d = defaultDraft('load', stats, 'r');
    expect(parseForecastDraft({ ...d, target: 'date' }, stats).errors.target).toBe('Column “date” holds no numbers; choose a numeric column.');
  });

});

function view(): ForecastView {
  const actual = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const predicted = [null, null, 1.5, 3, 4, 5.5, 6, 6, 8, 9.5];
  return {
    checkpoint: 'c', target: 'x', xName: null, x: actual.map((_, i) => i), xTime: false, actual, predicted, window: 2, trainEnd: 6, valEnd: 8,
    parts: { train: null, val: null, test: null }, baselines: { part: 'test', rows: [] }, kStep: { k: [1, 4], mse: [0.05, 0.2], lastValueMse: [0.1, 0.3] }, kStepNote: null,
  };
}

describe('forecast charts', () => {
  it('residuals are actual − predicted over the chosen part, skipping rows with no prediction', () => {
    expect(residuals(view(), 'test')).toEqual([[8, 0], [9, -0.5]]);
    expect(residuals(view(), 'train').map(([x]) => x)).toEqual([2, 3, 4, 5]);
    expect(residuals(view(), 'all')).toHaveLength(8);
  });

  it('puts the time column on a date axis when it holds dates, and shades the validation and test parts', () => {
    const asRows = actualVsPredictedOption(view(), theme, colors) as { xAxis: { type: string; name: string }; series: Array<{ markArea?: { data: Array<[{ name: string; xAxis: number }, { xAxis: number }]> } }> };
    expect(asRows.xAxis).toMatchObject({ type: 'value', name: 'row' });
    expect(asRows.series[0]!.markArea!.data.map(([a, b]) => [a.name, a.xAxis, b.xAxis])).toEqual([['validation', 6, 7], ['test', 8, 9]]);
    const day = 86_400_000;
    const dated = actualVsPredictedOption({ ...view(), xName: 'date', xTime: true, x: view().x.map((t) => Date.UTC(2020, 0, 1) + t * day) }, theme, colors) as { xAxis: { type: string; name: string } };
    expect(dated.xAxis).toMatchObject({ type: 'time', name: 'date' });
  });

  it('the histogram counts every value once', () => {
    const values = Array.from({ length: 500 }, (_, i) => Math.sin(i) * 3);
    const h = histogram(values);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(500);
    expect(h.centres).toHaveLength(h.counts.length);
    expect(histogram([2, 2, 2]).counts.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('exports index,actual,predicted,residual with empty cells where there is no prediction', () => {
    const lines = forecastCsv(view()).trim().split('\n');
    expect(lines[0]).toBe('index,actual,predicted,residual');
    expect(lines[1]).toBe('0,0,,');
    expect(lines[3]).toBe('2,2,1.5,0.5');
    expect(lines).toHaveLength(11);
  });

  it('draws the noise floor only when a variance is given, labelled', () => {
    const kStep = view().kStep!;
    const without = errorVsKOption(kStep, null, '', theme, colors) as { series: Array<{ id: string }> };
    expect(without.series.map((s) => s.id)).toEqual(['model', 'last']);
    const withFloor = errorVsKOption(kStep, 0.04, 'noise floor σ² = 0.04 (d2l series)', theme, colors) as { series: Array<{ id: string; markLine?: { data: Array<{ yAxis: number; name: string }> } }> };
    expect(withFloor.series[2]!.markLine!.data[0]).toMatchObject({ yAxis: 0.04, name: 'noise floor σ² = 0.04 (d2l series)' });
  });

  it('draws the validation MAE beside the last-value baseline, dashed', () => {
    const val = [1, 2].map((e) => ({ kind: 'val' as const, step: e, epoch: e, time: e, loss: 0.1, mae: 0.3 / e, baselineMae: 0.25 }));
    const o = valMaeOption(val, theme, colors) as { series: Array<{ data: number[][]; lineStyle: { type?: string } }> };
    expect(o.series[0]!.data).toEqual([[1, 0.3], [2, 0.15]]);
    expect(o.series[1]!.data).toEqual([[1, 0.25], [2, 0.25]]);
    expect(o.series[1]!.lineStyle.type).toBe('dashed');
  });
});

describe('the recursive forecast chart', () => {
  const view = (T: number): ForecastView => ({
    checkpoint: 'c', target: 'x', xName: null, x: Array.from({ length: T }, (_, t) => t), xTime: false, actual: Array.from({ length: T }, (_, t) => t / 10),
    predicted: Array.from({ length: T }, () => null), window: 4, trainEnd: 60, valEnd: 80,
    parts: { train: null, val: null, test: null }, baselines: { part: 'test', rows: [] }, kStep: null, kStepNote: null,
  } as unknown as ForecastView);
  const colors = { actual: '#000', predicted: '#00f', baseline: '#f00', val: '#f00', test: '#0f0', floor: '#888' };
  const theme = { text: '#000', muted: '#666', grid: '#eee', axis: '#999', background: '#fff' } as never;
  type Series = { id: string; data: [number, number][] };

  it('from a row inside the series: the actual rows it covers are drawn, and the forecast starts at the last observed row', () => {
    const o = futureOption(view(100), { index: [60, 61, 62, 63, 64, 65, 66, 67, 68, 69], forecast: Array.from({ length: 10 }, () => 1) }, theme, colors) as { series: Series[] };
    const actual = o.series.find((s) => s.id === 'actual')!.data, forecast = o.series.find((s) => s.id === 'forecast')!.data;
    expect(actual[0]![0]).toBe(10); // 50 rows before the origin
    expect(actual.at(-1)![0]).toBe(69); // through the last forecast row, not the end of the series
    expect(forecast[0]).toEqual([59, 5.9]);
    expect(forecast.at(-1)![0]).toBe(69);
  });

  it('past the end: the last rows, then the forecast on continued x', () => {
    const o = futureOption(view(100), { index: [100, 101, 102], forecast: [1, 2, 3] }, theme, colors) as { series: Series[] };
    const actual = o.series.find((s) => s.id === 'actual')!.data, forecast = o.series.find((s) => s.id === 'forecast')!.data;
    expect(actual.at(-1)![0]).toBe(99);
    expect(forecast.map((p) => p[0])).toEqual([99, 100, 101, 102]);
  });
});
