/**
 * ECharts options of the forecast charts, as plain data (tested without a canvas): training curves,
 * actual vs one-step predicted with the split shaded, residuals and their histogram, error vs k with
 * the noise floor, and the forecast past the end. Values are in the target's original units.
 */
import type { ChartTheme } from '../../charts/line-option';
import { formatNumber } from '../../lib/format';
import type { ForecastView } from '../../../shared/forecast';
import type { MetricRecord } from '../../../shared/runs';

export interface ForecastColors {
  actual: string;
  predicted: string;
  baseline: string;
  val: string;
  test: string;
  floor: string;
}

export type Part = 'train' | 'val' | 'test' | 'all';

const axisStyle = (theme: ChartTheme) => ({
  axisLine: { lineStyle: { color: theme.grid } },
  axisLabel: { color: theme.muted, fontSize: 11 },
  splitLine: { lineStyle: { color: theme.grid, opacity: 0.6 } },
  nameTextStyle: { color: theme.muted, fontSize: 11 },
});

function base(theme: ChartTheme, legend: string[]): Record<string, unknown> {
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    grid: { left: 60, right: 20, top: 30, bottom: 40 },
    legend: { top: 0, right: 8, data: legend, textStyle: { color: theme.muted, fontSize: 11 }, itemWidth: 14, itemHeight: 8 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? formatNumber(v) : String(v ?? '')) },
  };
}

/** Rows [from, to) of a part of the split. */
export function partRange(v: Pick<ForecastView, 'trainEnd' | 'valEnd' | 'actual'>, part: Part): [number, number] {
  const T = v.actual.length;
  return part === 'train' ? [0, v.trainEnd] : part === 'val' ? [v.trainEnd, v.valEnd] : part === 'test' ? [v.valEnd, T] : [0, T];
}

/** actual − predicted for the rows of `part` that have a prediction, with their x. */
export function residuals(v: ForecastView, part: Part): Array<[number, number]> {
  const [from, to] = partRange(v, part);
  const out: Array<[number, number]> = [];
  for (let t = from; t < to; t++) {
    const p = v.predicted[t];
    if (p !== null && p !== undefined) out.push([v.x[t]!, v.actual[t]! - p]);
  }
  return out;
}

/** Equal-width bins over the values (Freedman–Diaconis-like count between 8 and 40): centres and counts. */
export function histogram(values: readonly number[], bins?: number): { centres: number[]; counts: number[]; width: number } {
  if (values.length === 0) return { centres: [], counts: [], width: 0 };
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const n = bins ?? Math.max(8, Math.min(40, Math.ceil(Math.sqrt(values.length))));
  const width = hi > lo ? (hi - lo) / n : 1;
  const counts = new Array<number>(n).fill(0);
  for (const v of values) counts[Math.min(n - 1, Math.floor((v - lo) / width))]!++;
  return { centres: counts.map((_, i) => lo + (i + 0.5) * width), counts, width };
}

/** Training loss per record (normalised units) against the epoch. */
export function trainLossOption(train: readonly MetricRecord[], theme: ChartTheme, color: string): Record<string, unknown> {
  const data = train.filter((m) => typeof m.loss === 'number').map((m) => [m.epoch, m.loss!]);
  return {
    ...base(theme, ['train loss']),
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, ...axisStyle(theme) },
    yAxis: { type: 'value', name: 'loss (normalised)', scale: true, ...axisStyle(theme) },
    series: [{ id: 'train', name: 'train loss', type: 'line', data, showSymbol: data.length < 30, lineStyle: { color, width: 1.8 }, itemStyle: { color } }],
  };
}

/** Validation MAE per epoch in original units beside the last-value baseline's (dashed). */
export function valMaeOption(val: readonly MetricRecord[], theme: ChartTheme, colors: Pick<ForecastColors, 'predicted' | 'baseline'>): Record<string, unknown> {
  const mae = val.filter((m) => typeof m.mae === 'number').map((m) => [m.epoch, m.mae!]);
  const baseline = val.filter((m) => typeof m.baselineMae === 'number').map((m) => [m.epoch, m.baselineMae!]);
  return {
    ...base(theme, ['val MAE', 'last value (baseline)']),
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, ...axisStyle(theme) },
    yAxis: { type: 'value', name: 'MAE (original units)', scale: true, ...axisStyle(theme) },
    series: [
      { id: 'mae', name: 'val MAE', type: 'line', data: mae, showSymbol: true, symbolSize: 5, lineStyle: { color: colors.predicted, width: 1.8 }, itemStyle: { color: colors.predicted } },
      { id: 'baseline', name: 'last value (baseline)', type: 'line', data: baseline, showSymbol: false, lineStyle: { color: colors.baseline, width: 1.4, type: 'dashed' }, itemStyle: { color: colors.baseline } },
    ],
  };
}

/** Actual and one-step predicted over the whole series; the validation and test parts shaded. */
export function actualVsPredictedOption(v: ForecastView, theme: ChartTheme, colors: ForecastColors): Record<string, unknown> {
  const T = v.actual.length;
  const xAt = (t: number) => v.x[Math.min(t, T - 1)]!;
  const areas: unknown[] = [];
  if (v.valEnd > v.trainEnd) areas.push([{ name: 'validation', xAxis: xAt(v.trainEnd), itemStyle: { color: colors.val, opacity: 0.1 } }, { xAxis: xAt(v.valEnd - 1) }]);
  if (T > v.valEnd) areas.push([{ name: 'test', xAxis: xAt(v.valEnd), itemStyle: { color: colors.test, opacity: 0.12 } }, { xAxis: xAt(T - 1) }]);
  return {
    ...base(theme, ['actual', 'one-step predicted']),
    xAxis: { type: v.xTime ? 'time' : 'value', name: v.xName ?? 'row', nameLocation: 'middle', nameGap: 24, min: 'dataMin', max: 'dataMax', ...axisStyle(theme) },
    yAxis: { type: 'value', name: v.target, scale: true, ...axisStyle(theme) },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
    series: [
      {
        id: 'actual', name: 'actual', type: 'line', data: v.actual.map((a, t) => [v.x[t]!, a]), showSymbol: false, sampling: 'lttb',
        lineStyle: { color: colors.actual, width: 1, opacity: 0.8 }, itemStyle: { color: colors.actual },
        markArea: { silent: true, label: { color: theme.muted, fontSize: 11, position: 'insideTop' }, data: areas },
      },
      {
        id: 'predicted', name: 'one-step predicted', type: 'line', data: v.predicted.map((p, t) => [v.x[t]!, p]), showSymbol: false, connectNulls: false, sampling: 'lttb',
        lineStyle: { color: colors.predicted, width: 1.6 }, itemStyle: { color: colors.predicted },
      },
    ],
  };
}

export function residualOption(v: ForecastView, part: Part, theme: ChartTheme, color: string): Record<string, unknown> {
  const data = residuals(v, part);
  return {
    ...base(theme, []),
    legend: { show: false },
    tooltip: { trigger: 'item' },
    xAxis: { type: v.xTime ? 'time' : 'value', name: v.xName ?? 'row', nameLocation: 'middle', nameGap: 24, min: 'dataMin', max: 'dataMax', ...axisStyle(theme) },
    yAxis: { type: 'value', name: 'actual − predicted', ...axisStyle(theme) },
    series: [{ id: 'residual', name: 'residual', type: 'scatter', data, symbolSize: 3, itemStyle: { color, opacity: 0.7 }, markLine: { silent: true, symbol: 'none', data: [{ yAxis: 0 }], lineStyle: { color: theme.muted, type: 'solid', width: 1 }, label: { show: false } } }],
  };
}

export function histogramOption(v: ForecastView, part: Part, theme: ChartTheme, color: string): Record<string, unknown> {
  const h = histogram(residuals(v, part).map(([, r]) => r));
  return {
    ...base(theme, []),
    legend: { show: false },
    xAxis: { type: 'category', name: 'residual (bin centre)', nameLocation: 'middle', nameGap: 26, data: h.centres.map((c) => String(Number(c.toPrecision(2)))), ...axisStyle(theme) },
    yAxis: { type: 'value', name: 'rows', minInterval: 1, ...axisStyle(theme) },
    series: [{ id: 'histogram', name: 'rows', type: 'bar', data: h.counts, barCategoryGap: '8%', itemStyle: { color } }],
  };
}

/** MSE of the k-step-ahead prediction against k (log axis), the last-value baseline dashed, and the noise floor when given. */
export function errorVsKOption(kStep: NonNullable<ForecastView['kStep']>, noiseVariance: number | null, floorLabel: string, theme: ChartTheme, colors: ForecastColors): Record<string, unknown> {
  const series: Array<Record<string, unknown>> = [
    { id: 'model', name: 'model', type: 'line', data: kStep.k.map((k, i) => [k, kStep.mse[i]!]), showSymbol: true, symbolSize: 7, lineStyle: { color: colors.predicted, width: 2 }, itemStyle: { color: colors.predicted } },
    { id: 'last', name: 'last value', type: 'line', data: kStep.k.map((k, i) => [k, kStep.lastValueMse[i]!]), showSymbol: true, symbolSize: 5, lineStyle: { color: colors.baseline, width: 1.4, type: 'dashed' }, itemStyle: { color: colors.baseline } },
  ];
  const lowest = Math.min(...kStep.mse, ...kStep.lastValueMse, ...(noiseVariance !== null && noiseVariance > 0 ? [noiseVariance] : []));
  if (noiseVariance !== null) {
    series.push({
      id: 'floor', name: 'noise floor', type: 'line', data: [], silent: true,
      markLine: { symbol: 'none', silent: true, data: [{ yAxis: noiseVariance, name: floorLabel, label: { formatter: floorLabel, position: 'insideEndBottom', color: colors.floor, fontSize: 11 }, lineStyle: { type: 'dotted', color: colors.floor, width: 1.6 } }] },
    });
  }
  return {
    ...base(theme, ['model', 'last value']),
    xAxis: { type: 'log', logBase: 2, name: 'k (steps ahead)', nameLocation: 'middle', nameGap: 24, min: 1, max: Math.max(...kStep.k), ...axisStyle(theme) },
    // log scale: the small errors of few steps ahead and the floor stay apart from the large ones of many
    yAxis: { type: 'log', name: 'MSE (log scale)', min: Number((lowest / 2).toPrecision(1)), ...axisStyle(theme) },
    series,
  };
}

/**
 * A recursive forecast beside the actual rows: those before its origin (at least 50, or twice the
 * forecast) and, when it starts inside the series, those it covers, so the drift shows (d2l 9.1).
 */
export function futureOption(v: ForecastView, future: { index: number[]; forecast: number[] }, theme: ChartTheme, colors: ForecastColors): Record<string, unknown> {
  const T = v.actual.length;
  const origin = future.index[0] ?? T;
  const tail = Math.max(0, origin - Math.max(50, future.index.length * 2));
  const end = Math.min(T, origin + future.index.length);
  const step = T > 1 ? v.x[T - 1]! - v.x[T - 2]! : 1;
  const xOf = (i: number) => (i < T ? v.x[i]! : v.x[T - 1]! + (i - T + 1) * step);
  return {
    ...base(theme, ['actual', 'forecast']),
    xAxis: { type: v.xTime ? 'time' : 'value', name: v.xName ?? 'row', nameLocation: 'middle', nameGap: 24, min: 'dataMin', max: 'dataMax', ...axisStyle(theme) },
    yAxis: { type: 'value', name: v.target, scale: true, ...axisStyle(theme) },
    series: [
      { id: 'actual', name: 'actual', type: 'line', data: v.actual.slice(tail, end).map((a, i) => [xOf(tail + i), a]), showSymbol: false, lineStyle: { color: colors.actual, width: 1 }, itemStyle: { color: colors.actual } },
      { id: 'forecast', name: 'forecast', type: 'line', data: [[xOf(origin - 1), v.actual[origin - 1]!], ...future.index.map((i, j) => [xOf(i), future.forecast[j]!])], showSymbol: future.index.length <= 40, symbolSize: 4, lineStyle: { color: colors.predicted, width: 1.8, type: 'dashed' }, itemStyle: { color: colors.predicted } },
    ],
  };
}

/** index,actual,predicted,residual — one row per row of the series (empty cells where there is no prediction). */
export function forecastCsv(v: ForecastView): string {
  const lines = ['index,actual,predicted,residual'];
  for (let t = 0; t < v.actual.length; t++) {
    const p = v.predicted[t];
    const a = v.actual[t]!;
    lines.push(p === null || p === undefined ? `${t},${a},,` : `${t},${a},${p},${a - p}`);
  }
  return `${lines.join('\n')}\n`;
}
